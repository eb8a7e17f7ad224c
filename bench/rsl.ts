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
 * Memory: a run with `--expose-gc` collects garbage at every progress report (every 0.5 s) and
 * records heap plus array-buffer bytes with the distinct states found and the frontier left. Bytes
 * per distinct state beyond the frontier: the growth from the first report to the late report with
 * the smallest frontier (relative to the states found), divided by the states found in between.
 * The frontier at that report is still in the figure, so it is an upper bound.
 */
import { execFileSync } from 'node:child_process';
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
  readonly maxStates?: number;
  readonly refinement: boolean;
}

/** Fixed workloads: a complete small space, and the first 100,000 states of a three-replica one. */
const cases: readonly Case[] = [
  { name: 'mutants-oracle-r2', config: 'mutants-oracle-r2', refinement: false },
  { name: 'tiny-r3-b2 (first 100k)', config: 'tiny-r3-b2', maxStates: 100_000, refinement: false },
  { name: 'mutants-oracle-r2 + refinement', config: 'mutants-oracle-r2', refinement: true },
];

interface ChildResult {
  readonly distinct: number;
  readonly generated: number;
  readonly elapsedMs: number;
  readonly cpuMs: number;
  readonly kind: string;
  readonly seenSetBytesPerState: number;
  readonly beyondFrontier?: { readonly bytesPerState: number; readonly samples: number; readonly frontier: number };
}

function optionsOf(c: Case): RslModelOptions {
  return { config: loadModelConfig(`${configDir}${c.config}.json`), refinement: c.refinement };
}

/** One measurement, in this (child) process. */
async function child(c: Case, workers: number, memory: boolean): Promise<ChildResult> {
  const options = optionsOf(c);
  const model = createRslModel(options);
  const gc = (globalThis as { gc?: () => void }).gc;
  const samples: { distinct: number; queue: number; bytes: number }[] = [];
  const sample = (distinct: number, queue: number): void => {
    gc?.();
    const m = process.memoryUsage();
    samples.push({ distinct, queue, bytes: m.heapUsed + m.arrayBuffers });
  };
  const cpu = process.cpuUsage();
  const r = await check(model, {
    workers,
    factory: rslModelFactory(options),
    // As rsl check does: client symmetry where the configuration allows it.
    symmetry: symmetryApplies(options.config),
    ...(c.maxStates === undefined ? {} : { maxStates: c.maxStates }),
    ...(memory ? { progressIntervalMs: 500, onProgress: (p) => sample(p.distinct, p.queue) } : {}),
  });
  const used = process.cpuUsage(cpu);
  const out: ChildResult = {
    distinct: r.stats.distinct,
    generated: r.stats.generated,
    elapsedMs: r.stats.elapsedMs,
    cpuMs: (used.user + used.system) / 1000,
    kind: r.kind,
    seenSetBytesPerState: r.stats.bytesPerState,
  };
  if (!memory || samples.length < 3) return out;
  const first = samples[0]!;
  // The late sample with the smallest frontier (the last levels of a run are narrow).
  const late = samples.slice(Math.floor(samples.length / 2));
  const last = late.reduce((a, b) => (b.queue / Math.max(1, b.distinct) < a.queue / Math.max(1, a.distinct) ? b : a));
  const grown = last.bytes - first.bytes;
  return {
    ...out,
    beyondFrontier: { bytesPerState: grown / Math.max(1, last.distinct - first.distinct), samples: samples.length, frontier: last.queue },
  };
}

function runChild(c: Case, workers: number, memory: boolean): ChildResult {
  const args = [...(memory ? ['--expose-gc'] : []), here, '--child', JSON.stringify({ c, workers, memory })];
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 })) as ChildResult;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const i = process.argv.indexOf('--child');
  if (i >= 0) {
    const { c, workers, memory } = JSON.parse(process.argv[i + 1]!) as { c: Case; workers: number; memory: boolean };
    process.stdout.write(JSON.stringify(await child(c, workers, memory)));
    return;
  }
  console.log(`bench:rsl  load average before: ${load()}`);
  console.log(
    'targets: >= 20,000 distinct/s in one thread on mutants-oracle-r2; >= 1.6x from 2 workers; <= 40 B/state beyond the frontier\n',
  );
  for (const c of cases) {
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
    if (!c.refinement) {
      const m = runChild(c, 0, true).beyondFrontier;
      console.log(
        m === undefined
          ? '  memory: too short a run to sample'
          : `  memory beyond the frontier: ${m.bytesPerState.toFixed(1)} B per distinct state (${m.samples} samples, frontier ${fmt(m.frontier)} at the last)`,
      );
    }
    console.log('');
  }
  console.log(`load average after: ${load()}`);
}

await main();
