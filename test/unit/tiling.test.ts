import { describe, expect, it } from 'vitest';
import type { Planes } from '../../src/inference/image.js';
import { TileAccumulator, tileLayout, tileStarts, tileWeights, upscaleTiled } from '../../src/inference/tiling.js';

const plane = (width: number, height: number, f: (x: number, y: number, c: number) => number, channels = 3): Planes => {
  const data = new Float32Array(channels * width * height);
  for (let c = 0; c < channels; c++) for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[(c * height + y) * width + x] = f(x, y, c);
  return { width, height, channels, data };
};

/** Stand-in upscaler: nearest neighbour by `k`. */
const nearest = (p: Planes, k: number): Planes =>
  plane(p.width * k, p.height * k, (x, y, c) => p.data[(c * p.height + Math.floor(y / k)) * p.width + Math.floor(x / k)]!, p.channels);

describe('tileStarts', () => {
  it.each([
    // length, tile, overlap, starts
    [32, 32, 8, [0]],
    [20, 32, 8, [0]],
    [1, 32, 8, [0]],
    [33, 32, 8, [0, 1]],
    [56, 32, 8, [0, 24]],
    [57, 32, 8, [0, 13, 25]],
    [64, 32, 8, [0, 16, 32]],
    [100, 32, 8, [0, 23, 45, 68]],
    [100, 32, 0, [0, 23, 45, 68]],
    [96, 32, 0, [0, 32, 64]],
    [256, 64, 16, [0, 48, 96, 144, 192]],
  ])('L=%i s=%i o=%i -> %j', (L, s, o, want) => {
    expect(tileStarts(L, s, o)).toEqual(want);
  });

  it('covers [0, L) with overlaps of at least o, for every L up to 300', () => {
    for (const [s, o] of [[32, 8], [32, 0], [64, 16], [16, 15]] as const) {
      for (let L = 1; L <= 300; L++) {
        const st = tileStarts(L, s, o);
        expect(st[0]).toBe(0);
        expect(st[st.length - 1]! + Math.min(s, L)).toBe(L);
        for (let i = 1; i < st.length; i++) expect(st[i - 1]! + s - st[i]!).toBeGreaterThanOrEqual(o);
      }
    }
  });
});

describe('tileLayout', () => {
  it.each([
    // W, H, s, o -> columns, rows, first tile input, last tile input
    [100, 40, 32, 8, 4, 2, { x: 0, y: 0, width: 32, height: 32 }, { x: 68, y: 8, width: 32, height: 32 }],
    [20, 10, 32, 8, 1, 1, { x: 0, y: 0, width: 20, height: 10 }, { x: 0, y: 0, width: 20, height: 10 }],
    [64, 20, 32, 8, 3, 1, { x: 0, y: 0, width: 32, height: 20 }, { x: 32, y: 0, width: 32, height: 20 }],
    [32, 32, 32, 8, 1, 1, { x: 0, y: 0, width: 32, height: 32 }, { x: 0, y: 0, width: 32, height: 32 }],
  ])('%ix%i, tile %i, overlap %i -> %i x %i tiles', (W, H, s, o, cols, rows, first, last) => {
    const l = tileLayout({ width: W, height: H, tileSize: s, overlap: o });
    expect([l.columns, l.rows, l.tiles.length]).toEqual([cols, rows, cols * rows]);
    expect([l.outWidth, l.outHeight]).toEqual([4 * W, 4 * H]);
    expect(l.tiles[0]!.input).toEqual(first);
    expect(l.tiles[l.tiles.length - 1]!.input).toEqual(last);
    for (const t of l.tiles) {
      expect(t.output).toEqual({ x: 4 * t.input.x, y: 4 * t.input.y, width: 4 * t.input.width, height: 4 * t.input.height });
      expect(t.weightX.length).toBe(t.output.width);
      expect(t.weightY.length).toBe(t.output.height);
    }
  });

  it('ramps weights linearly across an overlap and they sum to 1 there', () => {
    const l = tileLayout({ width: 56, height: 8, tileSize: 32, overlap: 8, scale: 4 });
    const [a, b] = l.tiles as [NonNullable<(typeof l.tiles)[0]>, NonNullable<(typeof l.tiles)[0]>];
    // overlap: input [24, 32) -> output [96, 128), 32 px
    for (let j = 0; j < 32; j++) {
      expect(b.weightX[j]).toBeCloseTo((j + 0.5) / 32, 7);
      expect(a.weightX[96 + j]).toBeCloseTo(1 - (j + 0.5) / 32, 7);
      expect(a.weightX[96 + j]! + b.weightX[j]!).toBeCloseTo(1, 6);
    }
    expect(Array.from(a.weightX.subarray(0, 96)).every((w) => w === 1)).toBe(true);
    expect(Array.from(b.weightX.subarray(32)).every((w) => w === 1)).toBe(true);
    expect(Array.from(a.weightY).every((w) => w === 1)).toBe(true);
    const map = tileWeights(a);
    expect(map.length).toBe(128 * 32);
    expect(map[5 * 128 + 100]).toBe(a.weightX[100]! * a.weightY[5]!);
  });

  it('the summed weights are positive everywhere and 1 where at most two tiles meet per axis', () => {
    const l = tileLayout({ width: 100, height: 70, tileSize: 32, overlap: 8 });
    const acc = new TileAccumulator(l, 1);
    for (const t of l.tiles) acc.add(t, new Float32Array(t.output.width * t.output.height).fill(1));
    expect(acc.result().data.every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);
  });

  it('rejects overlap >= tile size', () => {
    expect(() => tileLayout({ width: 10, height: 10, tileSize: 8, overlap: 8 })).toThrow(/overlap: expected an integer from 0 to 7, got 8/);
  });
});

describe('upscaleTiled', () => {
  const gradient = (W: number, H: number) => plane(W, H, (x, y, c) => (x * 0.013 - y * 0.021 + c * 0.1) % 1);
  const checker = (W: number, H: number) => plane(W, H, (x, y, c) => ((x + y + c) % 2 ? 0.75 : -0.5));

  it.each([
    [100, 40, 32, 8],
    [57, 33, 32, 8],
    [20, 10, 32, 8],
    [64, 64, 32, 0],
    [45, 70, 16, 5],
  ])('equals direct nearest-neighbour 4x for %ix%i (tile %i, overlap %i)', async (W, H, s, o) => {
    const layout = tileLayout({ width: W, height: H, tileSize: s, overlap: o, scale: 4 });
    for (const img of [gradient(W, H), checker(W, H)]) {
      const calls: number[] = [];
      const tiled = await upscaleTiled(img, layout, (tile) => {
        expect([tile.width, tile.height]).toEqual([s, s]); // small tiles are padded to the model size
        calls.push(1);
        return nearest(tile, 4);
      });
      const direct = nearest(img, 4);
      expect(calls.length).toBe(layout.tiles.length);
      expect([tiled.width, tiled.height, tiled.channels]).toEqual([4 * W, 4 * H, 3]);
      let maxErr = 0;
      for (let i = 0; i < direct.data.length; i++) maxErr = Math.max(maxErr, Math.abs(tiled.data[i]! - direct.data[i]!));
      expect(maxErr).toBeLessThan(1e-6);
    }
  });

  it('reports progress and stops when cancelled', async () => {
    const layout = tileLayout({ width: 64, height: 64, tileSize: 32, overlap: 8 });
    const controller = { aborted: false, reason: undefined as unknown };
    const seen: Array<[number, number]> = [];
    const run = upscaleTiled(gradient(64, 64), layout, (t) => nearest(t, 4), {
      signal: controller,
      onTile: (done, total) => {
        seen.push([done, total]);
        if (done === 2) controller.aborted = true;
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen).toEqual([
      [1, 9],
      [2, 9],
    ]);
  });

  it('checks the upscaler output size', async () => {
    const layout = tileLayout({ width: 40, height: 40, tileSize: 32, overlap: 8 });
    await expect(upscaleTiled(gradient(40, 40), layout, (t) => nearest(t, 2))).rejects.toThrow(/upscaled tile 0: expected 128x128, got "64x64"/);
  });
});
