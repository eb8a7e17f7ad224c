/**
 * Per-property and per-action counters, shared by exhaustive checking and simulation, and their
 * conversion into the reports of a result. Plain arrays indexed like the model's property lists,
 * so the merge loop can bump them without lookups.
 */
import type { Model } from './model.js';
import type { ActionStats, PropertyReport, PropertyStatus, Stats } from './result.js';
import { collisionProbability } from './fingerprint.js';

export class Tally {
  /** Distinct states on which the properties were evaluated. */
  checked = 0;
  /** Distinct intermediate states of composite successors on which they were evaluated. */
  intermediate = 0;
  /** Transitions (sub-steps of composite ones) on which the step properties were evaluated. */
  transitions = 0;
  readonly invariantPremise: number[];
  readonly invariantViolations: number[];
  readonly stepPremise: number[];
  readonly stepViolations: number[];
  readonly witnessHits: number[];
  readonly witnessFirstDepth: (number | undefined)[];
  readonly cutByBound: { [bound: string]: number } = {};

  private readonly actionIds = new Map<string, number>();
  private readonly actionNames: string[] = [];
  readonly enabled: number[] = [];
  readonly fired: number[] = [];
  readonly newStates: number[] = [];
  /** Per action: the last state (by number) in which it was counted as enabled. */
  readonly lastEnabledBy: number[] = [];

  constructor(private readonly model: Model<unknown, unknown>) {
    const zeros = (n: number): number[] => new Array<number>(n).fill(0);
    this.invariantPremise = zeros(model.invariants.length);
    this.invariantViolations = zeros(model.invariants.length);
    this.stepPremise = zeros(model.stepProperties?.length ?? 0);
    this.stepViolations = zeros(model.stepProperties?.length ?? 0);
    this.witnessHits = zeros(model.witnesses?.length ?? 0);
    this.witnessFirstDepth = new Array<number | undefined>(model.witnesses?.length ?? 0).fill(undefined);
  }

  /** Dense id of an action name, allocated on first use. */
  actionId(name: string): number {
    let id = this.actionIds.get(name);
    if (id === undefined) {
      id = this.actionNames.length;
      this.actionIds.set(name, id);
      this.actionNames.push(name);
      this.enabled.push(0);
      this.fired.push(0);
      this.newStates.push(0);
      this.lastEnabledBy.push(-1);
    }
    return id;
  }

  /** One successor produced by action `id` from state number `state`. */
  fire(id: number, state: number): void {
    this.fired[id]!++;
    if (this.lastEnabledBy[id] !== state) {
      this.lastEnabledBy[id] = state;
      this.enabled[id]!++;
    }
  }

  cut(bound: string): void {
    this.cutByBound[bound] = (this.cutByBound[bound] ?? 0) + 1;
  }

  witnessed(k: number, depth: number): void {
    this.witnessHits[k]!++;
    this.witnessFirstDepth[k] ??= depth;
  }

  actions(): ActionStats[] {
    return this.actionNames.map((name, i) => ({
      name,
      enabled: this.enabled[i]!,
      fired: this.fired[i]!,
      distinct: this.newStates[i]!,
    }));
  }

  properties(): PropertyReport[] {
    const m = this.model;
    const status = (violations: number, premise: number): PropertyStatus =>
      violations > 0 ? 'violated' : premise > 0 ? 'holds' : 'vacuous';
    const described = (d: string | undefined): { description?: string } => (d === undefined ? {} : { description: d });
    return [
      ...m.invariants.map((p, k) => ({
        name: p.name,
        kind: 'invariant' as const,
        ...described(p.description),
        status: status(this.invariantViolations[k]!, this.invariantPremise[k]!),
        checked: this.checked + this.intermediate,
        premise: this.invariantPremise[k]!,
        violations: this.invariantViolations[k]!,
      })),
      ...(m.stepProperties ?? []).map((p, k) => ({
        name: p.name,
        kind: 'stepProperty' as const,
        ...described(p.description),
        status: status(this.stepViolations[k]!, this.stepPremise[k]!),
        checked: this.transitions,
        premise: this.stepPremise[k]!,
        violations: this.stepViolations[k]!,
      })),
      ...(m.witnesses ?? []).map((p, k) => {
        const firstDepth = this.witnessFirstDepth[k];
        return {
          name: p.name,
          kind: 'witness' as const,
          ...described(p.description),
          status: this.witnessHits[k]! > 0 ? ('witnessed' as const) : ('unwitnessed' as const),
          checked: this.checked + this.intermediate,
          premise: this.witnessHits[k]!,
          violations: 0,
          ...(firstDepth === undefined ? {} : { firstDepth }),
        };
      }),
    ];
  }
}

/** The counts a run has besides its tally; `collisionBasis` is the number of fingerprints computed. */
export interface RunCounts {
  readonly elapsedMs: number;
  readonly generated: number;
  readonly distinct: number;
  readonly depth: number;
  readonly frontier: number;
  readonly initial: number;
  readonly levelSizes: readonly number[];
  readonly collisionBasis: number;
  readonly seenSetBytes: number;
  readonly intermediateSetBytes: number;
  readonly workers: number;
  readonly symmetry: boolean;
  readonly census?: Stats['census'];
}

/** The `Stats` of a run (exhaustive or simulation), from its tally and counts. */
export function runStats(tally: Tally, c: RunCounts): Stats {
  const seconds = Math.max(c.elapsedMs, 1) / 1000;
  return {
    generated: c.generated,
    distinct: c.distinct,
    depth: c.depth,
    frontier: c.frontier,
    checked: tally.checked,
    intermediate: tally.intermediate,
    initial: c.initial,
    levelSizes: [...c.levelSizes],
    elapsedMs: c.elapsedMs,
    distinctPerSecond: c.distinct / seconds,
    generatedPerSecond: c.generated / seconds,
    actions: tally.actions(),
    cutByBound: { ...tally.cutByBound },
    collisionProbability: collisionProbability(c.distinct, c.collisionBasis),
    seenSetBytes: c.seenSetBytes,
    bytesPerState: c.distinct === 0 ? 0 : c.seenSetBytes / c.distinct,
    intermediateSetBytes: c.intermediateSetBytes,
    workers: c.workers,
    symmetry: c.symmetry,
    ...(c.census === undefined ? {} : { census: c.census }),
  };
}
