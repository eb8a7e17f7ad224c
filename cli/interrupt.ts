/** Ctrl-C during a run: the run is asked to stop (it then reports itself incomplete, exit 3). */

/** Runs `run` with a signal that Ctrl-C (SIGINT) aborts, for the duration of the run only. */
export async function untilInterrupted<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    return await run(abort.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
