import { describe, expect, it } from 'vitest';
import { checkImage, checkMask, exceededLimit, MAX_PIXELS, MAX_SIDE } from '../../src/inference/limits.js';

const img = (width: number, height: number) => ({ width, height, data: { length: width * height * 4 } as ArrayLike<number> });

describe('input limits', () => {
  it('accepts the largest allowed sizes', () => {
    expect(() => checkImage('image', img(MAX_SIDE, 4096))).not.toThrow();
    expect(MAX_PIXELS).toBe(64 * 1024 * 1024);
  });

  it('names the limit a size passes, at the boundaries: 16384 px per side, 64 MP', () => {
    expect(exceededLimit(16384, 4096)).toBeNull(); // exactly 64 MP
    expect(exceededLimit(16385, 1)).toBe('side');
    expect(exceededLimit(1, 16385)).toBe('side');
    expect(exceededLimit(16384, 4097)).toBe('pixels');
    expect(exceededLimit(8193, 8192)).toBe('pixels');
  });

  it.each([
    [img(0, 10), /image is 0x10 pixels: it has no pixels to work on/],
    [img(20000, 10), /image is 20000x10 pixels; the longest side supported is 16384 pixels/],
    [img(9000, 8000), /image is 9000x8000 = 72\.0 MP; at most 64 MP is supported/],
    [{ width: 2, height: 2, data: new Uint8Array(3) }, /image data has 3 bytes; a 2x2 RGBA image has 16/],
    [img(1.5, 2), /image size 1.5x2 is not a pair of whole numbers/],
  ])('rejects %#', (image, message) => {
    expect(() => checkImage('image', image)).toThrow(message);
    try {
      checkImage('image', image);
    } catch (e) {
      expect((e as { code: string }).code).toBe('INPUT_INVALID');
    }
  });

  it('masks: size and emptiness', () => {
    expect(() => checkMask(new Uint8Array(4), 2, 2)).toThrow('mask is empty: select the area to fill');
    expect(() => checkMask(new Uint8Array(3), 2, 2)).toThrow(/mask has 3 bytes; expected one byte per pixel of the 2x2 image \(4\)/);
    expect(() => checkMask(Uint8Array.from([0, 0, 1, 0]), 2, 2)).not.toThrow();
  });
});
