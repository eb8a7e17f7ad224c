/**
 * `rsl trace show FILE` and `rsl trace replay FILE`: a counterexample trace (an ITF file written by
 * `check` or `simulate`) read back, re-executed against the spec, and printed or judged.
 *
 * The model is rebuilt from the file's `#meta.configuration` (the `RslModelOptions` of the run,
 * mutant included), and each recorded action is replayed: at each step the successor whose action
 * JSON equals the recorded one and whose state equals the recorded state. So a trace whose steps
 * are not steps of the spec, or whose states were edited, does not replay.
 *
 * Exit codes (cli/exitCodes.ts), also in the commands' help text:
 *   show:   0 printed; 1 the file is missing, not JSON, not an ITF trace, names no valid model, or
 *           names an obligation its model does not have; 13 the trace does not replay against the
 *           spec, or the violation it names does not happen along it.
 *   replay: 12 confirmed: the property the file names is violated along the replayed trace (or,
 *           for a file that names none, some obligation is); 0 the file names no property and
 *           nothing is violated; 13 refuted: the trace does not replay, or the named property holds
 *           all along it; 1 bad file, as for show; 75 the spec threw while replaying.
 */
import { readFileSync } from 'node:fs';
import {
  parseItfTrace,
  replayTrace,
  traceActions,
  type ItfTrace,
  type Json,
  type Model,
  type ReplayResult,
  type TraceViolation,
  type Violation,
} from '../../checker/index.js';
import type { RslSystem, SystemConfig, SystemStep } from '../../spec/index.js';
import { parseModelConfig } from '../config.js';
import { ExitCode } from '../exitCodes.js';
import type { Output } from '../output.js';
import { plural, renderTrace, renderViolation } from '../render.js';
import { createRslModel, type RslModelOptions } from '../rslModel.js';
import { describeModel } from '../summary.js';

type S = RslSystem;
type A = SystemStep;

/** A trace file that cannot be used; its message is one line that names the file. */
class TraceFileError extends Error {
  override readonly name = 'TraceFileError';
}

/** A trace file, read, with the model it was produced by. */
export interface LoadedTrace {
  readonly itf: ItfTrace;
  readonly options: RslModelOptions;
  readonly model: Model<S, A> & { readonly system: SystemConfig };
  readonly actions: readonly Json[];
  readonly property?: string;
  readonly kind?: string;
  readonly explanation?: string;
}

function isObject(v: unknown): v is { readonly [key: string]: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optionalString(file: string, meta: { readonly [key: string]: unknown }, key: string): string | undefined {
  const v = meta[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new TraceFileError(`${file}: "#meta.${key}" must be a string`);
  return v;
}

/** The `RslModelOptions` recorded in `#meta.configuration`, validated like a configuration file. */
function modelOptionsOf(file: string, meta: { readonly [key: string]: unknown }): RslModelOptions {
  const raw = meta.configuration;
  if (!isObject(raw)) throw new TraceFileError(`${file}: the trace records no model configuration ("#meta.configuration")`);
  const config = parseModelConfig(raw.config, `${file} #meta.configuration.config`);
  const { mutant, invariants, refinement } = raw;
  if (refinement !== undefined && typeof refinement !== 'boolean')
    throw new TraceFileError(`${file}: "#meta.configuration.refinement" must be true or false`);
  if (mutant !== undefined && typeof mutant !== 'string')
    throw new TraceFileError(`${file}: "#meta.configuration.mutant" must be a string`);
  if (invariants !== undefined && !(Array.isArray(invariants) && invariants.every((x) => typeof x === 'string'))) {
    throw new TraceFileError(`${file}: "#meta.configuration.invariants" must be a list of obligation names`);
  }
  return {
    config,
    ...(mutant === undefined ? {} : { mutant }),
    ...(invariants === undefined ? {} : { invariants: invariants as string[] }),
    ...(refinement === undefined ? {} : { refinement }),
  };
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new TraceFileError(`${file}: cannot read the trace file${code === undefined ? '' : ` (${code})`}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new TraceFileError(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

/** The kinds a trace file may record (checker/result.ts `ViolationKind`). */
const violationKinds: readonly string[] = ['invariant', 'stepProperty', 'deadlock', 'witness'];

/** Reads `file` and rebuilds its model; throws a one-line error for anything unusable. */
export function loadTrace(file: string): LoadedTrace {
  const json = readJson(file);
  let itf: ItfTrace;
  let actions: Json[];
  try {
    itf = parseItfTrace(json, file);
    actions = traceActions(itf);
  } catch (e) {
    throw new TraceFileError((e as Error).message.startsWith(file) ? (e as Error).message : `${file}: ${(e as Error).message}`);
  }
  if (itf.states.length === 0) throw new TraceFileError(`${file}: the trace has no states`);
  const meta = itf['#meta'];
  const options = modelOptionsOf(file, meta);
  let model: LoadedTrace['model'];
  try {
    model = createRslModel(options);
  } catch (e) {
    throw new TraceFileError(`${file}: ${(e as Error).message}`);
  }
  const property = optionalString(file, meta, 'property');
  const kind = optionalString(file, meta, 'kind');
  if (kind !== undefined && !violationKinds.includes(kind)) {
    throw new TraceFileError(`${file}: "#meta.kind" must be one of ${violationKinds.join(', ')}, got ${JSON.stringify(kind)}`);
  }
  const obligations = [...model.invariants, ...(model.stepProperties ?? [])].map((p) => p.name);
  if (property !== undefined && !obligations.includes(property)) {
    throw new TraceFileError(`${file}: names "${property}", which is no obligation of its model (see \`npx rsl list obligations\`)`);
  }
  const explanation = optionalString(file, meta, 'explanation');
  return {
    itf,
    options,
    model,
    actions,
    ...(property === undefined ? {} : { property }),
    ...(kind === undefined ? {} : { kind }),
    ...(explanation === undefined ? {} : { explanation }),
  };
}

/** Loads a trace, or prints the one-line error and returns the exit code. */
function loadOrReport(file: string, out: Output): LoadedTrace | number {
  try {
    return loadTrace(file);
  } catch (e) {
    // ConfigError (a bad recorded configuration) is already one line naming the file.
    out.stderr(`rsl: ${(e as Error).message.split('\n')[0]}\n`);
    return ExitCode.usage;
  }
}

/** Replays the trace against its model; a spec function that throws becomes a returned message. */
export function replay(t: LoadedTrace): ReplayResult<S, A> | { readonly thrown: string } {
  try {
    return replayTrace(t.model, t.actions, t.itf.states);
  } catch (e) {
    return { thrown: (e as Error).message };
  }
}

/** Where a replay stopped, in the numbering of `renderTrace` (step k leads to state k). */
export function replayFailure(t: LoadedTrace, step: number, reason: string): string {
  if (step < 0) return `the initial state: ${reason}`;
  const recorded = t.itf.states[step + 1]?.['#meta'].actionText;
  return `step ${step + 1}${typeof recorded === 'string' ? ` (${recorded})` : ''}: ${reason}`;
}

/** `rsl trace show FILE`: the recorded property and explanation, then the replayed trace as steps. */
export async function runTraceShow(file: string, out: Output): Promise<number> {
  const t = loadOrReport(file, out);
  if (typeof t === 'number') return t;
  out.stdout(`Trace ${file}\n${describeModel(t.options.config, t.options.mutant)}\n`);
  const r = replay(t);
  if ('thrown' in r) {
    out.stderr(`rsl: the spec threw while replaying ${file}: ${r.thrown}\n`);
    return ExitCode.modelError;
  }
  if (!r.ok) {
    out.stdout(`Cannot replay the trace against the spec, at ${replayFailure(t, r.step, r.reason)}\n`);
    if (r.trace.states.length > 0) {
      out.stdout(`The part that replays:\n${renderTrace(t.model.system, r.trace.states, r.trace.actions)}`);
    }
    return ExitCode.replayMismatch;
  }
  if (t.property === undefined) {
    out.stdout(`No violation recorded (${t.kind ?? 'no kind'}${t.explanation === undefined ? '' : `: ${t.explanation}`})\n`);
    out.stdout(renderTrace(t.model.system, r.trace.states, r.trace.actions));
    out.stdout(`Replay it: npx rsl trace replay ${file}\n`);
    return ExitCode.ok;
  }
  // What the file claims is checked, not repeated: the violation is shown where the replay finds it.
  const found = r.violations.find((v) => v.property === t.property);
  if (found === undefined) {
    out.stdout(`The file claims a violation of ${t.property}, but it holds in every state and step of the replayed trace:\n`);
    out.stdout(renderTrace(t.model.system, r.trace.states, r.trace.actions));
    return ExitCode.replayMismatch;
  }
  const states = r.trace.states.slice(0, found.step + 1);
  const v: Violation<S, A> = {
    kind: found.kind,
    property: found.property,
    explanation: found.explanation,
    depth: states.length,
    trace: { states, actions: r.trace.actions.slice(0, found.step), fingerprints: r.trace.fingerprints.slice(0, found.step + 1) },
  };
  out.stdout(renderViolation(t.model.system, v));
  const after = r.trace.actions.length - found.step;
  if (after > 0) out.stdout(`(the file goes on for ${plural(after, 'more step')} after the violation)\n`);
  out.stdout(`Replay it: npx rsl trace replay ${file}\n`);
  return ExitCode.ok;
}

function describeViolation(v: TraceViolation): string {
  return `${v.property} violated at step ${v.step}`;
}

/**
 * `rsl trace replay FILE`: re-executes the trace against the spec and confirms the violation the
 * file names (exit 12) or refutes it (exit 13). See the file header for every exit code.
 */
export async function runTraceReplay(file: string, out: Output): Promise<number> {
  const t = loadOrReport(file, out);
  if (typeof t === 'number') return t;
  const r = replay(t);
  if ('thrown' in r) {
    out.stderr(`rsl: the spec threw while replaying ${file}: ${r.thrown}\n`);
    return ExitCode.modelError;
  }
  const steps = t.actions.length;
  if (!r.ok) {
    out.stdout(`refuted: the trace does not replay against the spec, at ${replayFailure(t, r.step, r.reason)}\n`);
    return ExitCode.replayMismatch;
  }
  if (t.property === undefined) {
    if (r.violations.length === 0) {
      out.stdout(`replayed ${steps} steps; the file names no violation and no obligation is violated along the trace\n`);
      return ExitCode.ok;
    }
    out.stdout(`confirmed: ${r.violations.map(describeViolation).join('; ')} (the file names no property)\n`);
    return ExitCode.violation;
  }
  const found = r.violations.find((v) => v.property === t.property);
  if (found === undefined) {
    const others = r.violations.length === 0 ? '' : ` (violated along it instead: ${r.violations.map(describeViolation).join('; ')})`;
    out.stdout(`refuted: ${t.property} holds in every state and step of the replayed trace of ${steps} steps${others}\n`);
    return ExitCode.replayMismatch;
  }
  out.stdout(`confirmed: ${describeViolation(found)} of ${steps}\n  ${found.explanation}\n`);
  return ExitCode.violation;
}
