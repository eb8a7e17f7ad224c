/**
 * Step 5 of the pipeline (render): the verdict of a run, as one line and the exit code
 * (cli/exitCodes.ts). Pure.
 */
import type { CheckResult, Violation } from '../checker/index.js';
import type { RslSystem, SystemStep } from '../spec/index.js';
import { ExitCode } from './exitCodes.js';

type Result = CheckResult<RslSystem, SystemStep>;

/** A verdict line and the exit code it goes with. */
export interface RunVerdict {
  readonly line: string;
  readonly code: number;
}

/** What `--json` calls a run's outcome: one word per exit code, so the two always agree. */
export type VerdictKind = 'ok' | 'incomplete' | 'vacuous' | 'violation' | 'error';

export function verdictKind(code: number): VerdictKind {
  switch (code) {
    case ExitCode.ok:
      return 'ok';
    case ExitCode.incomplete:
      return 'incomplete';
    case ExitCode.vacuous:
      return 'vacuous';
    case ExitCode.violation:
      return 'violation';
    default:
      return 'error';
  }
}

/** How a check was asked for: exhaustively or host by host, all obligations or `--invariant` ones. */
export interface VerdictOptions {
  readonly exhaustive?: boolean;
  /** `--invariant` selected some obligations or scenarios: only those were checked. */
  readonly selected?: boolean;
}

/** `every obligation holds, ...`: what an OK run established, and what it did not look at. */
function okLine(result: Result, selected: boolean): string {
  const obligations = result.properties.some((p) => p.kind !== 'witness');
  const scenarios = result.properties.some((p) => p.kind === 'witness');
  const a = !obligations
    ? 'no obligation was checked'
    : selected
      ? 'the selected obligations hold, none is vacuous'
      : 'every obligation holds, none is vacuous';
  const b = !scenarios ? 'scenarios were not checked' : selected ? 'the selected scenarios were reached' : 'every scenario was reached';
  return `Result: OK, ${a}, ${b}`;
}

/** Violations of safety properties (invariants, step properties, deadlocks), not unreached scenarios. */
export function safetyViolations(result: Result): readonly Violation<RslSystem, SystemStep>[] {
  return result.kind === 'violation' ? result.violations.filter((v) => v.kind !== 'witness') : [];
}

/**
 * The verdict line and the exit code for a result. A run passes only when it explored everything,
 * nothing was violated, no obligation was vacuous and every scenario was reached.
 */
export function verdictOf(result: Result, options: VerdictOptions = {}): RunVerdict {
  const { exhaustive = true, selected = false } = options;
  const safety = safetyViolations(result);
  if (safety.length > 0) {
    return { line: `Result: VIOLATION of ${[...new Set(safety.map((v) => v.property))].join(', ')}`, code: ExitCode.violation };
  }
  if (result.kind === 'error') return { line: `Result: MODEL ERROR in ${result.phase}: ${result.message}`, code: ExitCode.modelError };
  const stopped =
    result.kind === 'incomplete' ? `${result.reason}: ${result.detail}` : result.kind === 'violation' ? result.stoppedBy : undefined;
  if (stopped !== undefined) {
    return { line: `Result: INCOMPLETE (${stopped}); nothing is proved beyond the explored states`, code: ExitCode.incomplete };
  }
  if (!exhaustive) {
    return {
      line: 'Result: INCOMPLETE, no violation found by host-by-host search, which is not exhaustive; this proves nothing',
      code: ExitCode.incomplete,
    };
  }
  const vacuous = result.properties.filter((p) => p.status === 'vacuous').map((p) => p.name);
  const missing = result.properties.filter((p) => p.status === 'unwitnessed').map((p) => p.name);
  if (vacuous.length > 0 || missing.length > 0) {
    const parts = [
      ...(vacuous.length > 0 ? [`vacuous: ${vacuous.join(', ')} (premise never held, so "holds" proves nothing)`] : []),
      ...(missing.length > 0 ? [`scenarios never reached: ${missing.join(', ')}`] : []),
    ];
    return { line: `Result: FAILED, ${parts.join('; ')}`, code: ExitCode.vacuous };
  }
  return { line: okLine(result, selected), code: ExitCode.ok };
}

/** The verdict of a simulation: like `check`'s, but a clean run is never called a proof. */
export function simulationVerdict(result: Result, walks: number, depth: number): RunVerdict {
  const violations = safetyViolations(result);
  if (violations.length > 0) {
    return { line: `Result: VIOLATION of ${[...new Set(violations.map((v) => v.property))].join(', ')}`, code: ExitCode.violation };
  }
  switch (result.kind) {
    case 'incomplete':
      return { line: `Result: INCOMPLETE (${result.reason}: ${result.detail})`, code: ExitCode.incomplete };
    case 'error':
      return { line: `Result: MODEL ERROR in ${result.phase}: ${result.message}`, code: ExitCode.modelError };
    // A scenario the walks never reached is reported in the summary, not held against them.
    case 'violation':
    case 'ok': {
      const vacuous = result.properties.filter((p) => p.status === 'vacuous').map((p) => p.name);
      const walked = `${walks} random walks of up to ${depth} steps`;
      if (vacuous.length > 0) {
        return {
          line: `Result: FAILED, no violation in ${walked}, but vacuous: ${vacuous.join(', ')} (premise never held)`,
          code: ExitCode.vacuous,
        };
      }
      return { line: `Result: no violation in ${walked}; a simulation proves nothing beyond the walks it took`, code: ExitCode.ok };
    }
  }
}
