/** Where the package's own files are, whether running from cli/*.ts (tests) or dist/cli/*.js. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory holding this package's package.json. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the package root (no package.json above the CLI)');
    dir = up;
  }
  return dir;
}

/** The configuration `rsl check` and `rsl simulate` use when no --config is given. */
export function defaultConfigPath(): string {
  return join(packageRoot(), 'configs', 'small-r3-b3.json');
}

/** The `version` of this package's package.json. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { readonly version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}
