/**
 * Single-decree Paxos as in Lamport's Paxos.tla, the checker benchmark's model: acceptors, values
 * and ballots 0..ballots-1; the variables maxBal, maxVBal, maxVal per acceptor and the set of all
 * messages ever sent. Actions Phase1a(b), Phase1b(a), Phase2a(b, v), Phase2b(a); the invariant is
 * agreement (at most one value chosen), plus two helper invariants and a "value chosen" witness.
 *
 * Two encodings of the same model, which must give the same counts:
 * - `bytes`: a state is a Uint8Array (three bytes per acceptor, then a bitmap of the finitely many
 *   possible messages), its own canonical encoding;
 * - `immutable`: Records, Lists and a Set of message Records, with the checker's immutableCodec.
 *
 * Counting note: TLC would generate one successor per quorum that enables Phase2a(b, v); both
 * encodings generate one per (b, v), so "generated" is slightly below TLC's for this spec.
 */
import * as Immutable from 'immutable';
import { List, Record, Set as ISet, type RecordOf } from 'immutable';
import { HOLDS, HOLDS_VACUOUSLY, immutableCodec, toItfValue, violated, type Model } from '../checker/index.js';

export interface PaxosOptions {
  readonly acceptors?: number;
  readonly values?: number;
  readonly ballots?: number;
  readonly encoding?: 'bytes' | 'immutable';
  /** Let an acceptor vote without checking maxBal (breaks agreement), to test violation paths. */
  readonly unsafeVote?: boolean;
  /** The immutable encoding's codec memo (default on), to measure what it saves. */
  readonly memoize?: boolean;
}

export type PaxosAction =
  | { readonly type: 'Phase1a'; readonly b: number }
  | { readonly type: 'Phase1b'; readonly a: number; readonly b: number }
  | { readonly type: 'Phase2a'; readonly b: number; readonly v: number }
  | { readonly type: 'Phase2b'; readonly a: number; readonly b: number; readonly v: number };

/** A message in the abstract; -1 stands for "none" in mbal/mval. */
interface Msg {
  readonly type: '1a' | '1b' | '2a' | '2b';
  readonly acc: number;
  readonly bal: number;
  readonly mbal: number;
  readonly mval: number;
  readonly val: number;
}

interface Config {
  readonly n: number;
  readonly values: number;
  readonly ballots: number;
  readonly quorum: number;
  readonly unsafeVote: boolean;
}

function formatAction(a: PaxosAction): string {
  switch (a.type) {
    case 'Phase1a':
      return `Phase1a(b=${a.b})`;
    case 'Phase1b':
      return `Phase1b(a${a.a}, b=${a.b})`;
    case 'Phase2a':
      return `Phase2a(b=${a.b}, v${a.v})`;
    case 'Phase2b':
      return `Phase2b(a${a.a}, b=${a.b}, v${a.v})`;
  }
}

/**
 * The state operations both encodings implement; the Paxos logic below is written once against them.
 */
interface View<S> {
  maxBal(s: S, a: number): number;
  maxVBal(s: S, a: number): number;
  maxVal(s: S, a: number): number;
  has(s: S, m: Msg): boolean;
  /** All messages of `type` in the state, in a canonical order. */
  messages(s: S, type: Msg['type']): Msg[];
  /** `s` with acceptor `a`'s variables replaced (undefined: unchanged) and message `m` added. */
  next(s: S, a: number, maxBal: number | undefined, vote: { bal: number; val: number } | undefined, m: Msg): S;
}

const msg = (type: Msg['type'], fields: Partial<Msg>): Msg => ({ acc: -1, bal: -1, mbal: -1, mval: -1, val: -1, type, ...fields });

function successors<S>(c: Config, v: View<S>, s: S): { action: PaxosAction; state: S }[] {
  const out: { action: PaxosAction; state: S }[] = [];
  const ones = v.messages(s, '1a');
  const oneBs = v.messages(s, '1b');
  const twos = v.messages(s, '2a');
  for (let b = 0; b < c.ballots; b++) {
    out.push({ action: { type: 'Phase1a', b }, state: v.next(s, -1, undefined, undefined, msg('1a', { bal: b })) });
    for (let val = 0; val < c.values; val++) {
      if (phase2aEnabled(c, oneBs, twos, b, val)) {
        out.push({ action: { type: 'Phase2a', b, v: val }, state: v.next(s, -1, undefined, undefined, msg('2a', { bal: b, val })) });
      }
    }
  }
  for (let a = 0; a < c.n; a++) {
    for (const m of ones) {
      if (m.bal > v.maxBal(s, a)) {
        const reply = msg('1b', { acc: a, bal: m.bal, mbal: v.maxVBal(s, a), mval: v.maxVal(s, a) });
        out.push({ action: { type: 'Phase1b', a, b: m.bal }, state: v.next(s, a, m.bal, undefined, reply) });
      }
    }
    for (const m of twos) {
      if (c.unsafeVote || m.bal >= v.maxBal(s, a)) {
        const vote = msg('2b', { acc: a, bal: m.bal, val: m.val });
        out.push({
          action: { type: 'Phase2b', a, b: m.bal, v: m.val },
          state: v.next(s, a, m.bal, { bal: m.bal, val: m.val }, vote),
        });
      }
    }
  }
  return out;
}

/**
 * Phase2a(b, v): no 2a for b yet, and for some quorum Q every member sent a 1b for b, and either
 * none of those 1b reports a vote, or v is the value of one reporting the highest vote.
 */
function phase2aEnabled(c: Config, oneBs: readonly Msg[], twos: readonly Msg[], b: number, val: number): boolean {
  for (const m of twos) if (m.bal === b) return false;
  for (const q of quorumMasks(c.n, c.quorum)) {
    let members = 0;
    let highest = -1;
    let valueAtHighest = false;
    for (const m of oneBs) {
      if (m.bal !== b || (q & (1 << m.acc)) === 0) continue;
      members |= 1 << m.acc;
      if (m.mbal > highest) {
        highest = m.mbal;
        valueAtHighest = m.mval === val;
      } else if (m.mbal === highest && m.mval === val) {
        valueAtHighest = true;
      }
    }
    if (members === q && (highest < 0 || valueAtHighest)) return true;
  }
  return false;
}

const quorumCache = new Map<string, number[]>();

/** All sets of exactly `size` acceptors as bitmasks (every larger set contains one, so these suffice). */
function quorumMasks(n: number, size: number): number[] {
  const key = `${n}/${size}`;
  let qs = quorumCache.get(key);
  if (qs === undefined) {
    qs = [];
    for (let mask = 0; mask < 1 << n; mask++) {
      let members = 0;
      for (let a = 0; a < n; a++) if ((mask & (1 << a)) !== 0) members++;
      if (members === size) qs.push(mask);
    }
    quorumCache.set(key, qs);
  }
  return qs;
}

/** The values chosen: voted for by a quorum in one ballot. */
function chosen<S>(c: Config, v: View<S>, s: S): number[] {
  const counts = new Array<number>(c.ballots * c.values).fill(0);
  for (const m of v.messages(s, '2b')) counts[m.bal * c.values + m.val]!++;
  const out: number[] = [];
  for (let val = 0; val < c.values; val++) {
    for (let b = 0; b < c.ballots; b++) {
      if (counts[b * c.values + val]! >= c.quorum) {
        out.push(val);
        break;
      }
    }
  }
  return out;
}

function properties<S>(c: Config, v: View<S>): Pick<Model<S, PaxosAction>, 'invariants' | 'witnesses'> {
  return {
    invariants: [
      {
        name: 'agreement',
        description: 'at most one value is chosen',
        check: (s) => {
          const vals = chosen(c, v, s);
          if (vals.length === 0) return HOLDS_VACUOUSLY;
          return vals.length === 1 ? HOLDS : violated(`values ${vals.join(' and ')} are both chosen`);
        },
      },
      {
        name: 'voteBelowPromise',
        description: "an acceptor's last vote is in a ballot it has promised",
        check: (s) => {
          let premise = false;
          for (let a = 0; a < c.n; a++) {
            if (v.maxVBal(s, a) < 0) continue;
            premise = true;
            if (v.maxVBal(s, a) > v.maxBal(s, a)) return violated(`acceptor ${a} voted above its promise`);
          }
          return premise ? HOLDS : HOLDS_VACUOUSLY;
        },
      },
      {
        name: 'votesFollowProposals',
        description: 'every 2b message has a 2a message with the same ballot and value',
        check: (s) => {
          const votes = v.messages(s, '2b');
          if (votes.length === 0) return HOLDS_VACUOUSLY;
          const bad = votes.find((m) => !v.has(s, msg('2a', { bal: m.bal, val: m.val })));
          return bad === undefined ? HOLDS : violated(`vote of acceptor ${bad.acc} in ballot ${bad.bal} has no proposal`);
        },
      },
    ],
    witnesses: [{ name: 'valueChosen', holds: (s) => chosen(c, v, s).length > 0 }],
  };
}

// ---------------------------------------------------------------------------------------------
// The bytes encoding: [maxBal+1, maxVBal+1, maxVal+1] per acceptor, then one bit per message.

class MessageIndex {
  readonly count: number;
  private readonly oneA: number;
  private readonly oneB: number;
  private readonly twoA: number;
  private readonly twoB: number;
  /** Decoded message per bit, by type, in bit order. */
  readonly byType: { readonly [t in Msg['type']]: readonly { bit: number; m: Msg }[] };

  constructor(private readonly c: Config) {
    const vote = c.ballots * c.values + 1;
    this.oneA = 0;
    this.oneB = c.ballots;
    this.twoA = this.oneB + c.n * c.ballots * vote;
    this.twoB = this.twoA + c.ballots * c.values;
    this.count = this.twoB + c.n * c.ballots * c.values;
    const byType: { [t in Msg['type']]: { bit: number; m: Msg }[] } = { '1a': [], '1b': [], '2a': [], '2b': [] };
    for (let b = 0; b < c.ballots; b++) byType['1a'].push({ bit: this.bit(msg('1a', { bal: b })), m: msg('1a', { bal: b }) });
    for (let a = 0; a < c.n; a++) {
      for (let b = 0; b < c.ballots; b++) {
        for (let k = 0; k < vote; k++) {
          const m =
            k === 0
              ? msg('1b', { acc: a, bal: b })
              : msg('1b', { acc: a, bal: b, mbal: Math.floor((k - 1) / c.values), mval: (k - 1) % c.values });
          byType['1b'].push({ bit: this.bit(m), m });
        }
      }
    }
    for (let b = 0; b < c.ballots; b++) {
      for (let val = 0; val < c.values; val++)
        byType['2a'].push({ bit: this.bit(msg('2a', { bal: b, val })), m: msg('2a', { bal: b, val }) });
    }
    for (let a = 0; a < c.n; a++) {
      for (let b = 0; b < c.ballots; b++) {
        for (let val = 0; val < c.values; val++) {
          const m = msg('2b', { acc: a, bal: b, val });
          byType['2b'].push({ bit: this.bit(m), m });
        }
      }
    }
    this.byType = byType;
  }

  bit(m: Msg): number {
    const c = this.c;
    switch (m.type) {
      case '1a':
        return this.oneA + m.bal;
      case '1b': {
        const k = m.mbal < 0 ? 0 : 1 + m.mbal * c.values + m.mval;
        return this.oneB + (m.acc * c.ballots + m.bal) * (c.ballots * c.values + 1) + k;
      }
      case '2a':
        return this.twoA + m.bal * c.values + m.val;
      case '2b':
        return this.twoB + (m.acc * c.ballots + m.bal) * c.values + m.val;
    }
  }
}

function bytesView(c: Config, index: MessageIndex): View<Uint8Array> {
  const base = 3 * c.n;
  const has = (s: Uint8Array, bit: number): boolean => (s[base + (bit >>> 3)]! & (1 << (bit & 7))) !== 0;
  // Invariants, witness and successors all ask the same state for its messages: remember the last.
  let cachedState: Uint8Array | undefined;
  const cache: { [t in Msg['type']]?: Msg[] } = {};
  return {
    maxBal: (s, a) => s[3 * a]! - 1,
    maxVBal: (s, a) => s[3 * a + 1]! - 1,
    maxVal: (s, a) => s[3 * a + 2]! - 1,
    has: (s, m) => has(s, index.bit(m)),
    messages: (s, type) => {
      if (s !== cachedState) {
        cachedState = s;
        cache['1a'] = cache['1b'] = cache['2a'] = cache['2b'] = undefined;
      }
      let ms = cache[type];
      if (ms === undefined) {
        ms = [];
        for (const e of index.byType[type]) if (has(s, e.bit)) ms.push(e.m);
        cache[type] = ms;
      }
      return ms;
    },
    next: (s, a, maxBal, vote, m) => {
      const t = s.slice();
      if (maxBal !== undefined) t[3 * a] = maxBal + 1;
      if (vote !== undefined) {
        t[3 * a + 1] = vote.bal + 1;
        t[3 * a + 2] = vote.val + 1;
      }
      const bit = index.bit(m);
      t[base + (bit >>> 3)] = t[base + (bit >>> 3)]! | (1 << (bit & 7));
      return t;
    },
  };
}

function bytesModel(c: Config, name: string): Model<Uint8Array, PaxosAction> {
  const index = new MessageIndex(c);
  const view = bytesView(c, index);
  const size = 3 * c.n + Math.ceil(index.count / 8);
  return {
    name,
    configuration: { acceptors: c.n, values: c.values, ballots: c.ballots, encoding: 'bytes', unsafeVote: c.unsafeVote },
    initStates: () => [new Uint8Array(size)],
    successors: (s) => successors(c, view, s),
    actionName: (a) => a.type,
    formatAction,
    actionToJson: (a) => ({ ...a }),
    ...properties(c, view),
    codec: {
      encode: (s) => s.slice(),
      encodeTransient: (s) => s,
      decode: (b) => b.slice(),
    },
    toItf: (s) => ({
      maxBal: Array.from({ length: c.n }, (_, a) => view.maxBal(s, a)),
      maxVBal: Array.from({ length: c.n }, (_, a) => view.maxVBal(s, a)),
      maxVal: Array.from({ length: c.n }, (_, a) => view.maxVal(s, a)),
      msgs: { '#set': (['1a', '1b', '2a', '2b'] as const).flatMap((t) => view.messages(s, t)).map((m) => ({ ...m })) },
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// The immutable.js encoding.

const MsgRecord = Record<Msg>({ type: '1a', acc: -1, bal: -1, mbal: -1, mval: -1, val: -1 }, 'PaxosMsg');
type MsgRec = RecordOf<Msg>;

interface PaxosProps {
  readonly maxBal: List<number>;
  readonly maxVBal: List<number>;
  readonly maxVal: List<number>;
  readonly msgs: ISet<MsgRec>;
}
const PaxosRecord = Record<PaxosProps>({ maxBal: List(), maxVBal: List(), maxVal: List(), msgs: ISet() }, 'Paxos');
type PaxosState = RecordOf<PaxosProps>;

const msgOrder = (a: Msg, b: Msg): number => a.bal - b.bal || a.acc - b.acc || a.mbal - b.mbal || a.mval - b.mval || a.val - b.val;

let cachedState: PaxosState | undefined;
let cachedMessages: { [t in Msg['type']]?: Msg[] } = {};

const immutableView: View<PaxosState> = {
  maxBal: (s, a) => s.maxBal.get(a)!,
  maxVBal: (s, a) => s.maxVBal.get(a)!,
  maxVal: (s, a) => s.maxVal.get(a)!,
  has: (s, m) => s.msgs.has(MsgRecord(m)),
  messages: (s, type) => {
    if (s !== cachedState) {
      cachedState = s;
      cachedMessages = {};
    }
    let ms = cachedMessages[type];
    if (ms === undefined) {
      ms = s.msgs
        .filter((m) => m.type === type)
        .toArray()
        .sort(msgOrder);
      cachedMessages[type] = ms;
    }
    return ms;
  },
  next: (s, a, maxBal, vote, m) =>
    s.withMutations((t) => {
      if (maxBal !== undefined) t.set('maxBal', t.maxBal.set(a, maxBal));
      if (vote !== undefined) t.set('maxVBal', t.maxVBal.set(a, vote.bal)).set('maxVal', t.maxVal.set(a, vote.val));
      t.set('msgs', t.msgs.add(MsgRecord(m)));
    }),
};

function immutableModel(c: Config, name: string, memoize: boolean): Model<PaxosState, PaxosAction> {
  const none = List(Array.from({ length: c.n }, () => -1));
  return {
    name,
    configuration: { acceptors: c.n, values: c.values, ballots: c.ballots, encoding: 'immutable', unsafeVote: c.unsafeVote },
    initStates: () => [PaxosRecord({ maxBal: none, maxVBal: none, maxVal: none })],
    successors: (s) => successors(c, immutableView, s),
    actionName: (a) => a.type,
    formatAction,
    actionToJson: (a) => ({ ...a }),
    ...properties(c, immutableView),
    codec: immutableCodec<PaxosState>({ immutable: Immutable, records: { Paxos: PaxosRecord, PaxosMsg: MsgRecord }, memoize }),
    toItf: (s) => ({
      maxBal: toItfValue(s.maxBal),
      maxVBal: toItfValue(s.maxVBal),
      maxVal: toItfValue(s.maxVal),
      msgs: toItfValue(s.msgs),
    }),
  };
}

/** The model factory (also what worker threads call). */
export function createModel(options: PaxosOptions = {}): Model<unknown, PaxosAction> {
  const n = options.acceptors ?? 3;
  const c: Config = {
    n,
    values: options.values ?? 2,
    ballots: options.ballots ?? 3,
    quorum: Math.floor(n / 2) + 1,
    unsafeVote: options.unsafeVote === true,
  };
  const encoding = options.encoding ?? 'bytes';
  const name = `paxos(a=${c.n},v=${c.values},b=${c.ballots}${c.unsafeVote ? ',unsafe' : ''},${encoding})`;
  return (encoding === 'bytes' ? bytesModel(c, name) : immutableModel(c, name, options.memoize ?? true)) as Model<unknown, PaxosAction>;
}
