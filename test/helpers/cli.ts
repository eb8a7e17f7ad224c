/** Runs the `rsl` commander program in-process and captures what it prints. */
import { main } from '../../cli/main.js';
import { captureOutput } from '../../cli/output.js';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function rsl(...args: string[]): Promise<CliRun> {
  const io = captureOutput();
  const code = await main(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}
