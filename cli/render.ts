/**
 * Counterexamples as text (issue 3 point 5): the violated obligation with its explanation, then the
 * trace as numbered steps. Each step names the host that acted and the scheduler action, the packet
 * received, the packets sent, and only the state fields that changed, as short paths with
 * `old -> new` (collections as `+`/`-` members). Ballots, batches and packets are written as in
 * spec/format.ts. Pure: used by `check`, `simulate` and `trace show`.
 */
import { is, isList, isMap, isRecord, isSet, Record as ImmutableRecord } from 'immutable';
import type { Violation } from '../checker/index.js';
import {
  formatAppMessage,
  formatBallot,
  formatBatch,
  formatMessage,
  formatOracleDetails,
  formatPacket,
  formatReply,
  formatRequest,
  formatVote,
  oracleActionName,
  schedulerSlots,
  Slot,
  type AppMessage,
  type Ballot,
  type OutstandingOperation,
  type Packet,
  type Reply,
  type Request,
  type RslMessage,
  type RslSystem,
  type SystemConfig,
  type SystemStep,
  type Vote,
} from '../spec/index.js';

type AnyRecord = ImmutableRecord<object> & { get(key: string): unknown };

/** Records whose fields are diffed one by one; every other value is shown whole. */
const expandedRecords = new Set([
  'ReplicaState',
  'ProposerState',
  'ElectionState',
  'AcceptorState',
  'LearnerState',
  'LearnerTuple',
  'ExecutorState',
  'ClientState',
]);

function recordName(v: unknown): string | undefined {
  return isRecord(v) ? ImmutableRecord.getDescriptiveName(v) : undefined;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Map keys in a stable order: numbers numerically, anything else by its text. */
function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareText(formatValue(a), formatValue(b));
}

function formatRecord(v: AnyRecord, name: string): string {
  switch (name) {
    case 'Ballot':
      return formatBallot(v as unknown as Ballot);
    case 'Packet':
      return formatPacket(v as unknown as Packet);
    case 'Request':
      return formatRequest(v as unknown as Request);
    case 'Vote':
      return formatVote(v as unknown as Vote);
    case 'Reply':
      return formatReply(v as unknown as Reply);
    case 'AppIncrementRequest':
    case 'AppIncrementReply':
    case 'AppInvalidReply':
      return formatAppMessage(v as unknown as AppMessage);
    case 'IncompleteBatchTimerOn':
      return `On(when=${String(v.get('when'))})`;
    case 'IncompleteBatchTimerOff':
      return 'Off';
    case 'OutstandingOpKnown': {
      const op = v as unknown as OutstandingOperation & { type: 'Known' };
      return `Known ${formatBallot(op.bal)} ${formatBatch(op.v)}`;
    }
    case 'OutstandingOpUnknown':
      return 'Unknown';
    case 'LearnerTuple':
      return `senders=${formatValue(v.get('received2bMessageSenders'))} val=${formatValue(v.get('candidateLearnedValue'))}`;
    default:
      if (name.startsWith('Message')) return formatMessage(v as unknown as RslMessage);
      return `${name}{${[...v.toSeq().entries()].map(([k, x]) => `${k}=${formatValue(x)}`).join(', ')}}`;
  }
}

/** One short rendering of any value that occurs in a system state. */
export function formatValue(v: unknown): string {
  const name = recordName(v);
  if (name !== undefined) return formatRecord(v as AnyRecord, name);
  if (isList(v)) return `[${v.toArray().map(formatValue).join(',')}]`;
  if (isSet(v)) return `{${v.toArray().map(formatValue).sort(compareText).join(',')}}`;
  if (isMap(v)) {
    const entries = v.toArray().sort(([a], [b]) => compareKeys(a, b));
    return `{${entries.map(([k, x]) => `${formatValue(k)}:${formatValue(x)}`).join(',')}}`;
  }
  return String(v);
}

/** Appends to `out` the differences between `a` and `b`, below the short path `path`. */
function diffValue(path: string, a: unknown, b: unknown, out: string[]): void {
  if (is(a, b)) return;
  const name = recordName(a);
  if (name !== undefined && name === recordName(b) && expandedRecords.has(name)) {
    const ra = a as AnyRecord;
    const rb = b as AnyRecord;
    for (const key of ra.toSeq().keySeq()) diffValue(`${path}.${key}`, ra.get(key), rb.get(key), out);
    return;
  }
  if (isSet(a) && isSet(b)) {
    for (const x of a
      .toArray()
      .filter((x) => !b.has(x))
      .map(formatValue)
      .sort(compareText))
      out.push(`${path}: - ${x}`);
    for (const x of b
      .toArray()
      .filter((x) => !a.has(x))
      .map(formatValue)
      .sort(compareText))
      out.push(`${path}: + ${x}`);
    return;
  }
  if (isMap(a) && isMap(b)) {
    const keys = [...new Set([...a.keys(), ...b.keys()])].sort(compareKeys);
    for (const k of keys) {
      if (!b.has(k)) out.push(`${path}: - ${formatValue(k)}: ${formatValue(a.get(k))}`);
      else if (!a.has(k)) out.push(`${path}: + ${formatValue(k)}: ${formatValue(b.get(k))}`);
      else diffValue(`${path}[${formatValue(k)}]`, a.get(k), b.get(k), out);
    }
    return;
  }
  out.push(`${path}: ${formatValue(a)} -> ${formatValue(b)}`);
}

function replicaName(system: SystemConfig | undefined, i: number): string {
  return system?.constants.config.replicaIds.get(i) ?? `r${i}`;
}

function clientName(system: SystemConfig | undefined, i: number): string {
  return system?.clientIds.get(i) ?? `c${i}`;
}

/**
 * What changed from `a` to `b`, one line per change: first `sent: <packet>` for each packet that
 * entered the network (rsl-protocol.md §11, sentPackets only grows), then per replica its fields
 * (`r1.acceptor.maxBal: (1,0) -> (1,1)`, `r0.proposer.received1bPackets: + <packet>`), its clock
 * reading and its ghost history of executed batches, then per client (`c0.nextSeqno: 0 -> 1`).
 * Host names come from `system` when given, else `r<i>` and `c<i>`. A packet re-sent that was
 * already in the network changes nothing and is not listed.
 */
export function diffStates(a: RslSystem, b: RslSystem, system?: SystemConfig): string[] {
  const out: string[] = [];
  if (!is(a.sentPackets, b.sentPackets)) {
    for (const p of b.sentPackets
      .toArray()
      .filter((p) => !a.sentPackets.has(p))
      .map(formatPacket)
      .sort(compareText))
      out.push(`sent: ${p}`);
    for (const p of a.sentPackets
      .toArray()
      .filter((p) => !b.sentPackets.has(p))
      .map(formatPacket)
      .sort(compareText)) {
      out.push(`sentPackets: - ${p}`);
    }
  }
  const replicas = Math.max(a.replicas.size, b.replicas.size);
  for (let i = 0; i < replicas; i++) {
    const name = replicaName(system, i);
    const sa = a.replicas.get(i);
    const sb = b.replicas.get(i);
    if (sa === undefined || sb === undefined) {
      diffValue(name, sa, sb, out);
      continue;
    }
    diffValue(name, sa.replica, sb.replica, out);
    diffValue(`${name}.nextActionIndex`, sa.nextActionIndex, sb.nextActionIndex, out);
    diffValue(`${name}.clock`, a.clocks.get(i), b.clocks.get(i), out);
    diffValue(`${name}.executedBatches`, a.executedBatches.get(i), b.executedBatches.get(i), out);
  }
  const clients = Math.max(a.clients.size, b.clients.size);
  for (let i = 0; i < clients; i++) diffValue(clientName(system, i), a.clients.get(i), b.clients.get(i), out);
  return out;
}

/** `r1 ProcessPacket  received <packet> t=2` or `c0 SendRequest  seqno=0 to r0`. */
function stepHeadline(system: SystemConfig, step: SystemStep): string {
  if (step.kind === 'client') {
    return `${clientName(system, step.client)} SendRequest  seqno=${step.seqno} to ${replicaName(system, step.dst)}`;
  }
  if (step.kind !== 'replica') {
    return `${replicaName(system, step.replica)} ${oracleActionName(step)}  ${formatOracleDetails(system, step)}`;
  }
  const details: string[] = [];
  if (step.action === Slot.ProcessPacket) details.push(step.packet === undefined ? 'timeout' : `received ${formatPacket(step.packet)}`);
  if (step.clock !== undefined) details.push(`t=${step.clock}`);
  if (step.choice !== 0) details.push(`choice=${step.choice}`);
  const action = schedulerSlots[step.action]?.name ?? `slot${step.action}`;
  return `${replicaName(system, step.replica)} ${action}${details.length === 0 ? '' : `  ${details.join(' ')}`}`;
}

/**
 * A behaviour as numbered steps (`actions[i]` leads from `states[i]` to `states[i+1]`): `0. initial
 * state`, then for each step its headline and, indented below it, `diffStates` of the step.
 */
export function renderTrace(system: SystemConfig, states: readonly RslSystem[], actions: readonly SystemStep[]): string {
  if (states.length === 0) return '  (empty trace)\n';
  const width = String(states.length - 1).length;
  const lines = [`  ${'0'.padStart(width)}. initial state`];
  const indent = ' '.repeat(width + 4);
  for (let i = 1; i < states.length; i++) {
    const step = actions[i - 1];
    lines.push(`  ${String(i).padStart(width)}. ${step === undefined ? '(no action recorded)' : stepHeadline(system, step)}`);
    for (const change of diffStates(states[i - 1]!, states[i]!, system)) lines.push(`${indent}${change}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `1 step`, `2 steps`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * `Violated: <property> (<kind>) after <n> steps`, the obligation's explanation (its witnesses:
 * quorums, ballots, values) indented below, then the trace (`renderTrace`).
 */
export function renderViolation(system: SystemConfig, v: Violation<RslSystem, SystemStep>): string {
  const where = v.trace === undefined ? 'never reached in the explored space' : `after ${plural(v.trace.actions.length, 'step')}`;
  const explanation = v.explanation
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => `  ${line}\n`)
    .join('');
  const trace = v.trace === undefined ? '' : renderTrace(system, v.trace.states, v.trace.actions);
  return `Violated: ${v.property} (${v.kind}) ${where}\n${explanation}${trace}`;
}

/**
 * The lines that report a failure of the model itself (a bug in this toolkit, exit 75): what failed
 * and where. The stack trace is for whoever debugs the toolkit, so it is printed only when the
 * environment sets RSL_DEBUG=1.
 */
export function renderModelFailure(failure: { readonly phase: string; readonly message: string; readonly stack?: string }): string {
  const head = `\nThe model failed in ${failure.phase}: ${failure.message}\n`;
  if (failure.stack === undefined) return head;
  return process.env.RSL_DEBUG === '1' ? `${head}${failure.stack}\n` : `${head}(run with RSL_DEBUG=1 to print its stack trace)\n`;
}
