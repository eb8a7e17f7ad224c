/**
 * The `rsl` command: the commander program. Each command returns an exit code
 * (cli/exitCodes.ts) instead of exiting itself; only cli/run.ts turns it into process.exit.
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from './config.js';
import { checkExitCodes, ExitCode } from './exitCodes.js';
import { addFlags, type CheckFlags, type SimulateFlags } from './flags.js';
import { addNodeCommands } from './nodeCommands.js';
import { addWebCommands } from './webCommands.js';
import type { Output } from './output.js';
import { packageVersion } from './paths.js';

/** The program, with output routed through `out` so tests can capture it. */
export function buildProgram(out: Output, setExit: (code: number) => void): Command {
  const program = new Command()
    .name('rsl')
    .description('IronRSL MultiPaxos: bounded model checking of the protocol and its safety lemmas')
    .configureOutput({ writeOut: (s) => out.stdout(s), writeErr: (s) => out.stderr(s) })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .version(packageVersion(), '--version', 'print the version of rsl-check');

  const checkCmd = addFlags(
    program
      .command('check')
      .description('explore the bounded model exhaustively and discharge every obligation')
      .addHelpText('after', `\n${checkExitCodes}`),
    'check',
  ).action(async () => {
    const { runCheck } = await import('./commands/check.js');
    setExit(await runCheck(checkCmd.opts<CheckFlags>(), out));
  });

  const simulateCmd = addFlags(
    program
      .command('simulate')
      .description('seeded random walks over models too large to exhaust, with the same obligations')
      .addHelpText(
        'after',
        '\nExit codes: 0 no violation and no obligation vacuous (a simulation proves nothing beyond its walks), ' +
          '1 bad flag or configuration, 3 interrupted, 11 the premise of some obligation held on no walk, 12 violation, 75 the spec threw.',
      ),
    'simulate',
  ).action(async () => {
    const { runSimulate } = await import('./commands/simulate.js');
    setExit(await runSimulate(simulateCmd.opts<SimulateFlags>(), out));
  });

  const trace = program.command('trace').description('read and replay counterexample traces');
  trace
    .command('show <file>')
    .description('print a trace file as numbered steps with the state fields that changed')
    .addHelpText(
      'after',
      '\nExit codes: 0 printed, 1 unreadable or invalid trace file (an obligation its model does not have included), ' +
        '13 the trace does not replay against the spec or the violation it names does not happen along it, 75 the spec threw.',
    )
    .action(async (file: string) => {
      const { runTraceShow } = await import('./commands/trace.js');
      setExit(await runTraceShow(file, out));
    });
  trace
    .command('replay <file>')
    .description('re-execute a trace against the spec and confirm (or refute) its violation')
    .addHelpText(
      'after',
      '\nExit codes: 12 confirmed (the violation the file names happens along the replayed trace), ' +
        '13 refuted (the trace does not replay, or the named property holds all along it), ' +
        '0 the file names no violation and none happens, 1 unreadable or invalid trace file, 75 the spec threw.',
    )
    .action(async (file: string) => {
      const { runTraceReplay } = await import('./commands/trace.js');
      setExit(await runTraceReplay(file, out));
    });

  addWebCommands(program, trace, setExit, out);

  program
    .command('list <what>')
    .description('list the obligations, mutants or shipped configurations (obligations | mutants | configs)')
    .action(async (what: string) => {
      const { runList } = await import('./commands/list.js');
      setExit(await runList(what, out));
    });

  addNodeCommands(program, setExit, out);

  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], out: Output): Promise<number> {
  let code: number = ExitCode.ok;
  const program = buildProgram(out, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end in a CommanderError with exit code 0.
      return e.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (e instanceof ConfigError) {
      out.stderr(`rsl: ${e.message}\n`);
      return ExitCode.usage;
    }
    throw e;
  }
  return code;
}
