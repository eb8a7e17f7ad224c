import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderModelFailure } from '../../cli/render.js';

describe('a failure of the model itself', () => {
  afterEach(() => vi.unstubAllEnvs());
  const failure = {
    phase: 'trace',
    message: 'the rebuilt trace does not end in the recorded violation',
    stack: 'Error: x\n    at f (a.js:1:1)',
  };

  it('says what failed and where, without a stack trace by default', () => {
    vi.stubEnv('RSL_DEBUG', '');
    const text = renderModelFailure(failure);
    expect(text).toContain('The model failed in trace: the rebuilt trace does not end in the recorded violation');
    expect(text).not.toContain('at f (a.js');
    expect(text).toContain('RSL_DEBUG=1');
  });

  it('prints the stack trace with RSL_DEBUG=1', () => {
    vi.stubEnv('RSL_DEBUG', '1');
    expect(renderModelFailure(failure)).toContain('at f (a.js:1:1)');
  });

  it('has no hint when there is no stack', () => {
    expect(renderModelFailure({ phase: 'init', message: 'm' })).toBe('\nThe model failed in init: m\n');
  });
});
