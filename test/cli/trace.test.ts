/**
 * `rsl trace show` and `rsl trace replay` (issue 3 point 5): a trace file is re-executed against the
 * spec it names; a real violation is confirmed (exit 12), a claim that does not hold or a trace that
 * does not replay is refuted (exit 13), and an unusable file is one line on stderr (exit 1).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, fingerprintOf, writeTraceFile, type Trace, type Violation } from '../../checker/index.js';
import { runTraceReplay, runTraceShow } from '../../cli/commands/trace.js';
import { loadModelConfig, type ModelConfig } from '../../cli/config.js';
import { ExitCode } from '../../cli/exitCodes.js';
import { main } from '../../cli/main.js';
import { captureOutput } from '../../cli/output.js';
import { renderTrace } from '../../cli/render.js';
import { createRslModel } from '../../cli/rslModel.js';
import type { RslSystem, SystemStep } from '../../spec/index.js';

type S = RslSystem;
type A = SystemStep;

const dir = mkdtempSync(join(tmpdir(), 'rsl-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The shipped seeded-bug configuration (host by host): a mutant is caught in well under a second. */
const config: ModelConfig = loadModelConfig('configs/mutants-r3.json');
const mutant = 'acceptor-promises-equal-ballot';

let violation: Violation<S, A>;
let violationFile: string;
let behaviour: Trace<S, A>;
let behaviourFile: string;

function run(f: (file: string, out: ReturnType<typeof captureOutput>) => Promise<number>, file: string) {
  const out = captureOutput();
  return f(file, out).then((code) => ({ code, stdout: out.out.join(''), stderr: out.err.join('') }));
}

/** A copy of `file` with its JSON changed by `edit`, under a new name. */
// The edits reach anywhere into a parsed trace file (that is what they test), so `any` it is.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function edited(file: string, name: string, edit: (json: { [key: string]: any }) => void): string {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  edit(json);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(json));
  return path;
}

beforeAll(async () => {
  const buggy = createRslModel({ config, mutant });
  const result = await check(buggy, { workers: 0 });
  if (result.kind !== 'violation') throw new Error(`the mutant was not caught: ${result.kind}`);
  violation = result.violations[0]!;
  violationFile = join(dir, 'violation.trace.json');
  writeTraceFile(violationFile, buggy, violation.trace!, {
    property: violation.property,
    kind: violation.kind,
    explanation: violation.explanation,
  });

  // A real behaviour of the correct spec: always the first successor, six steps.
  const correct = createRslModel({ config });
  const states = [...correct.initStates()].slice(0, 1);
  const actions: A[] = [];
  for (let i = 0; i < 6; i++) {
    const next = correct.successors(states[states.length - 1]!)[0]!;
    actions.push(next.action);
    states.push(next.state);
  }
  behaviour = { states, actions, fingerprints: states.map((s) => fingerprintOf(correct.codec.encode(s))) };
  behaviourFile = join(dir, 'behaviour.trace.json');
  writeTraceFile(behaviourFile, correct, behaviour, {
    property: 'lemma_ChosenQuorumsMatchValue',
    kind: 'invariant',
    explanation: 'claimed',
  });
});

describe('rsl trace replay', () => {
  it('confirms a violation found by the checker, at the step where it happens', async () => {
    const r = await run(runTraceReplay, violationFile);
    const steps = violation.trace!.actions.length;
    expect(r.code).toBe(ExitCode.violation);
    expect(r.stdout).toBe(`confirmed: ${violation.property} violated at step ${steps} of ${steps}\n  ${violation.explanation}\n`);
    expect(r.stderr).toBe('');
  });

  it('refutes a claim that holds all along a real behaviour of the correct spec', async () => {
    const r = await run(runTraceReplay, behaviourFile);
    expect(r.code).toBe(ExitCode.replayMismatch);
    expect(r.stdout).toBe(
      `refuted: lemma_ChosenQuorumsMatchValue holds in every state and step of the replayed trace of ${behaviour.actions.length} steps\n`,
    );
  });

  it('refutes a claim about another property, naming what is violated instead', async () => {
    const file = edited(violationFile, 'other-claim.json', (j) => (j['#meta'].property = 'agreement'));
    const r = await run(runTraceReplay, file);
    expect(r.code).toBe(ExitCode.replayMismatch);
    expect(r.stdout).toContain('refuted: agreement holds in every state');
    expect(r.stdout).toContain(`violated along it instead: ${violation.property} violated at step`);
  });

  it('refutes the mutant trace replayed against the correct spec, naming the step that is not a spec step', async () => {
    const file = edited(violationFile, 'correct-spec.json', (j) => delete j['#meta'].configuration.mutant);
    const r = await run(runTraceReplay, file);
    expect(r.code).toBe(ExitCode.replayMismatch);
    expect(r.stdout).toMatch(/^refuted: the trace does not replay against the spec, at step \d+ \(.+\): /);
  });

  it('refutes a trace whose recorded state was edited, at that step', async () => {
    const file = edited(behaviourFile, 'edited-state.json', (j) => (j.states[3].clocks = [9, 9, 9]));
    const r = await run(runTraceReplay, file);
    expect(r.code).toBe(ExitCode.replayMismatch);
    expect(r.stdout).toContain('refuted: the trace does not replay against the spec, at step 3');
    expect(r.stdout).toContain('variables that differ: clocks');
  });

  it('replays a file that claims nothing, and says so', async () => {
    const file = edited(behaviourFile, 'no-claim.json', (j) => {
      delete j['#meta'].property;
      delete j['#meta'].kind;
      delete j['#meta'].explanation;
    });
    const r = await run(runTraceReplay, file);
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stdout).toBe(
      `replayed ${behaviour.actions.length} steps; the file names no violation and no obligation is violated along the trace\n`,
    );
  });
});

describe('rsl trace show', () => {
  it('prints the property, its explanation and the replayed trace as numbered steps', async () => {
    const r = await run(runTraceShow, violationFile);
    const model = createRslModel({ config, mutant });
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stdout).toContain(
      `Violated: ${violation.property} (invariant) after ${violation.trace!.actions.length} steps\n  ${violation.explanation}\n`,
    );
    expect(r.stdout).toContain(renderTrace(model.system, violation.trace!.states, violation.trace!.actions));
    expect(r.stdout).toContain(`with mutant ${mutant}`);
    expect(r.stdout).toContain(`Replay it: npx rsl trace replay ${violationFile}\n`);
  });

  it('says where a trace stops replaying and exits 13', async () => {
    const file = edited(behaviourFile, 'bad-action.json', (j) => (j.states[2]['#meta'].action = { client: 'c0', seqno: 5, dst: 'r0' }));
    const r = await run(runTraceShow, file);
    expect(r.code).toBe(ExitCode.replayMismatch);
    expect(r.stdout).toContain('Cannot replay the trace against the spec, at step 2');
    expect(r.stdout).toContain('is not enabled');
    expect(r.stdout).toContain('The part that replays:\n  0. initial state\n  1. ');
  });

  it('does not claim a violation for a trace cut before it, and exits 13', async () => {
    const file = edited(violationFile, 'cut-short.json', (j) => j.states.pop());
    const r = await run(runTraceShow, file);
    expect(r.code).toBe(ExitCode.replayMismatch);
    expect(r.stdout).not.toContain('Violated:');
    expect(r.stdout).toContain(
      `The file claims a violation of ${violation.property}, but it holds in every state and step of the replayed trace`,
    );
    expect(r.stdout).toContain('  0. initial state');
  });

  it('shows the violation where the replay finds it, with the explanation it recomputes', async () => {
    const file = edited(violationFile, 'stale-explanation.json', (j) => (j['#meta'].explanation = 'something else'));
    const r = await run(runTraceShow, file);
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stdout).toContain(
      `Violated: ${violation.property} (invariant) after ${violation.trace!.actions.length} steps\n  ${violation.explanation}\n`,
    );
    expect(r.stdout).not.toContain('something else');
  });

  it('works through the command line, with the same exit codes', async () => {
    const out = captureOutput();
    expect(await main(['trace', 'show', violationFile], out)).toBe(ExitCode.ok);
    expect(await main(['trace', 'replay', violationFile], captureOutput())).toBe(ExitCode.violation);
    expect(await main(['trace', 'replay', behaviourFile], captureOutput())).toBe(ExitCode.replayMismatch);
  });
});

describe('unusable trace files', () => {
  const cases: [string, () => string, RegExp][] = [
    ['a missing file', () => join(dir, 'nothing-here.json'), /cannot read the trace file \(ENOENT\)/],
    ['a file that is not JSON', () => write('not-json.json', '{ "states": ['), /not valid JSON/],
    ['JSON that is not an ITF trace', () => write('not-itf.json', '{"vars": 3}'), /is not an ITF trace: "vars" is not a list of names/],
    ['a trace with no states', () => write('empty.json', '{"vars": [], "states": []}'), /the trace has no states/],
    [
      'a trace with no model configuration',
      () => edited(behaviourFile, 'no-config.json', (j) => delete j['#meta'].configuration),
      /records no model configuration/,
    ],
    [
      'a trace whose configuration is invalid',
      () => edited(behaviourFile, 'bad-config.json', (j) => (j['#meta'].configuration.config.replicas = 0)),
      /"replicas" must be between 1 and 7, got 0/,
    ],
    [
      'a trace naming an unknown mutant',
      () => edited(behaviourFile, 'bad-mutant.json', (j) => (j['#meta'].configuration.mutant = 'no-such-bug')),
      /unknown mutant "no-such-bug"/,
    ],
    [
      'a trace naming an obligation its model does not have',
      () => edited(behaviourFile, 'unknown-claim.json', (j) => (j['#meta'].property = 'nope')),
      /names "nope", which is no obligation of its model \(see `npx rsl list obligations`\)/,
    ],
    [
      'a trace naming an unknown kind of violation',
      () => edited(behaviourFile, 'bad-kind.json', (j) => (j['#meta'].kind = 'weird')),
      /"#meta.kind" must be one of/,
    ],
    [
      'a trace with a step that records no action',
      () => edited(behaviourFile, 'no-action.json', (j) => delete j.states[1]['#meta'].action),
      /state 1 of the trace records no action/,
    ],
  ];

  function write(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  for (const [what, file, message] of cases) {
    it(`gives one line on stderr and exit 1 for ${what}`, async () => {
      const path = file();
      for (const command of [runTraceShow, runTraceReplay]) {
        const r = await run(command, path);
        expect(r.code).toBe(ExitCode.usage);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(message);
        expect(r.stderr).toMatch(/^rsl: [^\n]*\n$/);
      }
    });
  }
});
