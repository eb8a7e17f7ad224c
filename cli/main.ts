/**
 * The `rsl` command: the commander program. Each command returns an exit code
 * (cli/exitCodes.ts) instead of exiting itself; only cli/run.ts turns it into process.exit.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError, parseIntegerFlag, type ConfigOverrides } from './config.js';
import { ExitCode } from './exitCodes.js';
import type { Output } from './output.js';

/** Options shared by every command that builds a model (check, simulate). */
export interface ModelFlags extends ConfigOverrides {
  readonly config?: string;
  readonly mutant?: string;
  readonly invariant?: string[];
}

function integer(flag: string): (value: string) => number {
  const parse = parseIntegerFlag(flag);
  return (value) => {
    try {
      return parse(value);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };
}

function addModelOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'model configuration (JSON); default configs/small-r3-b3.json')
    .option('--replicas <n>', 'number of replicas', integer('--replicas'))
    .option('--ballots <n>', 'how many views may be started', integer('--ballots'))
    .option('--opns <n>', 'operation slots that may be proposed', integer('--opns'))
    .option('--clients <n>', 'number of clients', integer('--clients'))
    .option('--requests <n>', 'requests per client', integer('--requests'))
    .option('--clock <n>', 'clock readings range over 0..n', integer('--clock'))
    .option('--batch-size <n>', 'max_batch_size', integer('--batch-size'))
    .addOption(new Option('--scheduler <mode>', 'which replica actions may run').choices(['round-robin', 'any']))
    .addOption(
      new Option('--election <mode>', 'faithful: clocks, timeouts, heartbeats; oracle: views change at any time (configs/README.md)').choices([
        'faithful',
        'oracle',
      ]),
    )
    .option('--requests-up-front', 'every client request is in the network from the start (exact, configs/README.md)')
    .addOption(new Option('--request-targets <which>', 'all: a client sends to any replica; one: client i only to replica i mod n').choices(['all', 'one']))
    .option('--symmetry', 'reduce by client symmetry (default from the config)')
    .option('--no-symmetry', 'explore without symmetry reduction')
    .option('--mutant <name>', 'swap in a deliberately broken variant of one action (see `rsl list mutants`)')
    .option('--invariant <name>', 'check only this obligation (repeatable)', (v: string, acc: string[] = []) => [...acc, v]);
}

/** The program, with output routed through `out` so tests can capture it. */
export function buildProgram(out: Output, setExit: (code: number) => void): Command {
  const program = new Command()
    .name('rsl')
    .description('IronRSL MultiPaxos: bounded model checking of the protocol and its safety lemmas')
    .configureOutput({ writeOut: (s) => out.stdout(s), writeErr: (s) => out.stderr(s) })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  addModelOptions(
    program
      .command('check')
      .description('explore the bounded model exhaustively and discharge every obligation')
      .option('--workers <n>', 'worker threads generating successors (0 = in the main thread)', integer('--workers'))
      .option('--max-states <n>', 'stop after this many distinct states', integer('--max-states'))
      .option('--max-depth <n>', 'do not explore beyond this BFS depth', integer('--max-depth'))
      .option('--timeout <seconds>', 'stop after this many seconds', integer('--timeout'))
      .option('--continue', 'keep exploring after a violation (one shortest trace per property)')
      .option('--trace-dir <dir>', 'where counterexample traces are written', 'traces')
      .option('--json', 'print the whole result as JSON on stdout'),
  ).action(async (flags) => {
    const { runCheck } = await import('./commands/check.js');
    setExit(await runCheck(flags, out));
  });

  addModelOptions(
    program
      .command('simulate')
      .description('seeded random walks over models too large to exhaust, with the same obligations')
      .option('--seed <n>', 'random seed (printed, so a run can be repeated)', integer('--seed'))
      .option('--walks <n>', 'number of walks', integer('--walks'), 1000)
      .option('--depth <n>', 'steps per walk', integer('--depth'), 100)
      .option('--trace-dir <dir>', 'where counterexample traces are written', 'traces')
      .option('--json', 'print the whole result as JSON on stdout')
      .addHelpText(
        'after',
        '\nExit codes: 0 no violation and no obligation vacuous (a simulation proves nothing beyond its walks), ' +
          '1 bad flag or configuration, 3 interrupted, 11 the premise of some obligation held on no walk, 12 violation, 75 the spec threw.',
      ),
  ).action(async (flags) => {
    const { runSimulate } = await import('./commands/simulate.js');
    setExit(await runSimulate(flags, out));
  });

  const trace = program.command('trace').description('read and replay counterexample traces');
  trace
    .command('show <file>')
    .description('print a trace file as numbered steps with the state fields that changed')
    .addHelpText('after', '\nExit codes: 0 printed, 1 unreadable or invalid trace file, 13 the trace does not replay against the spec, 75 the spec threw.')
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

  program
    .command('list <what>')
    .description('list the obligations, mutants or shipped configurations (obligations | mutants | configs)')
    .action(async (what: string) => {
      const { runList } = await import('./commands/list.js');
      setExit(await runList(what, out));
    });

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
