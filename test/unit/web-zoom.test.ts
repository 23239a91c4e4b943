// The web editor's zoom ladder and fit, against values worked out by hand.
import { describe, expect, it } from 'vitest';
import { fitZoom, stepZoom, zoomLabel } from '../../src/host/web/zoom.js';

const doc = { width: 400, height: 300 };

describe('zoom', () => {
  it('fits the document in the view with a margin, never past 4x', () => {
    expect(fitZoom(doc, { width: 824, height: 624 })).toBe(2); // (824-24)/400, (624-24)/300
    expect(fitZoom(doc, { width: 224, height: 624 })).toBe(0.5);
    expect(fitZoom({ width: 10, height: 10 }, { width: 1000, height: 1000 })).toBe(4);
  });

  it('walks the ladder from any zoom, and stops at its ends', () => {
    expect(stepZoom(1, true, doc)).toBe(2);
    expect(stepZoom(1, false, doc)).toBe(2 / 3);
    expect(stepZoom(0.7, true, doc)).toBe(1); // from a fit between steps
    expect(stepZoom(0.7, false, doc)).toBe(2 / 3);
    expect(stepZoom(1 / 16, false, doc)).toBe(1 / 16);
    expect(stepZoom(32, true, doc)).toBe(32);
  });

  it('keeps a large document under 32768 CSS pixels a side', () => {
    const big = { width: 8192, height: 100 };
    expect(stepZoom(2, true, big)).toBe(3); // 32768 / 8192 = 4 is the most
    expect(stepZoom(4, true, big)).toBe(4);
    expect(stepZoom(3, true, big)).toBe(4);
  });

  it('labels zooms as percentages', () => {
    expect([1, 1 / 3, 16, 0.0625].map(zoomLabel)).toEqual(['100%', '33.3%', '1600%', '6.3%']);
  });
});
