/**
 * Worker-thread entry (compiled to dist/checker/worker.js): a pure successor generator, TLC's
 * Worker minus the fingerprint set (style-anchors §7.7). It builds the model from the
 * `ModelFactory` it is given (a dynamic import of a compiled module), then expands the batches of
 * encoded states the main thread sends, and transfers the typed arrays of each result back.
 */
import workerpool from 'workerpool';
import type { ModelFactory } from './model.js';
import { modelFromFactory } from './factory.js';
import { type Batch, BatchExpander, type ExpandSettings, transferables } from './expand.js';

const expanders = new Map<string, Promise<BatchExpander<unknown, unknown>>>();

function expanderFor(factory: ModelFactory, settings: ExpandSettings): Promise<BatchExpander<unknown, unknown>> {
  const key = JSON.stringify([factory.module, factory.exportName ?? null, factory.options, settings]);
  let expander = expanders.get(key);
  if (expander === undefined) {
    expander = modelFromFactory(factory).then((model) => new BatchExpander(model, settings));
    expanders.set(key, expander);
  }
  return expander;
}

async function expand(factory: ModelFactory, settings: ExpandSettings, batch: Batch): Promise<unknown> {
  const result = (await expanderFor(factory, settings)).expand(batch);
  return new workerpool.Transfer(result, transferables(result));
}

/**
 * Builds the model ahead of the first batch and, given a batch, expands it and throws the result
 * away: practice on real states, so that the JIT has compiled the hot paths by the time this
 * worker's results count.
 */
async function warm(factory: ModelFactory, settings: ExpandSettings, batch?: Batch): Promise<void> {
  const expander = await expanderFor(factory, settings);
  if (batch !== undefined) expander.expand(batch, true);
}

workerpool.worker({ expand, warm });
