/**
 * web/model: what the page draws, computed from ITF data alone, checked against the committed
 * mutant traces (the numbers recomputed from the files in the test) and a hand-written foreign
 * (Quint-style) trace.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packetsNamedIn } from '../../web/model/explain.js';
import { DATA_PLACEHOLDER, embedPageData, scriptSafeJson, TITLE_PLACEHOLDER } from '../../web/model/embed.js';
import { abbreviate, formatValue, packetDetails, packetLabel } from '../../web/model/format.js';
import { canonicalKey, parseItf, type ItfTrace, type Json, type JsonObject } from '../../web/model/itf.js';
import { buildTraceView, GLOBAL_HOST } from '../../web/model/trace.js';
import { expectedDiagram, mutantTraceFiles } from './expected.js';

function load(path: string): ItfTrace {
  return parseItf(JSON.parse(readFileSync(path, 'utf8')) as unknown);
}

const foreignFile = 'test/web/fixtures/quint-pingpong.itf.json';

describe('compact labels', () => {
  it('writes ballots, batches and messages as the diagram labels them', () => {
    const p2a: JsonObject = {
      src: 'r1',
      dst: 'r2',
      msg: {
        type: '2a',
        bal2a: { seqno: 1, proposerId: 1 },
        opn2a: 0,
        val2a: [{ client: 'c0', seqno: 0, request: { type: 'AppIncrementRequest' } }],
      },
    };
    expect(packetLabel(p2a)).toBe('2a b=(1,1) opn=0 [c0#0]');
    expect(packetLabel(p2a, true)).toBe('r1->r2 2a b=(1,1) opn=0 [c0#0]');
    expect(packetDetails(p2a)).toBe('type=2a bal2a=(1,1) opn2a=0 val2a=[c0#0]');
    const reply: JsonObject = {
      src: 'r0',
      dst: 'c0',
      msg: { type: 'Reply', seqnoReply: 0, reply: { type: 'AppIncrementReply', response: 1 } },
    };
    expect(packetLabel(reply)).toBe('Reply seqno=0 reply=1');
    expect(formatValue({ client: 'c0', seqno: 0, reply: { type: 'AppIncrementReply', response: 1 } })).toBe('c0#0=1');
    expect(formatValue({ '#set': [1, 2] })).toBe('{1,2}');
    expect(formatValue({ '#map': [[0, { '#tup': [1, 'a'] }]] })).toBe('{0:(1,a)}');
    expect(formatValue({ '#bigint': '123456789012345678901' })).toBe('123456789012345678901');
    expect(formatValue({ tag: 'Idle', value: { '#tup': [] } })).toBe('Idle');
    expect(formatValue({ tag: 'Some', value: { '#bigint': '3' } })).toBe('Some(3)');
    expect(abbreviate('MaybeEnterPhase2')).toBe('MEP2');
    expect(abbreviate('recv_ping')).toBe('recv_ping');
    expect(abbreviate('receive_heartbeat')).toBe('rh');
  });

  it('identifies equal sets and records whatever their order', () => {
    expect(canonicalKey({ '#set': [{ a: 1, b: 2 }, 3] })).toBe(canonicalKey({ '#set': [3, { b: 2, a: 1 }] }));
    expect(canonicalKey([1, 2])).not.toBe(canonicalKey([2, 1]));
  });
});

describe('the diagram of every committed mutant trace', () => {
  for (const file of mutantTraceFiles()) {
    it(file, () => {
      const itf = load(join('traces', file));
      const view = buildTraceView(itf);
      const want = expectedDiagram(itf);
      expect(view.hosts.map((h) => h.name)).toEqual(want.hosts);
      const arrows = view.packets.reduce((n, p) => n + Math.max(1, p.receipts.length), 0);
      expect(arrows).toBe(want.arrows);
      expect(view.packets.filter((p) => p.receipts.length === 0).length).toBe(want.neverReceived);
      // Each step's actor is the host its action names.
      view.steps.slice(1).forEach((s, i) => expect(s.actor).toBe(want.actors[i]));
    });
  }
});

describe('view changes and decisions on the lifelines of every committed mutant trace', () => {
  for (const file of mutantTraceFiles()) {
    it(file, () => {
      const itf = load(join('traces', file));
      const view = buildTraceView(itf);
      // Recomputed from the JSON: a replica's proposer view changes, or its executor's next
      // operation becomes Known (MaybeMakeDecision).
      const replica = (i: number, r: number): JsonObject => ((itf.states[i]!.replicas as Json[])[r] as JsonObject).replica as JsonObject;
      const view_ = (i: number, r: number): Json => ((replica(i, r).proposer as JsonObject).electionState as JsonObject).currentView!;
      const next = (i: number, r: number): JsonObject => (replica(i, r).executor as JsonObject).nextOpToExecute as JsonObject;
      const want: string[] = [];
      for (let i = 1; i < itf.states.length; i++) {
        for (let r = 0; r < (itf.states[i]!.replicas as Json[]).length; r++) {
          if (canonicalKey(view_(i, r)) !== canonicalKey(view_(i - 1, r))) want.push(`${i} r${r} view`);
          if (next(i, r).type === 'Known' && canonicalKey(next(i, r)) !== canonicalKey(next(i - 1, r))) want.push(`${i} r${r} decision`);
        }
      }
      expect(view.markers.map((m) => `${m.step} ${m.host} ${m.kind}`)).toEqual(want);
    });
  }

  it('the traces have both kinds of marker somewhere', () => {
    const kinds = new Set(mutantTraceFiles().flatMap((f) => buildTraceView(load(join('traces', f))).markers.map((m) => m.kind)));
    expect([...kinds].sort()).toEqual(['decision', 'view']);
  });
});

describe('state fields and their changes', () => {
  const itf = load('traces/lemma_DecidedOperationWasChosen-learner-decides-on-half.trace.json');
  const view = buildTraceView(itf);
  const last = itf.states.length - 1;

  it('marks exactly the fields whose value differs from the previous state', () => {
    const r0 = view.states[last]!.find((h) => h.host === 'r0')!;
    const changed = r0.fields.filter((f) => f.changed).map((f) => `${f.group}.${f.path}`);
    // Recomputed from the JSON: the executor fields of r0 that differ between the last two states.
    const role = (i: number): JsonObject => ((itf.states[i]!.replicas as Json[])[0] as JsonObject).replica as JsonObject;
    const before = role(last - 1).executor as JsonObject;
    const after = role(last).executor as JsonObject;
    const want = Object.keys(after)
      .filter((k) => canonicalKey(after[k]!) !== canonicalKey(before[k]!))
      .map((k) => `executor.${k}`);
    expect(want.length).toBeGreaterThan(0);
    expect(changed).toEqual(want);
    expect(view.markers.filter((m) => m.step === last).map((m) => `${m.host} ${m.kind}`)).toEqual(['r0 decision']);
  });

  it('changes nothing in the initial state and groups replica fields by role', () => {
    for (const hs of view.states[0]!) expect(hs.fields.some((f) => f.changed)).toBe(false);
    const groups = new Set(view.states[0]!.find((h) => h.host === 'r1')!.fields.map((f) => f.group));
    expect([...groups].sort()).toEqual(['acceptor', 'executor', 'host', 'learner', 'proposer']);
    expect(view.states[0]!.at(-1)!.host).toBe(GLOBAL_HOST);
  });
});

describe('packets named in explanations', () => {
  it('finds the packet an explanation writes out, and only packets of its type and sender', () => {
    for (const file of mutantTraceFiles()) {
      const itf = load(join('traces', file));
      const explanation = itf['#meta']!.explanation as string;
      const view = buildTraceView(itf);
      const named = packetsNamedIn(
        explanation,
        view.packets.map((p) => p.value),
      ).map((i) => view.packets[i]!);
      const explicit = [...explanation.matchAll(/\b(1a|1b|2a|2b|Reply)\((?:[^()]|\([^()]*\))*\)\s+(?:from (\w+)|(\w+)->(\w+))/g)];
      for (const m of explicit) {
        const src = m[2] ?? m[3];
        expect(
          named.some((p) => p.type === m[1] && p.src === src),
          `${file}: ${m[0]}`,
        ).toBe(true);
      }
      for (const p of named) expect(explanation, file).toContain(p.type);
    }
  });

  it('finds the 2bs a decision explanation refers back to', () => {
    const itf = load('traces/lemma_DecidedOperationWasChosen-learner-decides-on-half.trace.json');
    const view = buildTraceView(itf);
    const named = packetsNamedIn(
      itf['#meta']!.explanation as string,
      view.packets.map((p) => p.value),
    ).map((i) => view.packets[i]!);
    expect(named.length).toBeGreaterThan(0);
    for (const p of named) expect(p.label).toBe('2b b=(1,0) opn=0 [c0#0]');
  });
});

describe('a foreign (Quint-style) ITF trace', () => {
  const itf = load(foreignFile);
  const view = buildTraceView(itf);

  it('finds its processes, its messages and who received them', () => {
    expect(view.hosts.map((h) => h.name)).toEqual(['p1', 'p2']);
    expect(view.packets.map((p) => `${p.src}->${p.dst} ${p.label} sent ${p.sentAt} received ${p.receipts.join(',')}`)).toEqual([
      'p1->p2 Ping seq=0 sent 1 received 2',
      'p2->p1 Pong seq=0 sent 2 received 3',
      'p1->p2 Ping seq=1 sent 5 received ',
    ]);
    expect(view.steps.slice(1).map((s) => `${s.actor} ${s.action}`)).toEqual([
      'p1 send_ping',
      'p2 recv_ping',
      'p1 recv_pong',
      'p2 change_view',
      'p1 send_ping',
    ]);
    expect(view.markers).toEqual([{ step: 4, host: 'p2', kind: 'view', label: 'view 1' }]);
  });

  it("shows each process's part of a host-keyed map as its state", () => {
    const p2 = view.states[2]!.find((h) => h.host === 'p2')!;
    expect(p2.fields.filter((f) => f.changed).map((f) => `${f.path}: ${f.before} -> ${f.text}`)).toEqual(['round: 0 -> 1']);
  });
});

describe('an Apalache-style trace without packets', () => {
  it('takes the keys of a string-keyed map as the hosts, and the one that changed as the actor', () => {
    const rm = (a: string, b: string): Json => ({
      '#map': [
        ['r1', a],
        ['r2', b],
      ],
    });
    const itf: ItfTrace = {
      vars: ['rmState', 'tmState'],
      states: [
        { '#meta': { index: 0 }, rmState: rm('working', 'working'), tmState: 'init' },
        { '#meta': { index: 1 }, rmState: rm('prepared', 'working'), tmState: 'init' },
        { '#meta': { index: 2 }, rmState: rm('prepared', 'aborted'), tmState: 'init' },
      ],
    };
    const view = buildTraceView(itf);
    expect(view.hosts.map((h) => h.name)).toEqual(['r1', 'r2']);
    expect(view.packets).toEqual([]);
    expect(view.steps.slice(1).map((s) => s.actor)).toEqual(['r1', 'r2']);
    const r2 = view.states[2]!.find((h) => h.host === 'r2')!;
    expect(r2.fields.filter((f) => f.changed).map((f) => `${f.path}: ${f.before} -> ${f.text}`)).toEqual(['rmState: working -> aborted']);
    expect(view.states[2]!.at(-1)!.fields.map((f) => `${f.group} ${f.path}=${f.text}`)).toEqual(['tmState tmState=init']);
  });
});

describe('embedding the data', () => {
  it('cannot end the script element early, and keeps $ sequences', () => {
    const tricky = { title: 'a</script><b>$&', trace: { vars: [], states: [] } };
    expect(scriptSafeJson(tricky)).not.toContain('</');
    const page = embedPageData(`<title>${TITLE_PLACEHOLDER}</title><script>${DATA_PLACEHOLDER}</script>`, tricky);
    expect(page).toContain('<title>a&lt;/script&gt;&lt;b&gt;$&amp;</title>');
    expect(JSON.parse(page.slice(page.indexOf('<script>') + 8, page.lastIndexOf('</script>')))).toEqual(tricky);
  });

  it('refuses a template without placeholders', () => {
    expect(() => embedPageData('<html></html>', { title: 'x' })).toThrow(/placeholder/);
  });
});
