/** `rsl list obligations|mutants|configs`. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { implMutants, mutants } from '../../mutants/index.js';
import { scenarios, stateObligations, stepObligations } from '../../spec/index.js';
import { loadModelConfig } from '../config.js';
import { refinementObligationList } from '../refinementObligations.js';
import { ExitCode } from '../exitCodes.js';
import type { Output } from '../output.js';
import { packageRoot } from '../paths.js';

export async function runList(what: string, out: Output): Promise<number> {
  switch (what) {
    case 'obligations': {
      for (const o of stateObligations) out.stdout(`${o.name}\n    ${o.description}\n`);
      for (const o of stepObligations) out.stdout(`${o.name} (step)\n    ${o.description}\n`);
      out.stdout('Refinement of the implementation (on unless --no-refinement):\n');
      for (const o of refinementObligationList()) out.stdout(`${o.name}${o.step ? ' (step)' : ''}\n    ${o.description}\n`);
      out.stdout('Scenarios (must be reached, or the run fails):\n');
      for (const w of scenarios) {
        out.stdout(`${w.name}\n    ${w.description}\n`);
      }
      return ExitCode.ok;
    }
    case 'mutants':
      if (mutants.length === 0) out.stdout('no mutants defined\n');
      for (const m of mutants) out.stdout(`${m.name} (${m.role})\n    ${m.description}\n`);
      for (const m of implMutants) out.stdout(`${m.name} (implementation)\n    ${m.description}\n`);
      return ExitCode.ok;
    case 'configs': {
      const dir = join(packageRoot(), 'configs');
      for (const f of readdirSync(dir)
        .filter((x) => x.endsWith('.json') && x !== 'schema.json')
        .sort()) {
        const cfg = loadModelConfig(join(dir, f));
        out.stdout(`configs/${f}\n    ${cfg.description}\n`);
      }
      return ExitCode.ok;
    }
    default:
      out.stderr(`rsl: list takes one of: obligations, mutants, configs (got "${what}")\n`);
      return ExitCode.usage;
  }
}
