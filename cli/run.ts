/** Process entry point of `rsl` (bin/rsl.js loads the compiled form). The only process.exit. */
import { ExitCode } from './exitCodes.js';
import { main } from './main.js';
import { processOutput } from './output.js';

try {
  process.exit(await main(process.argv.slice(2), processOutput));
} catch (e) {
  process.stderr.write(`rsl: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(ExitCode.modelError);
}
