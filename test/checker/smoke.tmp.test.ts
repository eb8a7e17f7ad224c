import { it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { check } from '../../checker/index.js';
import * as twoPhase from '../helpers/twoPhaseCommit.js';
import * as layered from '../helpers/layered.js';
const helper = (name: string) => fileURLToPath(new URL(`../../dist/test/helpers/${name}.js`, import.meta.url));
it('smoke workers', async () => {
  for (const [mod, m, options] of [['twoPhaseCommit', twoPhase.createModel({ rms: 4 }), { rms: 4 }], ['layered', layered.createModel(), {}]] as const) {
    for (const workers of [0, 1, 2]) {
      const r = await check(m as never, { workers, factory: { module: helper(mod), options }, continueAfterViolation: true, batchSize: 7 });
      console.log(m.name, workers, r.kind, r.stats.distinct, r.stats.generated, r.stats.depth, r.stats.elapsedMs.toFixed(0));
      if (r.kind === 'error') console.log(r.message, r.stack);
      if (r.kind === 'violation') console.log(r.violations.map((v) => v.trace?.fingerprints.join(',')).join(' | '));
    }
  }
});
