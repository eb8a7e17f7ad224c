/**
 * Process entry point of `rsl` (bin/rsl.js loads the compiled form). The only process.exit, with
 * cli/interrupt.ts's exit on a Ctrl-C outside a run.
 */
import { ExitCode } from './exitCodes.js';
import { installProcessInterrupt } from './interrupt.js';
import { main } from './main.js';
import { processOutput } from './output.js';

installProcessInterrupt(ExitCode.incomplete);
try {
  process.exit(await main(process.argv.slice(2), processOutput));
} catch (e) {
  // One line, no stack: a user can report it; a developer reproduces it under the tests.
  process.stderr.write(`rsl: internal error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}\n`);
  process.exit(ExitCode.modelError);
}
