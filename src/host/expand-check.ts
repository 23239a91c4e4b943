/** What every host checks before an expand (Host.expandCanvas): sane sides, the document the layer was made for. */
import { HostError } from './errors.js';
import type { Sides } from './host.js';

export function checkExpand(by: Sides, doc: { width: number; height: number }, expected: { width: number; height: number }): void {
  const sides = [by.left, by.top, by.right, by.bottom];
  if (!sides.every((v) => Number.isInteger(v) && v >= 0) || sides.every((v) => v === 0)) {
    throw new HostError('BAD_RECT', `Expanding needs whole, non-negative pixels per side with at least one above 0, not ${JSON.stringify(by)}.`);
  }
  if (doc.width !== expected.width || doc.height !== expected.height) {
    throw new HostError(
      'NO_DOCUMENT',
      `The document is now ${doc.width}x${doc.height}, but the result was made for ${expected.width}x${expected.height}: run Expand again.`,
    );
  }
}
