/** Building a model from a `ModelFactory` (what worker threads do; also usable by a CLI). */
import { pathToFileURL } from 'node:url';
import type { Model, ModelFactory } from './model.js';

/** Loads `factory.module` (a compiled ES module) and calls its factory export with `factory.options`. */
export async function modelFromFactory<S = unknown, A = unknown>(factory: ModelFactory): Promise<Model<S, A>> {
  const url = factory.module.startsWith('file:') ? factory.module : pathToFileURL(factory.module).href;
  const mod = (await import(url)) as { [name: string]: unknown };
  const exportName = factory.exportName ?? 'createModel';
  const create = mod[exportName];
  if (typeof create !== 'function') {
    throw new Error(`model factory module ${factory.module} has no exported function ${exportName}`);
  }
  return (await (create as (options: unknown) => Model<S, A> | Promise<Model<S, A>>)(factory.options)) as Model<S, A>;
}
