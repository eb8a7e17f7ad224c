/**
 * Measures the seeded-bug table of the README (`npm run mutants:table`, from the repository
 * root): every mutant hunted on its configuration, in this thread, once at action granularity (the
 * configuration as shipped) and once in scheduler rounds (`--scheduler round-robin`; a directed
 * hunt is in rounds only), with the obligation that fails first, the trace's length in rounds and
 * in steps, the states explored and the wall time. Wall times depend on the machine's load: the
 * table starts with the load average.
 */
import { loadavg } from 'node:os';
import { applyOverrides, type ModelConfig } from '../../cli/config.js';
import { mutants } from '../../mutants/index.js';
import { directedHunt, loadMutantsConfig, mutantConfigFile, runDirected, runOn, type MutantRun } from './mutantRuns.js';
import { runScript } from './runScript.js';

interface Row {
  readonly obligation: string;
  /** Transitions of the trace: actions, or rounds. */
  readonly depth: number;
  readonly steps: number;
  readonly distinct: number;
  readonly intermediate: number;
  readonly seconds: number;
}

async function measure(run: () => Promise<MutantRun>): Promise<Row | string> {
  const start = process.hrtime.bigint();
  const r = await run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const v = r.first;
  if (v?.trace === undefined) return `not caught (${r.result.kind})`;
  const { distinct, intermediate } = r.result.stats;
  return { obligation: v.property, depth: v.depth - 1, steps: v.trace.actions.length, distinct, intermediate, seconds };
}

const number = (n: number): string => n.toLocaleString('en-US');

function cell(row: Row | string | undefined, unit: string): string {
  if (row === undefined) return 'n/a';
  if (typeof row === 'string') return row;
  const within = row.intermediate > 0 ? ` (+${number(row.intermediate)} inside rounds)` : '';
  const length = unit === 'steps' ? `${row.steps} steps` : `${row.depth} rounds, ${row.steps} steps`;
  return `${length}; ${number(row.distinct)} states${within}; ${row.seconds.toFixed(1)} s`;
}

async function main(root: string): Promise<number> {
  let failures = 0;
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}, in this thread, no refinement`,
  );
  console.log('| mutant | configuration | first violated obligation | action model | scheduler rounds |');
  console.log('|---|---|---|---|---|');
  for (const m of mutants) {
    const file = mutantConfigFile(m.name);
    const config: ModelConfig = loadMutantsConfig(root, file);
    const directed = directedHunt(m.name);
    const action = directed === undefined ? await measure(() => runOn(config, m.name)) : undefined;
    const rounds =
      directed === undefined
        ? await measure(() => runOn(applyOverrides(config, { scheduler: 'round-robin' }), m.name))
        : await measure(() => runDirected(config, directed.schedule, m.name));
    const obligations = new Set([action, rounds].filter((r): r is Row => typeof r === 'object').map((r) => r.obligation));
    if (typeof rounds === 'string' || typeof action === 'string' || obligations.size !== 1) failures++;
    const how = directed === undefined ? '' : ' (directed)';
    console.log(
      `| ${m.name} | ${file.replace('configs/', '')}${how} | ${[...obligations].join(' / ')} | ${cell(action, 'steps')} | ${cell(rounds, 'rounds')} |`,
    );
  }
  return failures;
}

runScript(() => main(process.cwd()));
