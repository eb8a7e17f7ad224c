/**
 * Two-phase commit as in Lamport's TwoPhase.tla: resource managers (RMs), a transaction manager
 * (TM) and a set of messages that only grows. TLC reports 288 distinct states for 3 RMs.
 * The RMs are interchangeable, so `representative` relabels them into a canonical order.
 */
import * as Immutable from 'immutable';
import { Map as IMap, Record, Set as ISet, type RecordOf } from 'immutable';
import { HOLDS, HOLDS_VACUOUSLY, immutableCodec, toItfValue, violated, type Model } from '../../checker/index.js';

type RmState = 'working' | 'prepared' | 'committed' | 'aborted';

interface MessageProps {
  readonly type: 'Prepared' | 'Commit' | 'Abort';
  readonly rm: string;
}
export type Message = RecordOf<MessageProps>;
export const MessageRecord = Record<MessageProps>({ type: 'Commit', rm: '' }, 'Message');

interface TwoPhaseProps {
  readonly rmState: IMap<string, RmState>;
  readonly tmState: 'init' | 'done';
  readonly tmPrepared: ISet<string>;
  readonly msgs: ISet<Message>;
}
export type TwoPhaseState = RecordOf<TwoPhaseProps>;
export const TwoPhaseRecord = Record<TwoPhaseProps>({ rmState: IMap(), tmState: 'init', tmPrepared: ISet(), msgs: ISet() }, 'TwoPhase');

export type TwoPhaseAction =
  | { readonly type: 'TMCommit' }
  | { readonly type: 'TMAbort' }
  | {
      readonly type: 'TMRcvPrepared' | 'RMPrepare' | 'RMChooseToAbort' | 'RMRcvCommitMsg' | 'RMRcvAbortMsg';
      readonly rm: string;
    };

export interface TwoPhaseOptions {
  readonly rms?: number;
  /** Let the TM commit without waiting for every RM to prepare (breaks consistency). */
  readonly eagerCommit?: boolean;
}

const commitMsg = MessageRecord({ type: 'Commit', rm: '' });
const abortMsg = MessageRecord({ type: 'Abort', rm: '' });

function prepared(rm: string): Message {
  return MessageRecord({ type: 'Prepared', rm });
}

function successors(rms: readonly string[], eager: boolean, s: TwoPhaseState): { action: TwoPhaseAction; state: TwoPhaseState }[] {
  const out: { action: TwoPhaseAction; state: TwoPhaseState }[] = [];
  if (s.tmState === 'init' && (eager ? s.tmPrepared.size > 0 : s.tmPrepared.size === rms.length)) {
    out.push({ action: { type: 'TMCommit' }, state: s.set('tmState', 'done').set('msgs', s.msgs.add(commitMsg)) });
  }
  if (s.tmState === 'init') {
    out.push({ action: { type: 'TMAbort' }, state: s.set('tmState', 'done').set('msgs', s.msgs.add(abortMsg)) });
  }
  for (const rm of rms) {
    const st = s.rmState.get(rm);
    if (s.tmState === 'init' && s.msgs.has(prepared(rm))) {
      out.push({ action: { type: 'TMRcvPrepared', rm }, state: s.set('tmPrepared', s.tmPrepared.add(rm)) });
    }
    if (st === 'working') {
      out.push({
        action: { type: 'RMPrepare', rm },
        state: s.set('rmState', s.rmState.set(rm, 'prepared')).set('msgs', s.msgs.add(prepared(rm))),
      });
      out.push({ action: { type: 'RMChooseToAbort', rm }, state: s.set('rmState', s.rmState.set(rm, 'aborted')) });
    }
    if (s.msgs.has(commitMsg)) {
      out.push({ action: { type: 'RMRcvCommitMsg', rm }, state: s.set('rmState', s.rmState.set(rm, 'committed')) });
    }
    if (s.msgs.has(abortMsg)) {
      out.push({ action: { type: 'RMRcvAbortMsg', rm }, state: s.set('rmState', s.rmState.set(rm, 'aborted')) });
    }
  }
  return out;
}

/** The state with RM names permuted by `rename`. */
function relabel(s: TwoPhaseState, rename: (rm: string) => string): TwoPhaseState {
  return TwoPhaseRecord({
    rmState: IMap(s.rmState.mapEntries(([rm, st]) => [rename(rm), st])),
    tmState: s.tmState,
    tmPrepared: s.tmPrepared.map(rename),
    msgs: s.msgs.map((m) => (m.type === 'Prepared' ? prepared(rename(m.rm)) : m)),
  });
}

/** Sorting RMs by everything the state says about each gives one labelling per orbit. */
function representative(rms: readonly string[], s: TwoPhaseState): TwoPhaseState {
  const signature = (rm: string): string => `${s.rmState.get(rm)}/${s.tmPrepared.has(rm) ? 1 : 0}/${s.msgs.has(prepared(rm)) ? 1 : 0}`;
  const order = [...rms].sort((a, b) => (signature(a) < signature(b) ? -1 : signature(a) > signature(b) ? 1 : 0));
  const target = new Map(order.map((rm, i) => [rm, rms[i]!]));
  return relabel(s, (rm) => target.get(rm)!);
}

export function createModel(options: TwoPhaseOptions = {}): Model<TwoPhaseState, TwoPhaseAction> {
  const rms = Array.from({ length: options.rms ?? 3 }, (_, i) => `r${i + 1}`);
  const eager = options.eagerCommit === true;
  return {
    name: `twoPhase(${rms.length}${eager ? ',eager' : ''})`,
    configuration: { rms: rms.length, eagerCommit: eager },
    initStates: () => [TwoPhaseRecord({ rmState: IMap(rms.map((rm) => [rm, 'working' as RmState])) })],
    successors: (s) => successors(rms, eager, s),
    actionName: (a) => a.type,
    formatAction: (a) => ('rm' in a ? `${a.type}(${a.rm})` : a.type),
    actionToJson: (a) => ({ ...a }),
    invariants: [
      {
        name: 'consistent',
        description: 'no RM has committed while another has aborted',
        check: (s) => {
          const states = [...s.rmState.values()];
          if (!states.includes('committed')) return HOLDS_VACUOUSLY;
          return states.includes('aborted') ? violated('one RM committed and another aborted') : HOLDS;
        },
      },
    ],
    stepProperties: [
      {
        name: 'commitIsFinal',
        check: (from, _a, to) => {
          const committed = [...from.rmState.entries()].filter(([, st]) => st === 'committed');
          if (committed.length === 0) return HOLDS_VACUOUSLY;
          return committed.every(([rm]) => to.rmState.get(rm) === 'committed') ? HOLDS : violated('an RM left committed');
        },
      },
    ],
    witnesses: [
      { name: 'allCommitted', holds: (s) => [...s.rmState.values()].every((st) => st === 'committed') },
      { name: 'allAborted', holds: (s) => [...s.rmState.values()].every((st) => st === 'aborted') },
    ],
    representative: (s) => representative(rms, s),
    codec: immutableCodec<TwoPhaseState>({
      immutable: Immutable,
      records: { TwoPhase: TwoPhaseRecord, Message: MessageRecord },
    }),
    toItf: (s) => ({
      rmState: toItfValue(s.rmState),
      tmState: s.tmState,
      tmPrepared: toItfValue(s.tmPrepared),
      msgs: toItfValue(s.msgs),
    }),
  };
}
