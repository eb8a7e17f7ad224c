/**
 * Exit codes by meaning. 12 is TLC's code for a safety violation, so people who know TLC
 * recognise it; the others follow TLC's grouping (violations low, failures of the tool high).
 */
export const ExitCode = {
  /** Everything checked held (and nothing was vacuous). */
  ok: 0,
  /** Bad flag, bad configuration file or bad trace file. */
  usage: 1,
  /** A run that stopped at a limit (states, depth, time, memory, Ctrl-C) before finishing. */
  incomplete: 3,
  /** Some obligation held only vacuously: its premise never occurred in the explored space. */
  vacuous: 11,
  /** A safety property (invariant or step property) was violated. */
  violation: 12,
  /** A trace replay did not reproduce what the trace file claims. */
  replayMismatch: 13,
  /** The model itself failed (a spec function threw, a codec round trip failed). */
  modelError: 75,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Exit codes of `rsl check`, for its --help. */
export const checkExitCodes =
  'Exit codes: 0 every obligation holds, none is vacuous, every scenario was reached; 1 bad flag or configuration; ' +
  '3 incomplete (a limit, Ctrl-C, or host-by-host search, which is not exhaustive); 11 an obligation was vacuous or a scenario ' +
  'never reached; 12 a safety violation; 75 the model itself failed.';
