/**
 * `--open`: hands a file or URL to the system's browser when there is one, and never fails when
 * there is none. `$BROWSER` wins (as in Python's webbrowser and many CLIs); else the desktop's
 * opener (`xdg-open`, macOS `open`, Windows `start`). On Linux without a display nothing is
 * started. The browser is detached: `rsl` does not wait for it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  if (isAbsolute(command)) return existsSync(command) ? command : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

/** The command that would open `target`, or why there is none. */
export function browserCommand(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): { readonly command: string; readonly args: readonly string[] } | { readonly none: string } {
  const fromEnv = env.BROWSER?.split(':')
    .map((b) => b.trim())
    .find((b) => b !== '' && onPath(b.split(' ')[0]!, env) !== undefined);
  if (fromEnv !== undefined) {
    const [command, ...args] = fromEnv.split(' ');
    return { command: command!, args };
  }
  if (platform === 'darwin') return { command: 'open', args: [] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] };
  if (env.DISPLAY === undefined && env.WAYLAND_DISPLAY === undefined) return { none: 'no display (DISPLAY is not set) and no $BROWSER' };
  for (const opener of ['xdg-open', 'sensible-browser', 'x-www-browser']) {
    if (onPath(opener, env) !== undefined) return { command: opener, args: [] };
  }
  return { none: 'no xdg-open, sensible-browser or x-www-browser on PATH and no $BROWSER' };
}

/** Starts the browser on `target` (detached); returns a line saying what happened. */
export function openInBrowser(target: string, env: NodeJS.ProcessEnv = process.env): string {
  const how = browserCommand(env);
  if ('none' in how) return `no browser to open it with (${how.none}); open ${target} yourself`;
  try {
    const child = spawn(how.command, [...how.args, target], { detached: true, stdio: 'ignore', env });
    child.on('error', () => undefined);
    child.unref();
    return `opening it with ${how.command}`;
  } catch (e) {
    return `could not start ${how.command} (${(e as Error).message}); open ${target} yourself`;
  }
}
