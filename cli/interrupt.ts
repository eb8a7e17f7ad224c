/**
 * Ctrl-C during a run: the run is asked to stop, reports itself incomplete and exits 3.
 *
 * Through `npx rsl` a Ctrl-C arrives twice: the terminal sends SIGINT to the whole foreground
 * group (npm and this process), and npm forwards its own copy. So the listener stays for the whole
 * run (a second SIGINT must not kill the process with the default action, which npm would then
 * report as 130), and `installProcessInterrupt` keeps one for the life of the process.
 */

/** Runs `run` with a signal that Ctrl-C (SIGINT) aborts, for the duration of the run only. */
export async function untilInterrupted<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.on('SIGINT', onSigint);
  try {
    return await run(abort.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/**
 * For the `rsl` process (cli/run.ts): a SIGINT that nothing else listens for exits with `code` at
 * once; while a run (or a server such as `rsl explore`) has its own listener, it is left to that
 * one, so a partial result is still printed.
 */
export function installProcessInterrupt(code: number): void {
  const onSigint = (): void => {
    if (process.listeners('SIGINT').every((l) => l === onSigint)) process.exit(code);
  };
  process.on('SIGINT', onSigint);
}
