/**
 * Letting other tasks run between denoiser calls. A wasm run blocks its thread and resolves
 * through microtasks only, so without a macrotask turn a worker would read its `cancel`
 * message only after the whole job: yielding once per step is what makes cancel take effect
 * within one step.
 */
type Scheduler = { yield?: () => Promise<void> };

export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { scheduler?: Scheduler; setImmediate?: (f: () => void) => unknown };
  if (typeof g.scheduler?.yield === 'function') return g.scheduler.yield();
  if (typeof g.setImmediate === 'function') return new Promise((r) => g.setImmediate!(r));
  if (typeof MessageChannel === 'function') {
    // not clamped like nested setTimeout (4 ms)
    return new Promise((r) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        r();
      };
      ch.port2.postMessage(0);
    });
  }
  return new Promise((r) => setTimeout(r, 0));
}
