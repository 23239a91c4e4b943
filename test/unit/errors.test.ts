import { describe, expect, it } from 'vitest';
import {
  BackendError,
  CancelledError,
  DiffusionError,
  InputError,
  ModelError,
  invalidInput,
  isDiffusionError,
  requireInteger,
  requireNumber,
  throwIfCancelled,
} from '../../src/inference/errors.js';

describe('errors', () => {
  it('carry a code, a name and details, and are DiffusionErrors', () => {
    const cause = new Error('disk');
    const e = new ModelError('MODEL_FILE_MISSING', 'base.fp32.onnx is missing from the model pack', { cause, details: { path: 'base.fp32.onnx' } });
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(DiffusionError);
    expect(isDiffusionError(e)).toBe(true);
    expect(isDiffusionError(new Error('x'))).toBe(false);
    expect([e.code, e.name, e.details, e.cause]).toEqual(['MODEL_FILE_MISSING', 'ModelError', { path: 'base.fp32.onnx' }, cause]);
    expect(new InputError('x').code).toBe('INPUT_INVALID');
    expect(new CancelledError().code).toBe('CANCELLED');
    expect(new BackendError('BACKEND_UNAVAILABLE', 'no WebGPU').code).toBe('BACKEND_UNAVAILABLE');
  });

  it('name what was wrong, what was expected and what came', () => {
    expect(invalidInput('steps', 'an integer from 1 to 1000', 0).message).toBe('steps: expected an integer from 1 to 1000, got 0');
    expect(() => requireInteger('steps', 2.5, 1, 1000)).toThrow('steps: expected an integer from 1 to 1000, got 2.5');
    expect(() => requireInteger('n', '3', 0)).toThrow('n: expected an integer >= 0, got "3"');
    expect(() => requireNumber('guidance', Number.NaN, 0, 30)).toThrow('guidance: expected a finite number in [0, 30], got NaN');
    expect(() => requireNumber('x', Infinity)).toThrow('x: expected a finite number, got Infinity');
    expect(invalidInput('image', 'RGBA', new Float32Array(3)).message).toBe('image: expected RGBA, got Float32Array(3)');
    expect(requireInteger('k', 3, 0, 5)).toBe(3);
  });

  it('throwIfCancelled throws CANCELLED only once the signal fired, keeping the reason as cause', () => {
    expect(() => throwIfCancelled(undefined)).not.toThrow();
    expect(() => throwIfCancelled({ aborted: false })).not.toThrow();
    const reason = new Error('user pressed stop');
    try {
      throwIfCancelled({ aborted: true, reason });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CancelledError);
      expect((e as CancelledError).cause).toBe(reason);
    }
    const own = new CancelledError('stopped');
    expect(() => throwIfCancelled({ aborted: true, reason: own })).toThrow(own);
    const ac = new AbortController();
    ac.abort();
    expect(() => throwIfCancelled(ac.signal)).toThrow(CancelledError);
  });
});
