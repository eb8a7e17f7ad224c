/**
 * What `rsl trace view` and `rsl explore` tell the page beyond the ITF trace: each obligation's
 * verdict on each state of the trace (and each step obligation on each step), which scenarios
 * hold in each state, and which ITF variables belong to which kind of host. The page itself
 * knows no spec; this is where the spec's knowledge is turned into plain data (web/model/data.ts).
 */
import type { Model, Trace, Verdict } from '../checker/index.js';
import type { Annotations, VerdictData } from '../web/model/data.js';

/**
 * The RSL system's array variables by host kind: `replicas[i]`, `clocks[i]` and
 * `executedBatches[i]` are replica i's, `clients[i]` client i's. The page cannot tell `clocks`
 * from a client array by length alone when there are as many clients as replicas.
 */
const rslHostVars: Readonly<Record<string, string>> = {
  replicas: 'replica',
  clocks: 'replica',
  executedBatches: 'replica',
  clients: 'client',
};

function verdictData(v: Verdict): VerdictData {
  if (!v.holds) return { violated: v.explanation };
  return v.premise ? 'holds' : 'vacuous';
}

/** Every obligation of `model` evaluated on every state and step of `trace`. */
export function annotateTrace<S, A>(model: Model<S, A>, trace: Trace<S, A>, note?: string): Annotations {
  const invariants = model.invariants;
  const steps = model.stepProperties ?? [];
  const witnesses = model.witnesses ?? [];
  const describe = (d: string | undefined): { description?: string } => (d === undefined ? {} : { description: d });
  const verdicts = trace.states.map((s, i) => [
    ...invariants.map((inv) => verdictData(inv.check(s))),
    ...steps.map((p) => (i === 0 ? null : verdictData(p.check(trace.states[i - 1]!, trace.actions[i - 1]!, s)))),
  ]);
  return {
    obligations: [
      ...invariants.map((inv) => ({ name: inv.name, kind: 'state' as const, ...describe(inv.description) })),
      ...steps.map((p) => ({ name: p.name, kind: 'step' as const, ...describe(p.description) })),
    ],
    verdicts,
    scenarios: witnesses.map((w) => ({ name: w.name, ...describe(w.description) })),
    reached: trace.states.map((s) => witnesses.map((w) => w.holds(s))),
    hostVars: rslHostVars,
    ...(note === undefined ? {} : { note }),
  };
}
