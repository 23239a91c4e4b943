/**
 * Tiled upscaling as a pure layout (after krita-ai-diffusion's tiling): the input is cut into
 * tileSize x tileSize tiles that overlap by at least `overlap` pixels; each tile's upscaled
 * output is weighted by a separable linear ramp across every overlap with a neighbour and
 * the weighted sum is divided by the total weight, so seams blend and, where tiles agree, the
 * result equals the untiled one.
 *
 * Along an axis of length L: one tile if L <= s (the tile is then L long, and the runner pads
 * it to s); otherwise n = ceil((L - o) / (s - o)) tiles at round(i (L - s) / (n - 1)).
 * In an overlap of length v output pixels, the left tile's weight falls 1 - (j + 0.5) / v and the
 * right tile's rises (j + 0.5) / v (j = 0 .. v-1): they sum to 1 and never reach 0.
 */
import { invalidInput, requireInteger, throwIfCancelled, type AbortSignalLike } from './errors.js';
import { checkPlanes, cropPlanes, type Planes, type Rect } from './image.js';

export interface TileLayoutOptions {
  /** input image size */
  width: number;
  height: number;
  /** model input size s */
  tileSize: number;
  /** minimum overlap o between neighbours, input pixels, 0 <= o < s */
  overlap: number;
  /** output / input size of the upscaler (default 4) */
  scale?: number;
}

export interface Tile {
  index: number;
  col: number;
  row: number;
  /** in the input image; smaller than tileSize only where the image is */
  input: Rect;
  /** in the output image: input * scale */
  output: Rect;
  /** ramp weights along x (output.width) and y (output.height); weight = wx[x] * wy[y] */
  weightX: Float32Array;
  weightY: Float32Array;
}

export interface TileLayout {
  width: number;
  height: number;
  tileSize: number;
  overlap: number;
  scale: number;
  outWidth: number;
  outHeight: number;
  columns: number;
  rows: number;
  /** row-major */
  tiles: Tile[];
}

/** Tile starts along one axis. */
export function tileStarts(length: number, tileSize: number, overlap: number): number[] {
  if (length <= tileSize) return [0];
  const n = Math.ceil((length - overlap) / (tileSize - overlap));
  const starts: number[] = [];
  for (let i = 0; i < n; i++) starts.push(Math.round((i * (length - tileSize)) / (n - 1)));
  return starts;
}

/** Weights of the tile at starts[i] along one axis, in output pixels. */
function axisRamp(starts: number[], i: number, size: number, scale: number): Float32Array {
  const w = new Float32Array(size * scale).fill(1);
  const start = starts[i]!;
  if (i > 0) {
    const v = (starts[i - 1]! + size - start) * scale; // overlap with the previous tile
    for (let j = 0; j < v && j < w.length; j++) w[j]! *= (j + 0.5) / v;
  }
  if (i < starts.length - 1) {
    const v = (start + size - starts[i + 1]!) * scale; // overlap with the next tile
    for (let j = 0; j < v && j < w.length; j++) w[w.length - v + j]! *= 1 - (j + 0.5) / v;
  }
  return w;
}

export function tileLayout(options: TileLayoutOptions): TileLayout {
  const width = requireInteger('width', options.width, 1);
  const height = requireInteger('height', options.height, 1);
  const tileSize = requireInteger('tileSize', options.tileSize, 1);
  const overlap = requireInteger('overlap', options.overlap, 0, tileSize - 1);
  const scale = requireInteger('scale', options.scale ?? 4, 1);
  const xs = tileStarts(width, tileSize, overlap);
  const ys = tileStarts(height, tileSize, overlap);
  const tw = Math.min(tileSize, width);
  const th = Math.min(tileSize, height);
  const tiles: Tile[] = [];
  ys.forEach((y, row) => {
    const weightY = axisRamp(ys, row, th, scale);
    xs.forEach((x, col) => {
      tiles.push({
        index: tiles.length,
        col,
        row,
        input: { x, y, width: tw, height: th },
        output: { x: x * scale, y: y * scale, width: tw * scale, height: th * scale },
        weightX: axisRamp(xs, col, tw, scale),
        weightY,
      });
    });
  });
  return {
    width,
    height,
    tileSize,
    overlap,
    scale,
    outWidth: width * scale,
    outHeight: height * scale,
    columns: xs.length,
    rows: ys.length,
    tiles,
  };
}

/** The tile's full weight map [output.height, output.width]. */
export function tileWeights(tile: Tile): Float32Array {
  const { width: w, height: h } = tile.output;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = tile.weightX[x]! * tile.weightY[y]!;
  return out;
}

/** Sums weight * tile over the output image; `result()` divides by the summed weights. */
export class TileAccumulator {
  private readonly sum: Float32Array;
  private readonly weight: Float32Array;

  constructor(
    readonly layout: TileLayout,
    readonly channels: number,
  ) {
    requireInteger('channels', channels, 1);
    this.sum = new Float32Array(channels * layout.outWidth * layout.outHeight);
    this.weight = new Float32Array(layout.outWidth * layout.outHeight);
  }

  /** `data` is the tile's output [channels, output.height, output.width]. */
  add(tile: Tile, data: Float32Array): void {
    const { x: ox, y: oy, width: w, height: h } = tile.output;
    if (data.length !== this.channels * w * h) {
      throw invalidInput(`tile ${tile.index} output`, `${this.channels}x${h}x${w} floats`, data);
    }
    const W = this.layout.outWidth;
    const plane = W * this.layout.outHeight;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const wt = tile.weightX[x]! * tile.weightY[y]!;
        const o = (oy + y) * W + ox + x;
        this.weight[o]! += wt;
        for (let c = 0; c < this.channels; c++) this.sum[c * plane + o]! += wt * data[(c * h + y) * w + x]!;
      }
    }
  }

  result(): Planes {
    const { outWidth: width, outHeight: height } = this.layout;
    const plane = width * height;
    const data = new Float32Array(this.sum.length);
    for (let i = 0; i < plane; i++) {
      const wt = this.weight[i]!;
      if (!(wt > 0)) throw invalidInput('tiles', 'every output pixel covered by a tile', `pixel ${i} uncovered`);
      for (let c = 0; c < this.channels; c++) data[c * plane + i] = this.sum[c * plane + i]! / wt;
    }
    return { width, height, channels: this.channels, data };
  }
}

/** Replicates the last row/column so a tile smaller than the model input becomes size x size. */
export function padToSize(p: Planes, size: number): Planes {
  if (p.width === size && p.height === size) return p;
  const out = new Float32Array(p.channels * size * size);
  for (let c = 0; c < p.channels; c++) {
    for (let y = 0; y < size; y++) {
      const sy = Math.min(y, p.height - 1);
      for (let x = 0; x < size; x++) out[(c * size + y) * size + x] = p.data[(c * p.height + sy) * p.width + Math.min(x, p.width - 1)]!;
    }
  }
  return { width: size, height: size, channels: p.channels, data: out };
}

export interface TiledRunOptions {
  signal?: AbortSignalLike;
  onTile?: (done: number, total: number) => void;
}

/**
 * Upscales `src` tile by tile with `upscaleTile` (tileSize x tileSize in, tileSize*scale square
 * out) and blends the tiles. Tiles are run one at a time, in layout order.
 */
export async function upscaleTiled(
  src: Planes,
  layout: TileLayout,
  upscaleTile: (tile: Planes, info: Tile) => Planes | Promise<Planes>,
  options: TiledRunOptions = {},
): Promise<Planes> {
  checkPlanes('image', src);
  if (src.width !== layout.width || src.height !== layout.height) {
    throw invalidInput('image', `${layout.width}x${layout.height} as laid out`, `${src.width}x${src.height}`);
  }
  const acc = new TileAccumulator(layout, src.channels);
  const outSize = layout.tileSize * layout.scale;
  for (const tile of layout.tiles) {
    throwIfCancelled(options.signal);
    const up = await upscaleTile(padToSize(cropPlanes(src, tile.input), layout.tileSize), tile);
    checkPlanes(`upscaled tile ${tile.index}`, up, src.channels);
    if (up.width !== outSize || up.height !== outSize) {
      throw invalidInput(`upscaled tile ${tile.index}`, `${outSize}x${outSize}`, `${up.width}x${up.height}`);
    }
    const { width: w, height: h } = tile.output;
    const used = w === outSize && h === outSize ? up : cropPlanes(up, { x: 0, y: 0, width: w, height: h });
    acc.add(tile, used.data);
    options.onTile?.(tile.index + 1, layout.tiles.length);
  }
  return acc.result();
}
