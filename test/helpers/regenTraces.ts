/**
 * Regenerates traces/ (`npm run traces:regen`, from the repository root): checks every mutant on
 * its hunting configuration (`mutantConfigFile`; along its schedule for a directed hunt), writes its shortest counterexample to
 * traces/<obligation>-<mutant>.trace.json, deletes trace files no mutant produced any more, and
 * prints the table test/mutants.test.ts pins.
 */
import { statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { mutants } from '../../mutants/index.js';
import { committedTraceFiles, huntMutant, mutantConfigFile, traceFilePath, writeViolationTrace } from './mutantRuns.js';
import { runScript } from './runScript.js';

async function main(root: string): Promise<number> {
  const written = new Set<string>();
  let failures = 0;
  for (const m of mutants) {
    const configFile = mutantConfigFile(m.name);
    const run = await huntMutant(root, m.name);
    const v = run.first;
    if (v === undefined || v.trace === undefined) {
      console.error(`${m.name}: NOT CAUGHT (${run.result.kind})`);
      failures++;
      continue;
    }
    const file = traceFilePath(v.property, m.name);
    writeViolationTrace(join(root, file), run);
    written.add(file);
    const kb = (statSync(join(root, file)).size / 1024).toFixed(0);
    console.log(
      `  '${m.name}': { config: '${configFile}', obligation: '${v.property}', states: ${v.trace.states.length} }, // ${file}, ${kb} KB`,
    );
  }
  for (const file of committedTraceFiles(root)) {
    if (!written.has(file)) {
      unlinkSync(join(root, file));
      console.log(`deleted stale ${file}`);
    }
  }
  return failures;
}

runScript(() => main(process.cwd()));
