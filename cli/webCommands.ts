/**
 * The browser commands: `rsl trace view FILE` (cli/commands/traceView.ts) and `rsl explore`
 * (cli/commands/explore.ts). `explore` takes the model flags of `check` and `simulate` from the one
 * flag table (cli/flags.ts), plus its own --port and --open.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseIntegerFlag } from './config.js';
import { flagTable, optionsOf, type FlagDef } from './flags.js';
import type { ExploreFlags } from './commands/explore.js';
import type { Output } from './output.js';

/** The flags that select a model: those both model commands take and that reproduce a run. */
const modelFlagDefs: readonly FlagDef[] = flagTable.filter(
  (d) => d.reproduces === true && d.commands.includes('check') && d.commands.includes('simulate'),
);

function port(value: string): number {
  try {
    return parseIntegerFlag('--port')(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

export function addWebCommands(program: Command, trace: Command, setExit: (code: number) => void, out: Output): void {
  trace
    .command('view <file>')
    .description('write the trace as one self-contained HTML page (diagram, state diffs, obligations) and print its path')
    .option('--out <page>', 'where to write the page (default: next to the trace, .html)')
    .option('--open', 'open the page in the system browser, if there is one')
    .addHelpText(
      'after',
      '\nExit codes: 0 written, 1 unreadable or invalid trace file, 13 written but the trace does not replay against its spec, 75 the spec threw.',
    )
    .action(async (file: string, flags: { out?: string; open?: boolean }) => {
      const { runTraceView } = await import('./commands/traceView.js');
      setExit(await runTraceView(file, flags, out));
    });

  const explore = program
    .command('explore')
    .description('walk the model in the browser: serve the trace page live on 127.0.0.1 until Ctrl-C')
    .addHelpText('after', '\nExit codes: 0 stopped by Ctrl-C or SIGTERM, 1 bad flag or configuration, or the port cannot be bound.');
  for (const def of modelFlagDefs) for (const o of optionsOf(def)) explore.addOption(o);
  explore
    .addOption(new Option('--port <n>', 'port on 127.0.0.1 (default: a free one, printed)').argParser(port))
    .option('--open', 'open the explorer in the system browser, if there is one')
    .action(async () => {
      const { runExplore } = await import('./commands/explore.js');
      setExit(await runExplore(explore.opts<ExploreFlags>(), out));
    });
}
