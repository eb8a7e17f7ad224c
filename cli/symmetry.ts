/**
 * Client symmetry: clients with the same request pattern are interchangeable, so the checker may
 * keep one representative per renaming class of states (configs/README.md argues it; the e2e tests
 * compare it with the unreduced model). Whether it applies is `symmetryApplies` (cli/config.ts).
 */
import * as Immutable from 'immutable';
import { List, Map as IMap } from 'immutable';
import { BoundedMemo } from '../spec/boundedMemo.js';
import type { RslSystem } from '../spec/index.js';

type S = RslSystem;

/** Renamed values kept per generation, per renaming (spec/boundedMemo.ts). */
const RENAMED_CAPACITY = 1 << 13;

/**
 * Renames every occurrence of a client end point inside an immutable value. Memoised per object
 * (and per renaming), so the unchanged parts a state shares with its parent are renamed once.
 * A value that mentions no renamed client comes back as the same object (Records and Lists do
 * this by themselves; Maps and Sets are checked), so the codec's per-object memo still applies to
 * it when the renamed state is encoded.
 *
 * The memo is bounded (spec/boundedMemo.ts) and keeps only the values that recur across states:
 * the packet set (a state's own field that is not a List) and the values one level below a
 * state's fields (replica states, packets, client states, execution histories). A state and its
 * Lists are new in almost every state, so remembering them bought nothing and sized a WeakMap's
 * table by the largest frontier (the table does not shrink when its keys die); what lies inside a
 * replica state is renamed again when a new replica state is, which is once per replica state
 * while it stays in the memo. And weak keys would keep every renaming alive: a renamed value is
 * renamed again when a representative is expanded, chaining each renaming to the next.
 */
class Renamer {
  private readonly memo = new BoundedMemo<object, unknown>(RENAMED_CAPACITY);
  /** The field names of each Record type, by prototype. */
  private readonly keys = new globalThis.Map<object, readonly string[]>();
  constructor(private readonly mapping: ReadonlyMap<string, string>) {}

  private keysOf(record: Immutable.Record<Record<string, unknown>>): readonly string[] {
    const proto = Object.getPrototypeOf(record) as object;
    let keys = this.keys.get(proto);
    if (keys === undefined) {
      keys = record.toSeq().keySeq().toArray();
      this.keys.set(proto, keys);
    }
    return keys;
  }

  /** `v` renamed; `depth` is how far below the state it is (0: the state itself). */
  rename<T>(v: T, depth = 0): T {
    if (typeof v === 'string') return (this.mapping.get(v) ?? v) as T;
    if (v === null || typeof v !== 'object') return v;
    const memoised = depth === 2 || (depth === 1 && !Immutable.isList(v));
    const hit = memoised ? this.memo.get(v) : undefined;
    if (hit !== undefined) return hit as T;
    const below = depth + 1;
    let out: unknown;
    if (Immutable.isRecord(v)) {
      // Field by field, setting only the fields that change: cheaper than withMutations over a Seq.
      const record = v as unknown as Immutable.Record<Record<string, unknown>>;
      let renamed = record;
      for (const k of this.keysOf(record)) {
        const x = record.get(k);
        const y = this.rename(x, below);
        if (y !== x) renamed = renamed.set(k, y);
      }
      out = renamed;
    } else if (Immutable.isMap(v)) {
      const entries = (v as Immutable.Map<unknown, unknown>).toArray();
      const renamed = entries.map(([k, x]): [unknown, unknown] => [this.rename(k, below), this.rename(x, below)]);
      out = renamed.every(([k, x], i) => k === entries[i]![0] && x === entries[i]![1]) ? v : IMap(renamed);
    } else if (Immutable.isSet(v)) {
      const items = (v as Immutable.Set<unknown>).toArray();
      const renamed = items.map((x) => this.rename(x, below));
      out = renamed.every((x, i) => x === items[i]) ? v : Immutable.Set(renamed);
    } else if (Immutable.isList(v)) {
      out = (v as Immutable.List<unknown>).map((x) => this.rename(x, below));
    } else {
      out = v;
    }
    if (memoised) this.memo.set(v, out);
    return out as T;
  }
}

function permutations(n: number): number[][] {
  if (n <= 1) return [[...Array(n).keys()]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_x, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

/**
 * Client symmetry: every client has the same request pattern, so renaming clients maps behaviours
 * to behaviours (the spec treats end points as opaque identities; no action orders them). The
 * representative is the renaming whose fingerprint (`fingerprint`, a function of the value alone)
 * is smallest: a canonical choice in the orbit that, unlike comparing whole encodings, costs only
 * the fingerprints of the renamed parts, which the renamer and the codec both remember. Replica
 * ids are NOT symmetric: ballots are ordered by proposer id and views rotate through the replicas.
 */
export function clientSymmetry(clients: readonly string[], fingerprint: (s: S, out: Uint32Array) => void): (s: S) => S {
  const renamers = permutations(clients.length)
    .filter((perm) => perm.some((j, i) => j !== i))
    .map((perm) => ({ perm, renamer: new Renamer(new globalThis.Map(clients.map((c, i) => [c, clients[perm[i]!]!]))) }));
  const fp = new Uint32Array(2);
  return (s: S) => {
    let best = s;
    fingerprint(s, fp);
    let bestHi = fp[0]!;
    let bestLo = fp[1]!;
    for (const { perm, renamer } of renamers) {
      const renamed = renamer.rename(s);
      // The client at index i becomes client perm[i]: its local state moves with it.
      const clientsPermuted = List(clients.map((_c, j) => renamed.clients.get(perm.indexOf(j))!));
      const candidate = renamed.set('clients', clientsPermuted);
      fingerprint(candidate, fp);
      if (fp[0]! < bestHi || (fp[0] === bestHi && fp[1]! < bestLo)) {
        best = candidate;
        bestHi = fp[0]!;
        bestLo = fp[1]!;
      }
    }
    return best;
  };
}
