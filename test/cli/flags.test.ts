/**
 * The one flag table (cli/flags.ts) drives commander, the configuration overrides and the
 * reproduction command: these tests keep the three in step.
 */
import { Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { loadModelConfig } from '../../cli/config.js';
import { flagTable, overrideFlags, reproduceCommand } from '../../cli/flags.js';
import { configOverridesOf, modelConfigFrom } from '../../cli/modelConfig.js';
import { defaultConfigPath } from '../../cli/paths.js';

describe('the flag table', () => {
  it('stores every flag under the property commander gives it', () => {
    for (const def of flagTable) expect(new Option(def.flag).attributeName(), def.flag).toBe(def.key);
  });

  it('lists each flag once', () => {
    expect(new Set(flagTable.map((d) => d.flag)).size).toBe(flagTable.length);
  });

  it('turns every overriding flag into a change of the configuration key of the same name', () => {
    const base = loadModelConfig(defaultConfigPath());
    const changed: Record<string, unknown> = {
      replicas: 2,
      ballots: base.ballots + 1,
      opns: base.opns + 1,
      clients: 1,
      requests: base.requests + 1,
      clock: base.clock + 1,
      batchSize: base.batchSize + 1,
      scheduler: base.scheduler === 'any' ? 'round-robin' : 'any',
      granularity: base.granularity === 'round' ? 'action' : 'round',
      exploration: base.exploration === 'states' ? 'per-replica' : 'states',
      checkpoints: base.checkpoints === 'lazy' ? 'eager' : 'lazy',
      election: base.election === 'oracle' ? 'faithful' : 'oracle',
      requestsUpFront: !base.requestsUpFront,
      requestTargets: base.requestTargets === 'one' ? 'all' : 'one',
      symmetry: !base.symmetry,
    };
    expect(overrideFlags.map((d) => d.key).sort()).toEqual(Object.keys(changed).sort());
    // Flags that are only valid together with another one.
    const companions: Record<string, Record<string, unknown>> = {
      checkpoints: { election: 'oracle', granularity: 'round', scheduler: 'round-robin' },
      granularity: changed.granularity === 'round' ? { scheduler: 'round-robin' } : { scheduler: 'any', checkpoints: 'eager' },
      election: changed.election === 'oracle' && base.granularity === 'action' ? { scheduler: 'any' } : { checkpoints: 'eager' },
      scheduler: { checkpoints: 'eager' },
      exploration: { granularity: 'round', scheduler: 'round-robin' },
      symmetry: { requestTargets: 'all' },
    };
    for (const def of overrideFlags) {
      const flags = { ...companions[def.key], [def.key]: changed[def.key] };
      expect(configOverridesOf(flags)[def.key as keyof ReturnType<typeof configOverridesOf>], def.flag).toBe(changed[def.key]);
      // Without symmetry, so that `--request-targets one` is a valid model on its own.
      expect((modelConfigFrom({ symmetry: false, ...flags }) as unknown as Record<string, unknown>)[def.key], def.flag).toBe(
        changed[def.key],
      );
    }
  });

  it('writes the reproduction command from the same table, in table order', () => {
    expect(
      reproduceCommand('check', {
        config: 'c.json',
        batchSize: 2,
        requestsUpFront: true,
        symmetry: false,
        mutant: 'm',
        invariant: ['a', 'b'],
        workers: 3,
      }),
    ).toBe('npx rsl check --config c.json --batch-size 2 --requests-up-front --no-symmetry --mutant m --invariant a --invariant b');
    expect(reproduceCommand('simulate', { seed: 4, walks: 5, depth: 6, traceDir: 't' })).toBe(
      'npx rsl simulate --config configs/small-r3-b3.json --seed 4 --walks 5 --depth 6',
    );
  });
});
