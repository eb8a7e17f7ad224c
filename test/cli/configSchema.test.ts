/**
 * configs/schema.json (issue 12 point 13): the shipped configurations point to it, ajv validates
 * every configuration with it, and its errors are the one-line messages the hand-written checks
 * gave before (the same texts, pinned here).
 */
import { Ajv } from 'ajv';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { boundLimits, ConfigError, parseModelConfig } from '../../cli/config.js';
import { configSchema } from '../../cli/configSchema.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const configs = readdirSync(join(root, 'configs')).filter((f) => f.endsWith('.json') && f !== 'schema.json');
const schema = JSON.parse(readFileSync(join(root, 'configs', 'schema.json'), 'utf8')) as object;

const base = {
  name: 'x',
  replicas: 1,
  ballots: 2,
  opns: 1,
  clients: 1,
  requests: 1,
  clock: 1,
  batchSize: 1,
  params: { maxLogLength: 2, baselineViewTimeoutPeriod: 1, heartbeatPeriod: 1, maxBatchDelay: 0 },
};

function problem(raw: unknown): string {
  try {
    parseModelConfig(raw, 'f.json');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  return 'accepted';
}

describe('configs/schema.json', () => {
  it('is a valid JSON Schema, and every shipped configuration names it and satisfies it', () => {
    const validate = new Ajv({ strictTypes: false }).compile(schema);
    expect(configs.length).toBeGreaterThanOrEqual(6);
    for (const f of configs) {
      const json = JSON.parse(readFileSync(join(root, 'configs', f), 'utf8')) as { $schema?: string };
      expect(json.$schema, f).toBe('./schema.json');
      expect(validate(json), `${f}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('describes exactly the keys of a model configuration, with the defaults the CLI applies', () => {
    const parsed = parseModelConfig(base, 'f.json') as unknown as Record<string, unknown>;
    expect(
      Object.keys(configSchema.properties)
        .filter((k) => k !== '$schema')
        .sort(),
    ).toEqual(Object.keys(parsed).sort());
    const props = configSchema.properties as Record<string, { default?: unknown }>;
    for (const [k, p] of Object.entries(props)) if (p.default !== undefined) expect(parsed[k], k).toEqual(p.default);
  });

  it('gives the flags their limits', () => {
    expect(boundLimits.replicas).toEqual({ flag: '--replicas', min: 1, max: 7 });
    expect(boundLimits.batchSize).toEqual({ flag: '--batch-size', min: 1, max: 1000 });
  });

  const cases: [string, unknown, string][] = [
    ['not an object', 3, 'f.json: a model configuration must be a JSON object'],
    [
      'an unknown key',
      { ...base, bogus: 1 },
      'f.json: unknown key "bogus" (known: $schema, name, description, replicas, ballots, opns, clients, requests, clock, batchSize, monotoneClocks, scheduler, granularity, exploration, checkpoints, election, requestsUpFront, requestTargets, symmetry, hostByHost, params)',
    ],
    ['a missing key', { ...base, name: undefined }, 'f.json: missing key "name"'],
    ['a bad name', { ...base, name: 'a b' }, "f.json: \"name\" must be a non-empty string of letters, digits, '.', '_' or '-'"],
    ['a bound out of range', { ...base, replicas: 0 }, 'f.json: "replicas" must be between 1 and 7, got 0'],
    ['a fraction', { ...base, replicas: 1.5 }, 'f.json: "replicas" must be an integer, got 1.5'],
    ['a number as text', { ...base, clients: '3' }, 'f.json: "clients" must be an integer, got "3"'],
    ['a boolean as text', { ...base, symmetry: 'yes' }, 'f.json: "symmetry" must be true or false, got "yes"'],
    ['an unknown scheduler', { ...base, scheduler: 'x' }, 'f.json: "scheduler" must be "round-robin" or "any", got "x"'],
    [
      'the oracle with round-robin at action granularity',
      { ...base, election: 'oracle', scheduler: 'round-robin', granularity: 'action' },
      'f.json: "election": "oracle" at "granularity": "action" needs "scheduler": "any" (the oracle stands in for the round-robin\'s timer slots)',
    ],
    [
      'one replica per client with symmetry',
      { ...base, requestTargets: 'one', clients: 2 },
      'f.json: "requestTargets": "one" sends each client\'s requests to its own replica, so clients are not interchangeable: set "symmetry": false',
    ],
    [
      'an unknown parameter',
      { ...base, params: { ...base.params, extra: 1 } },
      'f.json: unknown parameter "params.extra" (known: maxLogLength, baselineViewTimeoutPeriod, heartbeatPeriod, maxBatchDelay)',
    ],
    [
      'a missing parameter',
      { ...base, params: { maxLogLength: 2, heartbeatPeriod: 1, maxBatchDelay: 0 } },
      'f.json: missing parameter "params.baselineViewTimeoutPeriod"',
    ],
    [
      'a parameter out of range',
      { ...base, params: { ...base.params, maxLogLength: 0 } },
      'f.json: "params.maxLogLength" must be between 1 and 1000, got 0',
    ],
    ['params not an object', { ...base, params: 3 }, 'f.json: "params" must be an object'],
  ];
  for (const [what, raw, message] of cases) {
    it(`refuses ${what} in one line`, () => {
      // A key set to undefined is absent once written as JSON.
      expect(problem(JSON.parse(JSON.stringify(raw)) as unknown)).toBe(message);
    });
  }

  it('accepts the oracle with the default scheduler, and one replica per client without symmetry', () => {
    expect(problem({ ...base, election: 'oracle' })).toBe('accepted');
    expect(problem({ ...base, requestTargets: 'one', clients: 2, symmetry: false })).toBe('accepted');
  });
});
