/**
 * The checker benchmark (`npm run bench:checker`; not a test): single-decree Paxos with 3
 * acceptors, 2 values and 3 ballots, checked with its invariants in this thread and with 1 and 2
 * worker threads. Prints distinct and generated states per second, bytes per distinct state held
 * after the frontier is drained, the 2-worker speedup, where the time goes, and two comparisons:
 * a plain JavaScript BFS keyed by strings, and the immutable.js encoding of the same model (with
 * and without the codec's memo).
 *
 * The machine may be shared: each configuration runs several times, alternating, and both the
 * best and the median are printed, with the CPU time of all threads (and the cores that amounts
 * to), so that contention from other processes shows. `--long` adds a larger run (4 ballots,
 * first 2 million states) where worker start-up matters less.
 */
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { check, hash64, type CheckResult, type Model } from '../checker/index.js';
import { createModel, type PaxosOptions } from './paxos.js';

const paxosModule = fileURLToPath(new URL('./paxos.js', import.meta.url));
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const long = process.argv.includes('--long');

interface Run {
  readonly result: CheckResult<unknown, unknown>;
  readonly wallMs: number;
  readonly cpuMs: number;
}

async function run(options: PaxosOptions, workers: number, maxStates?: number): Promise<Run> {
  const model = createModel(options);
  const cpu = process.cpuUsage();
  const result = await check(model, {
    workers,
    factory: { module: paxosModule, options: { ...options } },
    ...(maxStates === undefined ? {} : { maxStates }),
  });
  const used = process.cpuUsage(cpu);
  return { result, wallMs: result.stats.elapsedMs, cpuMs: (used.user + used.system) / 1000 };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function line(label: string, runs: Run[]): void {
  const r = runs[0]!.result;
  const walls = runs.map((x) => x.wallMs);
  const best = Math.min(...walls);
  const med = median(walls);
  console.log(
    `${label.padEnd(22)} distinct=${fmt(r.stats.distinct)} generated=${fmt(r.stats.generated)} depth=${r.stats.depth} ` +
      `| best ${fmt(best)} ms: ${fmt((r.stats.distinct / best) * 1000)} distinct/s, ${fmt((r.stats.generated / best) * 1000)} generated/s ` +
      `| median ${fmt(med)} ms | cpu ${fmt(median(runs.map((x) => x.cpuMs)))} ms (${median(runs.map((x) => x.cpuMs / x.wallMs)).toFixed(2)} cores) ` +
      `| ${r.stats.bytesPerState.toFixed(1)} B/state`,
  );
}

/** Runs each worker count `repeats` times, alternating, so that background load hits all alike. */
async function compare(options: PaxosOptions, label: string, maxStates?: number): Promise<Map<number, Run[]>> {
  const runs = new Map<number, Run[]>([
    [0, []],
    [1, []],
    [2, []],
  ]);
  await run(options, 0, maxStates); // JIT warm-up of this thread
  for (let i = 0; i < repeats; i++) {
    for (const workers of [0, 1, 2]) runs.get(workers)!.push(await run(options, workers, maxStates));
  }
  const counts = new Set([...runs.values()].flat().map((x) => `${x.result.kind}/${x.result.stats.distinct}/${x.result.stats.generated}`));
  if (counts.size !== 1) throw new Error(`worker counts disagree: ${[...counts].join(', ')}`);
  console.log(`\n${label}: ${runs.get(0)![0]!.result.kind}`);
  for (const [workers, rs] of runs) line(workers === 0 ? 'in this thread' : `${workers} worker${workers > 1 ? 's' : ''}`, rs);
  const best = (w: number): number => Math.min(...runs.get(w)!.map((x) => x.wallMs));
  const med = (w: number): number => median(runs.get(w)!.map((x) => x.wallMs));
  console.log(`2-worker speedup over 1 worker: best ${(best(1) / best(2)).toFixed(2)}x, median ${(med(1) / med(2)).toFixed(2)}x`);
  return runs;
}

/** The baseline of the issue: a plain BFS over the same model keyed by strings in a JS Set. */
function stringSetBfs(model: Model<Uint8Array, unknown>): { distinct: number; ms: number; bytesPerState: number } {
  const heapBefore = process.memoryUsage().heapUsed;
  const start = performance.now();
  const key = (s: Uint8Array): string => String.fromCharCode(...s);
  const seen = new Set<string>();
  let level = model.initStates().filter((s) => !seen.has(key(s)) && seen.add(key(s)));
  while (level.length > 0) {
    const next: Uint8Array[] = [];
    for (const s of level) {
      for (const inv of model.invariants) inv.check(s);
      for (const { state } of model.successors(s)) {
        const k = key(state);
        if (!seen.has(k)) {
          seen.add(k);
          next.push(state);
        }
      }
    }
    level = next;
  }
  const ms = performance.now() - start;
  return { distinct: seen.size, ms, bytesPerState: (process.memoryUsage().heapUsed - heapBefore) / seen.size };
}

/** Time of each piece of per-state work, measured separately over the reachable states. */
function breakdown(model: Model<Uint8Array, unknown>): void {
  const states: Uint8Array[] = [];
  const seen = new Set<string>();
  let level = model.initStates();
  for (const s of level) seen.add(String.fromCharCode(...s));
  while (level.length > 0) {
    const next: Uint8Array[] = [];
    for (const s of level) {
      states.push(s);
      for (const { state } of model.successors(s)) {
        const k = String.fromCharCode(...state);
        if (!seen.has(k)) {
          seen.add(k);
          next.push(state);
        }
      }
    }
    level = next;
  }
  const time = (f: () => void): number => {
    f();
    const t = performance.now();
    f();
    return performance.now() - t;
  };
  const encoded = states.map((s) => model.codec.encode(s));
  const fp = new Uint32Array(2);
  let successors = 0;
  const parts: [string, number][] = [
    ['decode', time(() => encoded.forEach((b) => model.codec.decode(b)))],
    ['invariants', time(() => states.forEach((s) => model.invariants.forEach((inv) => inv.check(s))))],
    ['witnesses', time(() => states.forEach((s) => model.witnesses?.forEach((w) => w.holds(s))))],
    ['successors', time(() => states.forEach((s) => (successors += model.successors(s).length)))],
    [
      'encode+fingerprint',
      time(() =>
        states.forEach((s) =>
          model.successors(s).forEach((x) => {
            const b = model.codec.encodeTransient!(x.state);
            hash64(b, 0, b.length, fp);
          }),
        ),
      ) - time(() => states.forEach((s) => model.successors(s))),
    ],
  ];
  const total = parts.reduce((a, [, ms]) => a + ms, 0);
  console.log(
    `\nmodel work per distinct state (${fmt(states.length)} states, ${fmt(successors / 2)} successors), measured apart from the checker:`,
  );
  for (const [name, ms] of parts) console.log(`  ${name.padEnd(20)} ${((ms / states.length) * 1000).toFixed(2)} µs/state`);
  console.log(`  ${'total'.padEnd(20)} ${((total / states.length) * 1000).toFixed(2)} µs/state`);
}

/** Reachable states of `model` in BFS order (at most `limit`), by a plain BFS. */
function someStates<S>(model: Model<S, unknown>, limit: number): S[] {
  const seen = new Set<string>();
  const key = (s: S): string => String.fromCharCode(...model.codec.encode(s));
  const out: S[] = [];
  let level = model.initStates();
  for (const s of level) seen.add(key(s));
  while (level.length > 0 && out.length < limit) {
    const next: S[] = [];
    for (const s of level) {
      out.push(s);
      for (const { state } of model.successors(s)) {
        if (!seen.has(key(state))) {
          seen.add(key(state));
          next.push(state);
        }
      }
    }
    level = next;
  }
  return out.slice(0, limit);
}

/**
 * What the codec's memo saves: decode a state (which fills the memo), generate its successors,
 * encode each; the successors share most sub-values with the decoded state.
 */
function memoEffect(): void {
  const states = someStates(createModel({ encoding: 'immutable' }), 5000);
  for (const memoize of [true, false, true, false]) {
    const model = createModel({ encoding: 'immutable', memoize });
    const encoded = states.map((s) => model.codec.encode(s));
    let decodeMs = 0;
    let encodeMs = 0;
    let successors = 0;
    for (const bytes of encoded) {
      let t = performance.now();
      const state = model.codec.decode(bytes);
      decodeMs += performance.now() - t;
      const succs = model.successors(state);
      t = performance.now();
      for (const x of succs) model.codec.encodeTransient!(x.state);
      encodeMs += performance.now() - t;
      successors += succs.length;
    }
    console.log(
      `  codec memo ${memoize ? 'on ' : 'off'}: decode ${((decodeMs / states.length) * 1000).toFixed(1)} µs/state, ` +
        `encode ${((encodeMs / successors) * 1000).toFixed(2)} µs/successor ` +
        `(${fmt(states.length)} states of 3 ballots, ${(encoded.reduce((a, b) => a + b.length, 0) / encoded.length).toFixed(0)} bytes each on average)`,
    );
  }
}

async function immutableComparison(): Promise<void> {
  console.log('\nimmutable.js encoding of the same model (Records, Lists, a Set of message Records; generic immutableCodec):');
  const small = await run({ ballots: 2, encoding: 'immutable' }, 0);
  const smallBytes = await run({ ballots: 2, encoding: 'bytes' }, 0);
  const same =
    small.result.stats.distinct === smallBytes.result.stats.distinct && small.result.stats.generated === smallBytes.result.stats.generated;
  console.log(
    `  2 ballots: ${fmt(small.result.stats.distinct)} distinct, ${fmt(small.result.stats.generated)} generated, ${same ? 'same as' : 'DIFFERENT FROM'} the bytes encoding`,
  );
  if (!same) process.exitCode = 1;
  for (const workers of [0, 2]) {
    const r = await run({ ballots: 3, encoding: 'immutable' }, workers, 20_000);
    console.log(
      `  3 ballots, first 20,000 states, ${workers === 0 ? 'in this thread' : '2 workers    '}: ${fmt((r.result.stats.distinct / r.wallMs) * 1000)} distinct/s`,
    );
  }
  memoEffect();
}

console.log(
  `checker benchmark: ${createModel().name}, ${repeats} runs per configuration (node ${process.version}, ` +
    `${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(2)} before starting)`,
);
console.log('cpu = CPU time of all threads of this process; "in this thread" runs after a warm-up, workers start cold every run');
await compare({}, 'single-decree Paxos, 3 acceptors, 2 values, 3 ballots, invariants agreement + 2 helpers');
const bytesModel = createModel() as Model<Uint8Array, unknown>;
const baseline = stringSetBfs(bytesModel);
console.log(
  `\nplain JS BFS keyed by strings in a Set, same model and invariants: ${fmt(baseline.distinct)} distinct in ${fmt(baseline.ms)} ms, ` +
    `${fmt((baseline.distinct / baseline.ms) * 1000)} distinct/s, ~${fmt(baseline.bytesPerState)} heap bytes/state`,
);
breakdown(bytesModel);
if (long) await compare({ ballots: 4 }, 'long run: 4 ballots, first 2,000,000 states', 2_000_000);
await immutableComparison();
