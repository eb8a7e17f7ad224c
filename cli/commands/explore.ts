/**
 * `rsl explore [model flags] [--port N] [--open]`: serves the trace page live on 127.0.0.1 (a
 * free port unless --port), prints its address, and walks the model as the user clicks: from the
 * initial state, each enabled successor with its action text, back, and the path saved as an ITF
 * trace that `rsl trace replay` accepts (cli/explorer.ts). Runs until Ctrl-C (SIGINT) or SIGTERM.
 *
 * Exit codes: 0 stopped by Ctrl-C; 1 bad flag or configuration, or the port cannot be bound.
 */
import { openInBrowser } from '../browser.js';
import { ExitCode } from '../exitCodes.js';
import { startExplorer } from '../explorer.js';
import type { ModelFlags } from '../flags.js';
import { modelFromFlags, type ModelSetup } from '../modelConfig.js';
import type { Output } from '../output.js';
import { describeModel } from '../summary.js';
import { pageTemplate } from './traceView.js';

export interface ExploreFlags extends ModelFlags {
  readonly port?: number;
  readonly open?: boolean;
}

/** Resolves when the process is asked to stop. */
function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string): void => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(signal);
    };
    const onInt = (): void => stop('SIGINT');
    const onTerm = (): void => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

export async function runExplore(flags: ExploreFlags, out: Output, stopped: Promise<string> = untilStopped()): Promise<number> {
  if (flags.port !== undefined && (flags.port < 0 || flags.port > 65535)) {
    out.stderr(`rsl: --port must be between 0 and 65535, got ${flags.port}\n`);
    return ExitCode.usage;
  }
  let setup: ModelSetup;
  let template: string;
  try {
    // A bad configuration file or flag (ConfigError), an unknown mutant or obligation (RangeError).
    setup = modelFromFlags(flags);
    template = pageTemplate();
  } catch (e) {
    out.stderr(`rsl: ${(e as Error).message.split('\n')[0]}\n`);
    return ExitCode.usage;
  }
  let explorer: Awaited<ReturnType<typeof startExplorer>>;
  try {
    explorer = await startExplorer(setup.model, { template, ...(flags.port === undefined ? {} : { port: flags.port }) });
  } catch (e) {
    out.stderr(`rsl: cannot serve on 127.0.0.1${flags.port === undefined ? '' : `:${flags.port}`}: ${(e as Error).message}\n`);
    return ExitCode.usage;
  }
  out.stdout(`${describeModel(setup.config, flags.mutant)}\n`);
  out.stdout(`Explorer at ${explorer.url} (Ctrl-C stops it)\n`);
  if (flags.open === true) out.stderr(`rsl: ${openInBrowser(explorer.url)}\n`);
  const signal = await stopped;
  await explorer.close();
  out.stdout(`Explorer stopped (${signal})\n`);
  return ExitCode.ok;
}
