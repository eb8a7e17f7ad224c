/**
 * The data a page is given: the contract between the CLI (which writes or serves the page) and the
 * page. Plain JSON. The trace is an ITF trace as it is stored in a file; everything else is
 * optional, so a page for a foreign ITF trace (no model the CLI knows) still renders the trace.
 */
import type { ItfTrace } from './itf.js';

/** One obligation's verdict in one state: held with its premise, held vacuously, or violated. */
export type VerdictData = 'holds' | 'vacuous' | { readonly violated: string };

export interface ObligationData {
  readonly name: string;
  readonly kind: 'state' | 'step';
  readonly description?: string;
}

export interface ScenarioData {
  readonly name: string;
  readonly description?: string;
}

/** What the CLI computed about the trace by evaluating the model's obligations on each state. */
export interface Annotations {
  readonly obligations: readonly ObligationData[];
  /**
   * `verdicts[i][k]`: obligation k in state i (a step obligation: on the step into state i; null
   * in state 0, which no step leads to).
   */
  readonly verdicts: readonly (readonly (VerdictData | null)[])[];
  readonly scenarios?: readonly ScenarioData[];
  /** `reached[i][k]`: scenario k holds in state i. */
  readonly reached?: readonly (readonly boolean[])[];
  /** Which host kind an array variable belongs to, where the trace alone leaves it open. */
  readonly hostVars?: Readonly<Record<string, string>>;
  /** A note on how the annotations were obtained (`replayed against rsl:mutants-r3 …`). */
  readonly note?: string;
}

/** An enabled successor of the explorer's current state. */
export interface SuccessorData {
  readonly label: string;
  readonly host?: string;
  /** Obligations this successor would violate (names), so the user sees where a bug is. */
  readonly violates?: readonly string[];
}

/** What the explorer's server answers for a path: the trace so far and where it can go next. */
export interface ExploreData {
  readonly path: readonly number[];
  /**
   * `ends[k]`: the trace row of the state reached after the first k successors of the path (a
   * composite successor spans several rows), so the page can branch off at an earlier state.
   */
  readonly ends: readonly number[];
  readonly successors: readonly SuccessorData[];
  /** The model's name. */
  readonly model: string;
}

export interface PageData {
  readonly title: string;
  /** Where the trace came from (a file path), shown under the title. */
  readonly source?: string;
  readonly trace?: ItfTrace;
  readonly annotations?: Annotations;
  /** Present in the explorer: the page fetches traces from `api` and shows `explore`. */
  readonly live?: { readonly api: string };
  readonly explore?: ExploreData;
  /** Anything the CLI wants shown as a notice (why obligations are missing, for instance). */
  readonly notice?: string;
}

/** The explorer's answer to `GET <api>/view?path=…`. */
export interface ExploreView {
  readonly trace: ItfTrace;
  readonly annotations?: Annotations;
  readonly explore: ExploreData;
}
