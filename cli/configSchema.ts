/**
 * The JSON Schema of model configurations (configs/schema.json), compiled with ajv. The schema is
 * the one statement of what a configuration may say (keys, types, ranges, the two rules that tie
 * keys together); editors check a config against it as it is typed (every shipped config names it
 * with "$schema"), and `schemaProblem` turns ajv's first error into the one-line message the CLI
 * prints, naming the key and what is wrong.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './paths.js';

/** The parts of configs/schema.json this module reads. */
interface PropertySchema {
  readonly type?: string;
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly properties?: { readonly [key: string]: PropertySchema };
}

export interface ConfigSchema {
  readonly properties: { readonly [key: string]: PropertySchema };
  readonly required: readonly string[];
}

/** configs/schema.json, parsed. */
export const configSchema: ConfigSchema = JSON.parse(readFileSync(join(packageRoot(), 'configs', 'schema.json'), 'utf8')) as ConfigSchema;

const validate = new Ajv({ allErrors: false, strictTypes: false }).compile(configSchema);

/** `min` and `max` of an integer key of the schema (`params.x` for a parameter). */
export function integerRange(key: string): { readonly min: number; readonly max: number } {
  const [top, sub] = key.split('.');
  const p = sub === undefined ? configSchema.properties[top!] : configSchema.properties[top!]?.properties?.[sub];
  if (p?.minimum === undefined || p.maximum === undefined) throw new Error(`configs/schema.json gives "${key}" no range`);
  return { min: p.minimum, max: p.maximum };
}

function got(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

function valueAt(raw: unknown, path: readonly string[]): unknown {
  let v = raw;
  for (const k of path) v = typeof v === 'object' && v !== null ? (v as { readonly [key: string]: unknown })[k] : undefined;
  return v;
}

/** The one-line reason for an oracle at action granularity without the `any` scheduler. */
export const oracleAtActionGranularity =
  '"election": "oracle" at "granularity": "action" needs "scheduler": "any" (the oracle stands in for the round-robin\'s timer slots)';

/** One line for ajv's first error on `raw`. */
function describe(e: ErrorObject, raw: unknown): string {
  const path = e.instancePath.split('/').slice(1);
  if (e.schemaPath.startsWith('#/allOf/0/')) return oracleAtActionGranularity;
  if (e.schemaPath.startsWith('#/allOf/1/')) {
    return '"requestTargets": "one" sends each client\'s requests to its own replica, so clients are not interchangeable: set "symmetry": false';
  }
  const inParams = path[0] === 'params';
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { readonly additionalProperty: string }).additionalProperty;
    const known = Object.keys((inParams ? configSchema.properties.params?.properties : configSchema.properties) ?? {});
    return inParams
      ? `unknown parameter "params.${extra}" (known: ${known.join(', ')})`
      : `unknown key "${extra}" (known: ${known.join(', ')})`;
  }
  if (e.keyword === 'required') {
    const missing = (e.params as { readonly missingProperty: string }).missingProperty;
    return inParams ? `missing parameter "params.${missing}"` : `missing key "${missing}"`;
  }
  if (path.length === 0) return 'a model configuration must be a JSON object';
  const key = path.join('.');
  const v = valueAt(raw, path);
  if (key === 'name') return "\"name\" must be a non-empty string of letters, digits, '.', '_' or '-'";
  if (key === 'params') return '"params" must be an object';
  const p = inParams ? configSchema.properties.params?.properties?.[path[1]!] : configSchema.properties[key];
  if (p?.enum !== undefined) return `"${key}" must be ${p.enum.map((x) => `"${x}"`).join(' or ')}, got ${got(v)}`;
  if (p?.type === 'boolean') return `"${key}" must be true or false, got ${got(v)}`;
  if (p?.type === 'integer') {
    if (e.keyword === 'type') return `"${key}" must be an integer, got ${got(v)}`;
    return `"${key}" must be between ${p.minimum} and ${p.maximum}, got ${got(v)}`;
  }
  if (p?.type === 'string') return `"${key}" must be a string, got ${got(v)}`;
  return `"${key}" ${e.message ?? 'is not valid'}`;
}

/** What is wrong with `raw` as a model configuration, in one line; undefined when nothing is. */
export function schemaProblem(raw: unknown): string | undefined {
  if (validate(raw)) return undefined;
  const first = validate.errors?.[0];
  return first === undefined ? 'not a valid model configuration' : describe(first, raw);
}
