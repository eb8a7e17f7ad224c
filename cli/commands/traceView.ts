/**
 * `rsl trace view FILE [--out PAGE] [--open]`: writes the trace as one self-contained HTML page
 * (dist/web/page.html with the trace and its annotations embedded) next to the trace, or to
 * `--out`, and prints its path. When the file records a model of this tool
 * (`#meta.configuration`), the trace is replayed against the spec and every obligation is
 * evaluated on every state, so the page shows which hold, vacuously or not, and the violation with
 * its witnesses. Any other ITF trace (Quint, Apalache, written by hand) is drawn from its data alone.
 *
 * Exit codes: 0 written; 1 the file is missing, not JSON or not an ITF trace, or the page cannot
 * be written; 13 written, but the trace does not replay against the spec it names (the page says
 * so and shows no obligations); 75 the spec threw while replaying (the page is still written).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseItfTrace, type ItfTrace } from '../../checker/index.js';
import type { Annotations, PageData } from '../../web/model/data.js';
import { embedPageData } from '../../web/model/embed.js';
import { openInBrowser } from '../browser.js';
import { ExitCode } from '../exitCodes.js';
import type { Output } from '../output.js';
import { annotateTrace } from '../pageData.js';
import { packageRoot } from '../paths.js';
import { loadTrace, replay, replayFailure } from './trace.js';

export interface TraceViewFlags {
  readonly out?: string;
  readonly open?: boolean;
}

/** `traces/x.trace.json` -> `traces/x.trace.html`. */
export function pagePathFor(file: string): string {
  const name = basename(file).replace(/\.json$/i, '');
  return join(dirname(file), `${name}.html`);
}

/** The built page, with a one-line error when the build has not made it. */
export function pageTemplate(): string {
  const path = join(packageRoot(), 'dist', 'web', 'page.html');
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new Error(`the page is not built (${path} is missing): run npm run build`);
  }
}

function readItf(file: string): ItfTrace {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`${file}: cannot read the trace file${code === undefined ? '' : ` (${code})`}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  return parseItfTrace(json, file);
}

interface Annotated {
  readonly annotations?: Annotations;
  readonly notice?: string;
  readonly code: number;
}

/** Replays a trace of this tool's model and evaluates the obligations along it. */
function annotate(file: string, itf: ItfTrace): Annotated {
  if (itf['#meta'].configuration === undefined) {
    return {
      notice: 'The trace names no model of this tool (#meta.configuration), so no obligation is evaluated: the page shows its ITF data.',
      code: ExitCode.ok,
    };
  }
  let t: ReturnType<typeof loadTrace>;
  try {
    t = loadTrace(file);
  } catch (e) {
    return {
      notice: `The trace's model cannot be rebuilt (${(e as Error).message}), so no obligation is evaluated.`,
      code: ExitCode.usage,
    };
  }
  const r = replay(t);
  if ('thrown' in r)
    return { notice: `The spec threw while replaying the trace (${r.thrown}): no obligation is evaluated.`, code: ExitCode.modelError };
  if (!r.ok) {
    return {
      notice: `The trace does not replay against the spec, at ${replayFailure(t, r.step, r.reason)}: no obligation is evaluated.`,
      code: ExitCode.replayMismatch,
    };
  }
  const note = `Obligations evaluated on each state of the trace replayed against ${t.model.name}.`;
  return { annotations: annotateTrace(t.model, r.trace, note), code: ExitCode.ok };
}

export async function runTraceView(file: string, flags: TraceViewFlags, out: Output): Promise<number> {
  let itf: ItfTrace;
  let template: string;
  try {
    itf = readItf(file);
    template = pageTemplate();
  } catch (e) {
    out.stderr(`rsl: ${(e as Error).message.split('\n')[0]}\n`);
    return ExitCode.usage;
  }
  const a = annotate(file, itf);
  const data: PageData = {
    title: typeof itf['#meta'].property === 'string' ? `${itf['#meta'].property} — ${basename(file)}` : basename(file),
    source: file,
    trace: itf as unknown as NonNullable<PageData['trace']>,
    ...(a.annotations === undefined ? {} : { annotations: a.annotations }),
    ...(a.notice === undefined ? {} : { notice: a.notice }),
  };
  const target = flags.out ?? pagePathFor(file);
  try {
    writeFileSync(target, embedPageData(template, data));
  } catch (e) {
    out.stderr(`rsl: cannot write ${target}: ${(e as Error).message.split('\n')[0]}\n`);
    return ExitCode.usage;
  }
  out.stdout(`${target}\n`);
  if (a.notice !== undefined) out.stderr(`rsl: ${a.notice}\n`);
  if (flags.open === true) out.stderr(`rsl: ${openInBrowser(resolve(target))}\n`);
  return a.code;
}
