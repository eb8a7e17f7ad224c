/**
 * The RSL benchmark (`npm run bench:rsl`; not a test): `rsl check`'s engine on fixed RSL
 * configurations, in this thread and with 1 and 2 worker threads. Prints distinct and generated
 * states per second (wall clock, and per CPU second of all threads), the 2-worker speedup, and the
 * memory a distinct state costs beyond the frontier. Targets (issue 13): at least 20,000 distinct
 * states/s in one thread on mutants-oracle-r2, at least 1.6x from 2 workers, at most 40 bytes per
 * distinct state beyond the frontier.
 *
 * Every measurement runs in a fresh process (`--child`), so memos and JIT state do not carry over.
 * The machine may be shared: the load average is printed before and after, and only ratios
 * measured in one run should be compared. The refinement obligations (impl/) are measured
 * separately: they are a second model (the implementation) run at every step, not engine work.
 *
 * Memory (in this thread, `--expose-gc`): what a run leaves behind once its frontier is gone. The
 * heap plus array buffers are measured after a full collection before the run (the model built)
 * and again after it: the checker has then dropped its frontier (and its seen set, whose exact
 * size the run reports and is added back), while every memo, hash-consing table and compiled
 * function the run created is still there. That retained figure divided by the distinct states is
 * the "total" bytes per state; it includes fixed costs (compiled code, bounded memo tables) that
 * do not grow with the run. The cost of one more distinct state is the slope of the retained
 * bytes against the distinct states over four runs of the same workload, stopped at 1/4, 1/2 and
 * 3/4 of its N states and at N (a least-squares line: the bounded memos drop a whole generation at
 * a time, so the retained bytes go up and down in a sawtooth, and a difference of two runs read
 * anything from its bottom to its top; the line's largest miss shows how tall the teeth are). That
 * slope is the figure the 40-byte target is read against. Every run is a fresh process. With
 * composite steps (rounds), the checker's set of intermediate states is added back too.
 *
 * The machine's own ceiling for two threads: two in-thread runs of the same workload in two
 * processes at once, against one alone. Nothing is shared between them, so their combined
 * throughput over one run's is the most any 2-thread engine could get on this machine for this
 * workload (two cores share caches, memory bandwidth and, on a shared machine, whatever else runs);
 * the 2-worker speedup is read against it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { check } from '../checker/index.js';
import { loadModelConfig, symmetryApplies } from '../cli/config.js';
import { createRslModel, rslModelFactory, type RslModelOptions } from '../cli/rslModel.js';

const here = fileURLToPath(import.meta.url);
const configDir = fileURLToPath(new URL('../../configs/', import.meta.url));

interface Case {
  readonly name: string;
  readonly config: string;
  /** Views, when not the configuration's own. */
  readonly ballots?: number;
  readonly maxStates?: number;
  readonly refinement: boolean;
  /** Measure memory (see the module comment). */
  readonly memory: boolean;
}

/**
 * Fixed workloads: a complete small space (the one-thread target is read on it); the same model
 * with three views, also complete (1.7 million states), and the first 100,000 states of a
 * three-replica model with the faithful election. These two take 30-120 s in one thread on a
 * quiet machine, so that worker start-up does not dominate the 2-worker speedup, and their memos
 * fill up early, so that the cost of one more state is what a long run pays (the small space ends
 * before its memos are full). Last, refinement on the small space.
 */
const cases: readonly Case[] = [
  { name: 'mutants-oracle-r2', config: 'mutants-oracle-r2', refinement: false, memory: true },
  { name: 'mutants-oracle-r2, 3 views', config: 'mutants-oracle-r2', ballots: 3, refinement: false, memory: true },
  { name: 'tiny-r3-b2 (first 100k)', config: 'tiny-r3-b2', maxStates: 100_000, refinement: false, memory: true },
  { name: 'mutants-oracle-r2 + refinement', config: 'mutants-oracle-r2', refinement: true, memory: false },
];

interface ChildResult {
  readonly distinct: number;
  readonly generated: number;
  readonly elapsedMs: number;
  readonly cpuMs: number;
  readonly kind: string;
  readonly seenSetBytesPerState: number;
  /** Memory runs: heap and array buffers retained by the run (frontier gone), seen set and intermediate set included. */
  readonly retainedBytes?: number;
}

function optionsOf(c: Case): RslModelOptions {
  const config = loadModelConfig(`${configDir}${c.config}.json`);
  return { config: c.ballots === undefined ? config : { ...config, ballots: c.ballots }, refinement: c.refinement };
}

/** Heap plus array-buffer bytes in use after a full collection. */
function liveBytes(gc: () => void): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** One measurement, in this (child) process; a memory run stops at `maxStates` when given. */
async function child(c: Case, workers: number, memory: boolean, maxStates: number | undefined): Promise<ChildResult> {
  const options = optionsOf(c);
  const model = createRslModel(options);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (memory && gc === undefined) throw new Error('a memory run needs node --expose-gc');
  const before = memory ? liveBytes(gc!) : 0;
  const cpu = process.cpuUsage();
  const r = await check(model, {
    workers,
    factory: rslModelFactory(options),
    // As rsl check does: client symmetry where the configuration allows it.
    symmetry: symmetryApplies(options.config),
    ...(maxStates === undefined ? {} : { maxStates }),
  });
  const used = process.cpuUsage(cpu);
  // `r` keeps only statistics and traces: the frontier and the seen set are garbage by now.
  const after = memory ? liveBytes(gc!) : 0;
  return {
    distinct: r.stats.distinct,
    generated: r.stats.generated,
    elapsedMs: r.stats.elapsedMs,
    cpuMs: (used.user + used.system) / 1000,
    kind: r.kind,
    seenSetBytesPerState: r.stats.bytesPerState,
    ...(memory ? { retainedBytes: after - before + r.stats.seenSetBytes + (r.stats.intermediateSetBytes ?? 0) } : {}),
  };
}

/** The command line of a child process measuring `c`. */
function childArgs(c: Case, workers: number, memory: boolean, maxStates: number | undefined): string[] {
  return [...(memory ? ['--expose-gc'] : []), here, '--child', JSON.stringify({ c, workers, memory, maxStates })];
}

const childOptions = { encoding: 'utf8', maxBuffer: 1 << 20 } as const;

function runChild(c: Case, workers: number, memory: boolean, maxStates = c.maxStates): ChildResult {
  return JSON.parse(execFileSync(process.execPath, childArgs(c, workers, memory, maxStates), childOptions)) as ChildResult;
}

/** Two in-thread runs of `c` at once, in two processes: their wall times. */
function twoAtOnce(c: Case): Promise<[number, number]> {
  const run = async (): Promise<number> => {
    const { stdout } = await promisify(execFile)(process.execPath, childArgs(c, 0, false, c.maxStates), childOptions);
    return (JSON.parse(stdout) as ChildResult).elapsedMs;
  };
  return Promise.all([run(), run()]);
}

/** The memory line of a case whose complete (or capped) run has `n` distinct states. */
function memoryReport(c: Case, n: number): string {
  const points = [0.25, 0.5, 0.75, 1].map((f) => {
    const r = runChild(c, 0, true, f === 1 ? c.maxStates : Math.round(n * f));
    return { x: r.distinct, y: r.retainedBytes!, seen: r.seenSetBytesPerState };
  });
  const mean = (f: (p: (typeof points)[number]) => number): number => points.reduce((t, p) => t + f(p), 0) / points.length;
  const mx = mean((p) => p.x);
  const my = mean((p) => p.y);
  const slope = mean((p) => (p.x - mx) * (p.y - my)) / mean((p) => (p.x - mx) ** 2);
  const miss = Math.max(...points.map((p) => Math.abs(p.y - (my + slope * (p.x - mx)))));
  const mib = (b: number): string => (b / 2 ** 20).toFixed(1);
  const last = points[points.length - 1]!;
  return (
    `  memory, frontier excluded: ${points.map((p) => `${mib(p.y)} MiB after ${fmt(p.x)}`).join(', ')} ` +
    `(${(last.y / last.x).toFixed(1)} B per state in all); one more distinct state costs ${slope.toFixed(1)} B ` +
    `(least squares; largest miss ${mib(miss)} MiB; seen set ${last.seen.toFixed(1)} B/state)`
  );
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const i = process.argv.indexOf('--child');
  if (i >= 0) {
    const { c, workers, memory, maxStates } = JSON.parse(process.argv[i + 1]!) as {
      c: Case;
      workers: number;
      memory: boolean;
      maxStates?: number;
    };
    process.stdout.write(JSON.stringify(await child(c, workers, memory, maxStates)));
    return;
  }
  console.log(`bench:rsl  load average before: ${load()}`);
  console.log(
    'targets: >= 20,000 distinct/s in one thread on mutants-oracle-r2; >= 1.6x from 2 workers; <= 40 B/state beyond the frontier\n',
  );
  // `--only TEXT`: just the workload named TEXT, or else those whose name contains TEXT.
  const only = process.argv.indexOf('--only');
  const text = process.argv[only + 1] ?? '';
  const named = cases.filter((c) => c.name === text);
  const chosen = only < 0 ? cases : named.length > 0 ? named : cases.filter((c) => c.name.includes(text));
  for (const c of chosen) {
    const runs = [0, 1, 2].map((workers) => ({ workers, r: runChild(c, workers, false) }));
    const base = runs[0]!.r;
    console.log(`${c.name}: ${fmt(base.distinct)} distinct, ${fmt(base.generated)} generated (${base.kind})`);
    for (const { workers, r } of runs) {
      const s = r.elapsedMs / 1000;
      console.log(
        `  ${workers === 0 ? 'in-thread' : `${workers} worker${workers === 1 ? ' ' : 's'}`}  ${(r.elapsedMs / 1000).toFixed(1).padStart(6)} s  ` +
          `${fmt(r.distinct / s).padStart(7)} distinct/s  ${fmt(r.generated / s).padStart(8)} generated/s  ` +
          `cpu ${(r.cpuMs / 1000).toFixed(1)} s (${(r.cpuMs / r.elapsedMs).toFixed(2)} cores, ${fmt(r.distinct / (r.cpuMs / 1000))} distinct per CPU s)  ` +
          `seen set ${r.seenSetBytesPerState.toFixed(1)} B/state`,
      );
    }
    console.log(
      `  2-worker speedup over in-thread: ${(base.elapsedMs / runs[2]!.r.elapsedMs).toFixed(2)}x, over 1 worker: ${(runs[1]!.r.elapsedMs / runs[2]!.r.elapsedMs).toFixed(2)}x`,
    );
    const [a, b] = await twoAtOnce(c);
    console.log(
      `  machine ceiling for 2 threads: ${((2 * base.elapsedMs) / Math.max(a, b)).toFixed(2)}x ` +
        `(two independent in-thread runs at once took ${(a / 1000).toFixed(1)} s and ${(b / 1000).toFixed(1)} s, one alone ${(base.elapsedMs / 1000).toFixed(1)} s)`,
    );
    if (c.memory) console.log(memoryReport(c, base.distinct));
    console.log('');
  }
  console.log(`load average after: ${load()}`);
}

await main();
