/**
 * What the page shows of an ITF trace, computed from the trace alone: the hosts (lifelines), the
 * packets (who sent what at which step, and the steps that received it), each step's acting host
 * and action, each host's state as fields with the ones that changed, and the view changes and
 * decisions on the lifelines. Pure and generic: it knows common ITF shapes, not one protocol.
 *
 * How the pieces are found:
 * - hosts: the host named by each step's `#meta.action` (`replica`, `client`, `host`, `node`,
 *   `process`), the ends of every packet, the entries of arrays named after a host kind
 *   (`replicas[i]` is `r<i>`) and the keys of maps keyed by host names;
 * - packets: the members of every variable that holds a set (or list) of records with a sender and
 *   a receiver (`src`/`dst`, `from`/`to`, `sender`/`receiver`); a packet is sent at the first state
 *   that holds it, and received at a step whose action names it (`packet`, `msg`) or that removes it;
 * - per-host state: an aligned array's entry or a host-keyed map's value, opened into fields down
 *   to values that have a compact form; a variable that belongs to no host is shown as global.
 */
import { abbreviate, formatValue, isStructured, packetEnds, packetLabel, packetType } from './format.js';
import { canonicalKey, isObject, mapEntries, metaOf, setMembers, variablesOf, type ItfTrace, type Json, type JsonObject } from './itf.js';

export interface Host {
  readonly name: string;
  /** `replica`, `client`, … (the action field that named it), or a name prefix. */
  readonly kind: string;
}

export interface PacketView {
  readonly id: number;
  readonly value: JsonObject;
  readonly src: string;
  readonly dst: string;
  readonly type: string;
  /** `2a b=(1,1) opn=0 [c0#0]`. */
  readonly label: string;
  /** The state index at which it first is in the network (0: from the start). */
  readonly sentAt: number;
  /** The steps (state indices) at which it was received, in order. */
  readonly receipts: readonly number[];
}

export interface StepView {
  /** The index of the state this step leads to (1..n-1); 0 is the initial state. */
  readonly index: number;
  readonly actor?: string;
  /** The scheduler action, short (`ProcessPacket`), or '' when the trace records none. */
  readonly action: string;
  /** The whole action as text (`#meta.actionText`), or the action's JSON rendered. */
  readonly text: string;
  /** Packets received at this step (ids). */
  readonly received: readonly number[];
  /** Packets that entered the network at this step (ids). */
  readonly sent: readonly number[];
}

export interface Marker {
  readonly step: number;
  readonly host: string;
  readonly kind: 'view' | 'decision';
  readonly label: string;
}

export interface Field {
  /** The role or part of the host (`proposer`, `acceptor`, …), or `host` for top-level fields. */
  readonly group: string;
  readonly path: string;
  readonly text: string;
  /** The text in the previous state, when it differs (undefined: unchanged, or the initial state). */
  readonly before?: string;
  readonly changed: boolean;
}

export interface HostState {
  readonly host: string;
  readonly fields: readonly Field[];
}

export interface TraceView {
  readonly hosts: readonly Host[];
  readonly packets: readonly PacketView[];
  /** Entry i describes the step into state i; entry 0 is the initial state (no action). */
  readonly steps: readonly StepView[];
  readonly markers: readonly Marker[];
  /** Per state, per host (and a last `(global)` entry when some variable belongs to no host). */
  readonly states: readonly (readonly HostState[])[];
  /** The variables read as packet pools. */
  readonly poolVars: readonly string[];
}

/** Fields of a step's action that name the acting host. */
const actorKeys = ['replica', 'client', 'host', 'node', 'process', 'proc', 'actor'] as const;
/** Fields of a step's action that carry the packet it received. */
const packetKeys = ['packet', 'msg', 'message'] as const;
/** Fields of a step's action that name it. */
const actionNameKeys = ['action', 'name', 'kind', 'type'] as const;

export const GLOBAL_HOST = '(global)';

function prefixOf(name: string): string {
  return name.replace(/[0-9]+$/, '');
}

/** `r2` before `r10`: names compared with their trailing numbers as numbers. */
function compareNames(a: string, b: string): number {
  const pa = prefixOf(a);
  const pb = prefixOf(b);
  if (pa !== pb) return pa < pb ? -1 : 1;
  return Number(a.slice(pa.length) || 0) - Number(b.slice(pb.length) || 0);
}

function actionOf(state: JsonObject | undefined): JsonObject | undefined {
  const a = metaOf(state).action;
  return isObject(a) ? a : undefined;
}

/** Variables holding packets: a set or list (in some state non-empty) of sender/receiver records. */
function findPools(trace: ItfTrace): string[] {
  return trace.vars.filter((name) => {
    let seen = false;
    for (const s of trace.states) {
      const members = collectionMembers(s[name]);
      if (members === undefined) return false;
      if (members.length === 0) continue;
      if (!members.every((m) => packetEnds(m) !== undefined)) return false;
      seen = true;
    }
    return seen;
  });
}

function collectionMembers(v: Json | undefined): readonly Json[] | undefined {
  return setMembers(v) ?? (Array.isArray(v) ? (v as readonly Json[]) : undefined);
}

/** How a variable's value is split over hosts. */
type Alignment =
  | { readonly var: string; readonly how: 'array'; readonly kind: string; readonly names: readonly string[] }
  | { readonly var: string; readonly how: 'map' }
  | { readonly var: string; readonly how: 'global' };

interface HostTable {
  readonly kinds: Map<string, string>;
  /** Hosts whose kind is only guessed from their name's prefix (seen as packet ends). */
  readonly guessed: Set<string>;
  add(name: string, kind?: string): void;
}

function hostTable(): HostTable {
  const kinds = new Map<string, string>();
  const guessed = new Set<string>();
  return {
    kinds,
    guessed,
    add(name, kind) {
      if (kind !== undefined) {
        if (kinds.has(name) && !guessed.has(name)) return;
        kinds.set(name, kind);
        guessed.delete(name);
        return;
      }
      if (kinds.has(name)) return;
      // A name seen only as a packet end takes the kind of another host with its prefix.
      const sibling = [...kinds.entries()].find(([n]) => prefixOf(n) === prefixOf(name));
      kinds.set(name, sibling?.[1] ?? (prefixOf(name) || 'host'));
      if (sibling === undefined || guessed.has(sibling[0])) guessed.add(name);
    },
  };
}

/** `replicas` -> `replica` for an array of records named in the plural: a list of hosts. */
function pluralKind(name: string, value: Json | undefined): string | undefined {
  if (!Array.isArray(value) || value.length === 0 || !/[a-z]s$/i.test(name)) return undefined;
  return value.every((x) => isStructured(x)) ? name.slice(0, -1) : undefined;
}

function alignVariables(trace: ItfTrace, pools: readonly string[], table: HostTable, hints: Readonly<Record<string, string>>): Alignment[] {
  const first = trace.states[0] ?? {};
  const vars = trace.vars.filter((v) => !pools.includes(v));
  const named = new Set([...table.kinds.entries()].filter(([h]) => !table.guessed.has(h)).map(([, k]) => k));
  for (const v of vars) {
    const k = hints[v] ?? pluralKind(v, first[v]);
    if (k !== undefined) named.add(k);
  }
  // The hosts of a kind, with those whose kind was only guessed from a prefix the kind starts with.
  const membersOf = (kind: string): string[] =>
    [...table.kinds.entries()].filter(([h, k]) => k === kind || (table.guessed.has(h) && prefixOf(h) === kind.charAt(0))).map(([h]) => h);
  return vars.map((name): Alignment => {
    const value = first[name];
    const entries = mapEntries(value);
    if (entries !== undefined && entries.length > 0 && entries.every(([k]) => typeof k === 'string' && table.kinds.has(k))) {
      return { var: name, how: 'map' };
    }
    if (!Array.isArray(value)) return { var: name, how: 'global' };
    const n = value.length;
    const kind =
      hints[name] ??
      [...named].find((k) => name.toLowerCase().startsWith(k.toLowerCase())) ??
      (() => {
        const fits = [...named].filter((k) => membersOf(k).length === n);
        return fits.length === 1 ? fits[0] : undefined;
      })();
    if (kind === undefined) return { var: name, how: 'global' };
    const existing = membersOf(kind);
    const prefix = existing.length > 0 ? prefixOf(existing.sort(compareNames)[0]!) : kind.charAt(0);
    return { var: name, how: 'array', kind, names: Array.from({ length: n }, (_x, i) => `${prefix}${i}`) };
  });
}

/**
 * When no action or packet names a host, the keys of the first variable that is a map keyed by
 * strings are the hosts (`rmState: {"r1": "working", …}` in Apalache's two-phase commit).
 */
function hostsFromMaps(trace: ItfTrace, table: HostTable): void {
  if (table.kinds.size > 0) return;
  const first = trace.states[0] ?? {};
  for (const name of trace.vars) {
    const entries = mapEntries(first[name]);
    if (entries !== undefined && entries.length > 0 && entries.every(([k]) => typeof k === 'string')) {
      for (const [k] of entries) table.add(k as string, 'process');
      return;
    }
  }
}

function discoverHosts(trace: ItfTrace, pools: readonly string[], hints: Readonly<Record<string, string>>) {
  const table = hostTable();
  for (const s of trace.states.slice(1)) {
    const a = actionOf(s);
    if (a === undefined) continue;
    for (const k of actorKeys) if (typeof a[k] === 'string') table.add(a[k] as string, k);
  }
  for (const s of trace.states) {
    for (const pool of pools) {
      for (const m of collectionMembers(s[pool]) ?? []) {
        const e = packetEnds(m)!;
        table.add(e.src);
        table.add(e.dst);
      }
    }
  }
  hostsFromMaps(trace, table);
  const alignments = alignVariables(trace, pools, table, hints);
  for (const al of alignments) if (al.how === 'array') for (const n of al.names) table.add(n, al.kind);
  const kindOrder = [...new Set(table.kinds.values())];
  const rank = (kind: string): number => (/client/i.test(kind) ? 1000 : 0) + kindOrder.indexOf(kind);
  const hosts = [...table.kinds.entries()]
    .map(([name, kind]): Host => ({ name, kind }))
    .sort((a, b) => rank(a.kind) - rank(b.kind) || compareNames(a.name, b.name));
  return { hosts, alignments };
}

/** Opens `value` into leaf fields below `path` (records without a compact form are opened). */
function flatten(path: readonly string[], value: Json, out: { path: string[]; value: Json }[]): void {
  if (isStructured(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten([...path, k], v, out);
    return;
  }
  out.push({ path: [...path], value });
}

/** The fields of one host in one state, before comparing with the previous state. */
function hostFields(state: JsonObject, host: Host, alignments: readonly Alignment[]): { group: string; path: string; text: string }[] {
  const leaves: { path: string[]; value: Json }[] = [];
  for (const al of alignments) {
    const v = state[al.var];
    if (al.how === 'array') {
      const i = al.names.indexOf(host.name);
      if (i < 0 || !Array.isArray(v) || i >= v.length) continue;
      // `replicas[i]` is the host itself: its fields are not prefixed with the variable's name.
      const own = al.var.toLowerCase().startsWith(host.kind.toLowerCase());
      flatten(own ? [] : [al.var], (v as readonly Json[])[i]!, leaves);
    } else if (al.how === 'map') {
      const entry = mapEntries(v)?.find(([k]) => k === host.name);
      if (entry !== undefined) flatten([al.var], entry[1], leaves);
    }
  }
  return leaves.map(({ path, value }) => {
    const segs = path[0] === host.kind && path.length > 1 ? path.slice(1) : path;
    const group = segs.length >= 2 ? segs[0]! : 'host';
    const rest = segs.length >= 2 ? segs.slice(1) : segs;
    return { group, path: rest.join('.') || host.kind, text: formatValue(value) };
  });
}

function globalFields(state: JsonObject, alignments: readonly Alignment[], pools: readonly string[]) {
  const out: { group: string; path: string; text: string }[] = [];
  for (const al of alignments) {
    if (al.how !== 'global') continue;
    const leaves: { path: string[]; value: Json }[] = [];
    flatten([al.var], state[al.var] ?? null, leaves);
    for (const l of leaves) out.push({ group: al.var, path: l.path.slice(1).join('.') || al.var, text: formatValue(l.value) });
  }
  for (const pool of pools) out.push({ group: 'network', path: pool, text: `${collectionMembers(state[pool])?.length ?? 0} packets` });
  return out;
}

function withChanges(now: readonly { group: string; path: string; text: string }[], before: readonly Field[] | undefined): Field[] {
  const prior = new Map((before ?? []).map((f) => [`${f.group}\u0000${f.path}`, f.text]));
  return now.map((f) => {
    if (before === undefined) return { ...f, changed: false };
    const was = prior.get(`${f.group}\u0000${f.path}`);
    return was === f.text ? { ...f, changed: false } : { ...f, changed: true, before: was ?? '(absent)' };
  });
}

function actionName(action: JsonObject | undefined, text: string | undefined, vars: JsonObject): string {
  for (const k of actionNameKeys) {
    const v = action?.[k];
    if (typeof v === 'string') return v;
  }
  const fromText = text?.match(/^[^.\s]+\.([A-Za-z_][\w]*)/);
  if (fromText !== null && fromText !== undefined) return fromText[1]!;
  for (const k of ['mbt::actionTaken', 'action_taken', 'actionTaken', 'lastAction']) {
    const v = vars[k];
    if (typeof v === 'string') return v;
  }
  return '';
}

function markerOf(step: number, host: string, f: Field): Marker | undefined {
  const leaf = f.path.split('.').pop() ?? '';
  if (/^(currentView|view)$/i.test(leaf)) return { step, host, kind: 'view', label: `view ${f.text}` };
  if (/^(decided|decision|nextOpToExecute)$/i.test(leaf) && !/^(Unknown|None|null|\{\}|\[\])/.test(f.text)) {
    return { step, host, kind: 'decision', label: `decide ${f.text.replace(/^(Known|Some)\s*/, '')}` };
  }
  return undefined;
}

/** Which variables belong to which host kind, where the trace alone leaves it open. */
export type HostHints = Readonly<Record<string, string>>;

/** Builds everything the page draws from an ITF trace. */
export function buildTraceView(trace: ItfTrace, hints: HostHints = {}): TraceView {
  const pools = findPools(trace);
  const { hosts, alignments } = discoverHosts(trace, pools, hints);
  const hostNames = new Set(hosts.map((h) => h.name));

  // Packets: first appearance in a pool.
  const byKey = new Map<string, { id: number; value: JsonObject; sentAt: number; receipts: number[] }>();
  const byId: JsonObject[] = [];
  const present: Set<string>[] = trace.states.map((s, i) => {
    const keys = new Set<string>();
    for (const pool of pools) {
      for (const m of collectionMembers(s[pool]) ?? []) {
        const key = canonicalKey(m);
        keys.add(key);
        if (!byKey.has(key)) {
          byKey.set(key, { id: byId.length, value: m as JsonObject, sentAt: i, receipts: [] });
          byId.push(m as JsonObject);
        }
      }
    }
    return keys;
  });

  const steps: StepView[] = [];
  const states: HostState[][] = [];
  const markers: Marker[] = [];
  const hasGlobal = alignments.some((a) => a.how === 'global') || pools.length > 0;
  trace.states.forEach((raw, i) => {
    const vars = variablesOf(raw);
    const prev = states[i - 1];
    const hostStates: HostState[] = hosts.map((h, j) => ({
      host: h.name,
      fields: withChanges(hostFields(vars, h, alignments), prev?.[j]?.fields),
    }));
    if (hasGlobal)
      hostStates.push({ host: GLOBAL_HOST, fields: withChanges(globalFields(vars, alignments, pools), prev?.[hosts.length]?.fields) });
    states.push(hostStates);
    if (i === 0) {
      steps.push({
        index: 0,
        action: '',
        text: 'initial state',
        received: [],
        sent: [...byKey.values()].filter((p) => p.sentAt === 0).map((p) => p.id),
      });
      return;
    }
    const meta = metaOf(raw);
    const action = actionOf(raw);
    const text = typeof meta.actionText === 'string' ? meta.actionText : undefined;
    const received: number[] = [];
    const receive = (key: string): void => {
      const p = byKey.get(key);
      if (p !== undefined && !received.includes(p.id)) {
        received.push(p.id);
        p.receipts.push(i);
      }
    };
    for (const k of packetKeys) if (action !== undefined && packetEnds(action[k]) !== undefined) receive(canonicalKey(action[k]!));
    for (const key of present[i - 1]!) if (!present[i]!.has(key)) receive(key);
    const named = actorKeys.map((k) => action?.[k]).find((v): v is string => typeof v === 'string' && hostNames.has(v));
    const changedHosts = hostStates.filter((hs) => hs.host !== GLOBAL_HOST && hs.fields.some((f) => f.changed)).map((hs) => hs.host);
    const receiver = received.length > 0 ? packetEnds(byId[received[0]!])?.dst : undefined;
    const actor = named ?? receiver ?? (changedHosts.length === 1 ? changedHosts[0] : undefined);
    const name = actionName(action, text, vars);
    const sent = [...byKey.values()].filter((p) => p.sentAt === i).map((p) => p.id);
    steps.push({
      index: i,
      ...(actor === undefined ? {} : { actor }),
      action: name,
      text: text ?? (action !== undefined ? `${name} ${formatValue(action)}` : name || `step ${i}`),
      received,
      sent,
    });
    for (const hs of hostStates) {
      if (hs.host === GLOBAL_HOST) continue;
      for (const f of hs.fields) {
        const m = f.changed ? markerOf(i, hs.host, f) : undefined;
        if (m !== undefined) markers.push(m);
      }
    }
  });

  const packets: PacketView[] = [...byKey.values()].map((p) => {
    const e = packetEnds(p.value)!;
    return {
      id: p.id,
      value: p.value,
      src: e.src,
      dst: e.dst,
      type: packetType(p.value),
      label: packetLabel(p.value),
      sentAt: p.sentAt,
      receipts: p.receipts,
    };
  });
  return { hosts, packets, steps, markers, states, poolVars: pools };
}

/** The short mark drawn on the acting host's lifeline. */
export function actionMark(step: StepView): string {
  return step.action === '' ? '•' : abbreviate(step.action);
}
