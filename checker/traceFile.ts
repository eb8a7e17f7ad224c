/**
 * Trace files in the Informal Trace Format (ITF, https://apalache-mc.org/docs/adr/015adr-trace.html),
 * readable by Apalache and Quint tooling, and their replay against a model (TLC's *_TTraceTest
 * twin: a written trace must reproduce its violation; style-anchors §2).
 *
 * Layout: `{"#meta": {...}, "vars": [...], "states": [{"#meta": {"index": i, ...}, var: value, ...}]}`.
 * The trace's `#meta` carries the model name, its configuration, the violated property, and the
 * fingerprints and action texts of all states; each state's `#meta` carries its index, its
 * fingerprint, and (from the second state on) the action that led to it as `action` (the model's
 * `actionToJson`) and `actionText` (its `formatAction`). ITF allows such extra `#meta` fields.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Json, Model, Successor } from './model.js';
import type { CheckResult, Trace, ViolationKind } from './result.js';
import { type Fingerprint, fingerprintHex } from './fingerprint.js';
import { stateFingerprint } from './trace.js';
import { jsonEqual } from './itf.js';

export const ITF_FORMAT_DESCRIPTION = 'https://apalache-mc.org/docs/adr/015adr-trace.html';

type JsonObject = { readonly [key: string]: Json };

export interface ItfStateMeta extends JsonObject {
  readonly index: number;
}

/** One ITF state: its variables plus `#meta`. */
export type ItfState = JsonObject & { readonly '#meta': ItfStateMeta };

export interface ItfTrace {
  readonly '#meta': JsonObject;
  readonly vars: readonly string[];
  readonly states: readonly ItfState[];
}

/** What a trace file says about the run that produced it. */
export interface TraceInfo {
  readonly property?: string;
  readonly kind?: ViolationKind | 'error';
  readonly explanation?: string;
  /** The model configuration; defaults to `model.configuration`. */
  readonly configuration?: Json;
}

function withoutMeta(state: JsonObject): JsonObject {
  const { ['#meta']: _meta, ...vars } = state;
  return vars;
}

function definedEntries(o: { readonly [key: string]: Json | undefined }): JsonObject {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as JsonObject;
}

/** The ITF form of `trace`. */
export function traceToItf<S, A>(model: Model<S, A>, trace: Trace<S, A>, info: TraceInfo = {}): ItfTrace {
  const states = trace.states.map((s, i): ItfState => {
    const action = i === 0 ? undefined : trace.actions[i - 1]!;
    const meta = definedEntries({
      index: i,
      fingerprint: trace.fingerprints[i],
      action: action === undefined ? undefined : model.actionToJson(action),
      actionText: action === undefined ? undefined : model.formatAction(action),
    }) as ItfStateMeta;
    return { '#meta': meta, ...model.toItf(s) };
  });
  const vars = states.length === 0 ? [] : Object.keys(withoutMeta(states[0]!));
  const meta = definedEntries({
    format: 'ITF',
    'format-description': ITF_FORMAT_DESCRIPTION,
    source: model.name,
    description: `Created by the checker for model ${model.name}`,
    model: model.name,
    configuration: info.configuration ?? model.configuration,
    property: info.property,
    kind: info.kind,
    explanation: info.explanation,
    fingerprints: [...trace.fingerprints],
    actions: trace.actions.map((a) => model.formatAction(a)),
  });
  return { '#meta': meta, vars, states };
}

/** Writes `trace` as an ITF file (pretty-printed JSON). */
export function writeTraceFile<S, A>(path: string, model: Model<S, A>, trace: Trace<S, A>, info: TraceInfo = {}): void {
  writeFileSync(path, `${JSON.stringify(traceToItf(model, trace, info), null, 2)}\n`);
}

/** Reads and validates an ITF trace file (throws, saying what is wrong, if it is not one). */
export function readTraceFile(path: string): ItfTrace {
  return parseItfTrace(JSON.parse(readFileSync(path, 'utf8')) as unknown, path);
}

function isObject(v: unknown): v is { [key: string]: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks that `json` has the ITF trace shape. */
export function parseItfTrace(json: unknown, source = 'trace'): ItfTrace {
  const fail = (what: string): never => {
    throw new Error(`${source} is not an ITF trace: ${what}`);
  };
  if (!isObject(json)) return fail('the top level is not an object');
  const { vars, states } = json;
  if (!Array.isArray(vars) || !vars.every((v) => typeof v === 'string')) return fail('"vars" is not a list of names');
  if (!Array.isArray(states)) return fail('"states" is not a list');
  states.forEach((s, i) => {
    if (!isObject(s)) fail(`state ${i} is not an object`);
    const meta = (s as { [key: string]: unknown })['#meta'];
    if (meta !== undefined && !isObject(meta)) fail(`state ${i} has a "#meta" that is not an object`);
  });
  const meta = json['#meta'];
  if (meta !== undefined && !isObject(meta)) return fail('"#meta" is not an object');
  const normalised = (states as { [key: string]: Json }[]).map(
    (s, i) => ({ ...s, '#meta': { index: i, ...((s['#meta'] as JsonObject | undefined) ?? {}) } }) as ItfState,
  );
  return { '#meta': (meta as JsonObject | undefined) ?? {}, vars: vars as string[], states: normalised };
}

/** The actions recorded in a trace file: `states[i]["#meta"].action` for i ≥ 1. */
export function traceActions(itf: ItfTrace): Json[] {
  return itf.states.slice(1).map((s, i) => {
    const action = s['#meta'].action;
    if (action === undefined) throw new Error(`state ${i + 1} of the trace records no action in its #meta`);
    return action;
  });
}

/** A property that fails somewhere along a replayed trace. */
export interface TraceViolation {
  readonly property: string;
  readonly kind: 'invariant' | 'stepProperty';
  /** Index of the violating state (for a step property, of the step's target). */
  readonly step: number;
  readonly explanation: string;
}

export type ReplayResult<S, A> =
  | {
      readonly ok: true;
      readonly trace: Trace<S, A>;
      /** The first violation of each property along the trace, in trace order. */
      readonly violations: readonly TraceViolation[];
    }
  | {
      readonly ok: false;
      /** Index of the action (0-based) that could not be replayed; -1 when no initial state fits. */
      readonly step: number;
      readonly reason: string;
      /** The part that did replay. */
      readonly trace: Trace<S, A>;
    };

function describeDifference(expected: JsonObject, actual: JsonObject): string {
  const names = [...new Set([...Object.keys(expected), ...Object.keys(actual)])];
  const differing = names.filter((n) => !jsonEqual(expected[n] ?? null, actual[n] ?? null));
  return `variables that differ: ${differing.join(', ')}`;
}

function stateMatches<S, A>(model: Model<S, A>, state: S, expected: ItfState | undefined): boolean {
  return expected === undefined || jsonEqual(model.toItf(state), withoutMeta(expected));
}

/**
 * Re-executes `actions` from an initial state of `model`: at each step, the successor whose
 * `actionToJson` equals the recorded action (and, when `expected` states are given, whose ITF
 * form equals the recorded state). Reports the first step that cannot be replayed and why;
 * on success, also which properties the replayed trace violates.
 */
export function replayTrace<S, A>(model: Model<S, A>, actions: readonly Json[], expected?: readonly ItfState[]): ReplayResult<S, A> {
  const candidates = model.initStates().filter((s) => stateMatches(model, s, expected?.[0]));
  if (candidates.length === 0) {
    return {
      ok: false,
      step: -1,
      reason: 'no initial state of the model equals the first state of the trace',
      trace: { states: [], actions: [], fingerprints: [] },
    };
  }
  let best: ReplayResult<S, A> | undefined;
  for (const init of candidates) {
    const attempt = replayFrom(model, init, actions, expected);
    if (attempt.ok) return attempt;
    if (best === undefined || (!best.ok && attempt.step > best.step)) best = attempt;
  }
  return best!;
}

function fingerprintOfState<S, A>(model: Model<S, A>, state: S): Fingerprint {
  const fp = new Uint32Array(2);
  stateFingerprint(model, state, false, fp);
  return fingerprintHex(fp[0]!, fp[1]!);
}

/**
 * Where a replay may be: at a state of the model, or inside a composite successor of one, after
 * `taken` of its sub-steps. `path` is the replayed trace so far (a list, newest first).
 */
interface Position<S, A> {
  readonly boundary: S;
  readonly inside?: { readonly succ: Successor<S, A>; readonly taken: number };
  readonly path: { readonly state: S; readonly action?: A; readonly prev?: Position<S, A>['path'] };
}

/** The sub-steps of a successor: its `via` steps, then its own action and state. */
function subStepsOf<S, A>(succ: Successor<S, A>): readonly { readonly action: A; readonly state: S }[] {
  return succ.via === undefined || succ.via.length === 0 ? [succ] : [...succ.via, { action: succ.action, state: succ.state }];
}

/**
 * Replays at sub-step granularity: a trace step is one sub-step of a successor (the whole successor
 * when it is not composite), and a trace may end inside a composite successor. Several positions
 * are followed at once while the recorded actions cannot tell composite successors apart.
 */
function replayFrom<S, A>(
  model: Model<S, A>,
  init: S,
  actions: readonly Json[],
  expected: readonly ItfState[] | undefined,
): ReplayResult<S, A> {
  let positions: Position<S, A>[] = [{ boundary: init, path: { state: init } }];
  const traceOf = (p: Position<S, A>): Trace<S, A> => {
    const states: S[] = [];
    const taken: A[] = [];
    for (let n: Position<S, A>['path'] | undefined = p.path; n !== undefined; n = n.prev) {
      states.push(n.state);
      if (n.action !== undefined) taken.push(n.action);
    }
    states.reverse();
    taken.reverse();
    return { states, actions: taken, fingerprints: states.map((s) => fingerprintOfState(model, s)) };
  };
  for (let i = 0; i < actions.length; i++) {
    const next: Position<S, A>[] = [];
    let enabled: S | undefined;
    for (const p of positions) {
      const options: { succ: Successor<S, A>; taken: number }[] =
        p.inside === undefined ? model.successors(p.boundary).map((succ) => ({ succ, taken: 0 })) : [p.inside];
      for (const { succ, taken } of options) {
        const subs = subStepsOf(succ);
        const sub = subs[taken]!;
        if (!jsonEqual(model.actionToJson(sub.action), actions[i]!)) continue;
        enabled ??= sub.state;
        if (!stateMatches(model, sub.state, expected?.[i + 1])) continue;
        const path = { state: sub.state, action: sub.action, prev: p.path };
        next.push(
          taken + 1 === subs.length ? { boundary: succ.state, path } : { boundary: p.boundary, inside: { succ, taken: taken + 1 }, path },
        );
      }
    }
    if (next.length === 0) {
      const partial = traceOf(positions[0]!);
      if (enabled === undefined)
        return { ok: false, step: i, reason: `action ${JSON.stringify(actions[i])} is not enabled`, trace: partial };
      const want = withoutMeta(expected![i + 1]!);
      return {
        ok: false,
        step: i,
        reason: `action ${JSON.stringify(actions[i])} leads to a different state than the trace records (${describeDifference(want, model.toItf(enabled))})`,
        trace: partial,
      };
    }
    positions = next;
  }
  // Prefer a replay that ends at a state of the model over one that ends inside a composite successor.
  const trace = traceOf(positions.find((p) => p.inside === undefined) ?? positions[0]!);
  return { ok: true, trace, violations: violationsAlong(model, trace) };
}

/** The first violation of each invariant and step property along `trace`. */
export function violationsAlong<S, A>(model: Model<S, A>, trace: Trace<S, A>): TraceViolation[] {
  const out: TraceViolation[] = [];
  const seen = new Set<string>();
  const note = (property: string, kind: TraceViolation['kind'], step: number, explanation: string): void => {
    if (seen.has(`${kind}:${property}`)) return;
    seen.add(`${kind}:${property}`);
    out.push({ property, kind, step, explanation });
  };
  trace.states.forEach((state, i) => {
    if (i > 0) {
      for (const p of model.stepProperties ?? []) {
        const v = p.check(trace.states[i - 1]!, trace.actions[i - 1]!, state);
        if (!v.holds) note(p.name, 'stepProperty', i, v.explanation);
      }
    }
    for (const inv of model.invariants) {
      const v = inv.check(state);
      if (!v.holds) note(inv.name, 'invariant', i, v.explanation);
    }
  });
  return out;
}

/**
 * The whole result as JSON (for `--json`), with every trace in its ITF form. Stats, property
 * reports and everything else are already plain data.
 */
export function resultToJson<S, A>(model: Model<S, A>, result: CheckResult<S, A>): Json {
  const itf = (trace: Trace<S, A>, info: TraceInfo): Json => traceToItf(model, trace, info) as unknown as Json;
  const base = { ...result } as { [key: string]: unknown };
  if (result.kind === 'violation') {
    base.violations = result.violations.map((v) => ({
      ...v,
      trace: v.trace === undefined ? undefined : itf(v.trace, { property: v.property, kind: v.kind, explanation: v.explanation }),
    }));
  }
  if (result.kind === 'error' && result.trace !== undefined) {
    base.trace = itf(result.trace, { kind: 'error', explanation: result.message });
  }
  return JSON.parse(JSON.stringify(base)) as Json;
}
