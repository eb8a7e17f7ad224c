/**
 * Steps 2 and 3 of the pipeline (flags -> model config -> model -> run -> render): the configuration
 * the flags select (the file, or the default one, with the overriding flags applied) and the checker
 * model built from it.
 */
import { applyOverrides, ConfigError, loadModelConfig, type ConfigOverrides, type ModelConfig } from './config.js';
import { overrideFlags, type ModelFlags } from './flags.js';
import { defaultConfigPath } from './paths.js';
import { createRslModel, type RslModel, type RslModelOptions } from './rslModel.js';

/** The configuration overrides the flags carry (undefined = keep the file's value). */
export function configOverridesOf(flags: ModelFlags): ConfigOverrides {
  const overrides: { [key: string]: unknown } = {};
  for (const def of overrideFlags) overrides[def.key] = (flags as { readonly [key: string]: unknown })[def.key];
  return overrides as ConfigOverrides;
}

/** The model configuration the flags select: the file (or the default one) with overrides applied. */
export function modelConfigFrom(flags: ModelFlags): ModelConfig {
  const base = loadModelConfig(flags.config ?? defaultConfigPath());
  try {
    return applyOverrides(base, configOverridesOf(flags));
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(inFlagTerms(e.message));
    throw e;
  }
}

/**
 * A configuration error found once the flags were applied, with every setting it quotes as a
 * configuration key (`"election": "oracle"`) written as the flag that sets it (`--election oracle`).
 */
export function inFlagTerms(message: string): string {
  return message.replace(/"(\w+)": ("[^"]*"|true|false|-?\d+)/g, (whole: string, key: string, value: string) => {
    const def = overrideFlags.find((d) => d.key === key);
    if (def === undefined) return whole;
    if (value === 'true' || value === 'false') return value === 'true' ? def.flag : `--no-${def.flag.slice(2)}`;
    return `${def.flag} ${value.replace(/^"|"$/g, '')}`;
  });
}

/** What every thread needs to build the model of these flags. */
export function modelOptionsFrom(flags: ModelFlags, config: ModelConfig): RslModelOptions {
  return {
    config,
    ...(flags.mutant === undefined ? {} : { mutant: flags.mutant }),
    ...(flags.invariant === undefined ? {} : { invariants: flags.invariant }),
    ...(flags.refinement === false ? { refinement: false } : {}),
  };
}

/** A model ready to run, with the configuration and options it was built from. */
export interface ModelSetup {
  readonly config: ModelConfig;
  readonly options: RslModelOptions;
  readonly model: RslModel;
}

/**
 * Flags to model. Throws a ConfigError (bad file or flag) or a RangeError (unknown mutant or
 * obligation), each one line for the user.
 */
export function modelFromFlags(flags: ModelFlags): ModelSetup {
  const config = modelConfigFrom(flags);
  const options = modelOptionsFrom(flags, config);
  return { config, options, model: createRslModel(options) };
}
