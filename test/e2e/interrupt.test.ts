/**
 * Ctrl-C through the README's own command (issue 12 point 7): a terminal sends SIGINT to the whole
 * foreground process group, npm and the CLI alike, and `npx rsl check` must still end as
 * documented: the partial result printed, exit 3.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../cli/exitCodes.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Starts `command` in its own process group, sends SIGINT to the group once `ready` is printed. */
function interrupted(
  command: string,
  args: readonly string[],
  ready: string,
): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let sent = false;
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      if (!sent && out.includes(ready)) {
        sent = true;
        // Like a terminal: the signal goes to every process of the foreground group.
        setTimeout(() => process.kill(-child.pid!, 'SIGINT'), 500);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const killer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 50_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, out });
    });
  });
}

describe('Ctrl-C', () => {
  it('ends npx rsl check with the partial result and exit 3', async () => {
    const r = await interrupted('npx', ['rsl', 'check', '--workers', '0'], 'Checking with');
    expect(r.out).toContain('Result: INCOMPLETE (aborted');
    expect(r.code).toBe(ExitCode.incomplete);
  }, 60_000);

  it('ends node bin/rsl.js simulate the same way', async () => {
    const r = await interrupted('node', ['bin/rsl.js', 'simulate', '--walks', '100000000', '--seed', '1'], 'Simulating');
    expect(r.out).toContain('Result: INCOMPLETE (aborted');
    expect(r.code).toBe(ExitCode.incomplete);
  }, 60_000);
});
