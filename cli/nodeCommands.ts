/**
 * The commands that run the protocol for real over UDP: `rsl replica`, `rsl bench`, `rsl cluster`
 * (impl/node/). Kept apart from the model commands: their flags describe processes and sockets,
 * not a model, so they are not in the model flag table.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { Output } from './output.js';

function positiveInt(flag: string): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${flag} expects a non-negative integer, got "${value}"`);
    return Number(value);
  };
}

const engineOption = (): Option =>
  new Option('--engine <engine>', 'impl: the concrete implementation; spec: the spec functions the checker explored')
    .choices(['impl', 'spec'])
    .default('impl');

export function addNodeCommands(program: Command, setExit: (code: number) => void, out: Output): void {
  program
    .command('replica')
    .description('run one replica of a cluster over UDP on 127.0.0.1 until SIGINT/SIGTERM')
    .requiredOption('--cluster <file>', 'cluster file (JSON: replica addresses and parameters)')
    .requiredOption('--index <i>', 'which replica of the cluster file this is (0-based)', positiveInt('--index'))
    .addOption(engineOption())
    .option('--json-status', 'print status lines and the final summary as JSON')
    .option('--status-interval-ms <ms>', 'status line period', positiveInt('--status-interval-ms'), 5000)
    .option('--bare-pattern', 'instead of the protocol, only the bare message pattern (the benchmark ceiling)')
    .option('--faults <spec>', 'inject faults on packets to replicas: loss=P,dup=P,reorder=P,reorder-ms=MS,for-ms=MS')
    .addOption(new Option('--exit-with-stdin', 'also stop when stdin closes (used by rsl cluster)').hideHelp())
    .addHelpText('after', '\nExit codes: 0 stopped by a signal, 1 bad flag or cluster file or the port is taken.')
    .action(async (flags) => {
      const { runReplica } = await import('./commands/replica.js');
      setExit(await runReplica(flags, out));
    });

  program
    .command('bench')
    .description('closed-loop clients like the lab client: one outstanding increment each, 1 s timeout, rotate on timeout')
    .requiredOption('--cluster <file>', 'cluster file (JSON)')
    .option('--clients <n>', 'number of clients', positiveInt('--clients'), 32)
    .option('--duration <s>', 'seconds to run', positiveInt('--duration'), 30)
    .option('--timeout <ms>', 'per-request timeout', positiveInt('--timeout'), 1000)
    .option('--json', 'print the figures as JSON')
    .addHelpText('after', '\nExit codes: 0 the run completed, 1 bad flag or cluster file.')
    .action(async (flags) => {
      const { runBenchCommand } = await import('./commands/bench.js');
      setExit(await runBenchCommand(flags, out));
    });

  program
    .command('cluster')
    .description('start a local cluster on loopback, print its cluster file, stop it on SIGINT/SIGTERM')
    .option('--replicas <n>', 'number of replicas', positiveInt('--replicas'), 3)
    .addOption(engineOption())
    .option('--dir <dir>', 'where the cluster file is written (default: a temporary folder)')
    .option('--max-batch-delay <ms>', 'max_batch_delay parameter', positiveInt('--max-batch-delay'))
    .option('--max-batch-size <n>', 'max_batch_size parameter', positiveInt('--max-batch-size'))
    .option('--start-timeout <s>', 'seconds to wait for a leader to serve a request', positiveInt('--start-timeout'), 30)
    .addHelpText('after', '\nExit codes: 0 stopped by a signal, 1 bad flag, 2 no leader served a request in time.')
    .action(async (flags) => {
      const { runCluster } = await import('./commands/cluster.js');
      setExit(await runCluster(flags, out));
    });
}
