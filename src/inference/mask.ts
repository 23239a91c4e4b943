/**
 * Selections: the crop a model sees around a selection, and the feathered mask that pastes
 * the result back.
 */
import { invalidInput, requireInteger, requireNumber } from './errors.js';
import { checkPlanes, type Planes, type Rect } from './image.js';

export interface SelectionCropOptions {
  /** context added on each side, as a fraction of the selection's longer side (default 0.25) */
  margin?: number;
  /** return a square (default true) */
  square?: boolean;
  /** smallest side of the crop in pixels, e.g. the model resolution (default 1) */
  minSize?: number;
}

/**
 * The rectangle to crop for a selection: the selection's bounds grown by the margin and to
 * `minSize`, made square around the selection's centre, limited to the image and moved to lie
 * inside it; it always contains the whole selection. Where no square inside the image can hold
 * the selection (a long strip in a narrow image), the result is not square: check
 * width === height.
 */
export function selectionCrop(
  bounds: Rect,
  imageSize: { width: number; height: number },
  options: SelectionCropOptions = {},
): Rect {
  const W = requireInteger('imageSize.width', imageSize.width, 1);
  const H = requireInteger('imageSize.height', imageSize.height, 1);
  const margin = requireNumber('margin', options.margin ?? 0.25, 0);
  const minSize = requireInteger('minSize', options.minSize ?? 1, 1);
  const square = options.square ?? true;
  const { x, y, width: w, height: h } = bounds;
  const inside =
    [x, y, w, h].every(Number.isInteger) && w > 0 && h > 0 && x >= 0 && y >= 0 && x + w <= W && y + h <= H;
  if (!inside) throw invalidInput('selection bounds', `a non-empty integer rectangle inside ${W}x${H}`, JSON.stringify(bounds));

  const pad = Math.round(margin * Math.max(w, h));
  let cw = Math.max(w + 2 * pad, minSize);
  let ch = Math.max(h + 2 * pad, minSize);
  if (square) {
    // Largest square the image holds; if even that cannot hold the selection, give up squareness.
    const side = Math.max(cw, ch);
    const fits = Math.min(W, H) >= Math.max(w, h);
    cw = ch = fits ? Math.min(side, W, H) : side;
  }
  cw = Math.min(cw, W);
  ch = Math.min(ch, H);
  return { x: place(x, w, cw, W), y: place(y, h, ch, H), width: cw, height: ch };
}

/** Start of a span of length `size` centred on [start, start+len), shifted inside [0, total). */
function place(start: number, len: number, size: number, total: number): number {
  const centred = Math.floor(start - (size - len) / 2);
  return Math.min(Math.max(centred, 0), total - size);
}

/** Bounding box of the pixels with mask > threshold, or null when there are none. */
export function maskBounds(mask: Planes, threshold = 0): Rect | null {
  checkPlanes('mask', mask, 1);
  let x0 = mask.width;
  let y0 = mask.height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      if (mask.data[y * mask.width + x]! > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** Mean over the window [i-r, i+r] of each line of `n` values (stride apart), edges replicated. */
function boxLine(src: Float32Array, dst: Float32Array, offset: number, stride: number, n: number, r: number, prefix: Float64Array): void {
  prefix[0] = 0;
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + src[offset + i * stride]!;
  const first = src[offset]!;
  const last = src[offset + (n - 1) * stride]!;
  for (let i = 0; i < n; i++) {
    const lo = i - r;
    const hi = i + r;
    let sum = prefix[Math.min(hi, n - 1) + 1]! - prefix[Math.max(lo, 0)]!;
    if (lo < 0) sum += -lo * first;
    if (hi > n - 1) sum += (hi - (n - 1)) * last;
    dst[offset + i * stride] = sum / (2 * r + 1);
  }
}

/** Separable box blur of a [1, H, W] plane with window 2r+1, edges replicated. */
export function boxBlur(mask: Planes, radius: number): Planes {
  checkPlanes('mask', mask, 1);
  const r = requireInteger('radius', radius, 0);
  const { width: W, height: H } = mask;
  const tmp = new Float32Array(W * H);
  const out = new Float32Array(W * H);
  const prefix = new Float64Array(Math.max(W, H) + 1);
  for (let y = 0; y < H; y++) boxLine(mask.data, tmp, y * W, 1, W, r, prefix);
  for (let x = 0; x < W; x++) boxLine(tmp, out, x, W, H, r, prefix);
  return { width: W, height: H, channels: 1, data: out };
}

export interface FeatherOptions {
  /**
   * 'inside' (default): the soft edge lies within the selection, so pixels outside it get
   * weight 0 and stay untouched: out = min(m, clamp(2 box(m) - 1, 0, 1)); along a straight edge
   * of a 0/1 mask this rises linearly, (2d + 1) / (2r + 1) at d pixels inside, to 1 at d = r.
   * 'centered': the blurred mask itself, soft on both sides of the edge.
   */
  mode?: 'inside' | 'centered';
}

/** Feathered paste-back weights in [0, 1] from a [1, H, W] mask; radius in pixels (0: the mask). */
export function featherMask(mask: Planes, radius: number, options: FeatherOptions = {}): Planes {
  const mode = options.mode ?? 'inside';
  if (mode !== 'inside' && mode !== 'centered') throw invalidInput('feather mode', '"inside" or "centered"', mode);
  if (requireInteger('radius', radius, 0) === 0) {
    return { ...mask, data: mask.data.map((v) => Math.min(Math.max(v, 0), 1)) };
  }
  const blurred = boxBlur(mask, radius);
  const out = blurred.data;
  for (let i = 0; i < out.length; i++) {
    const m = Math.min(Math.max(mask.data[i]!, 0), 1);
    const b = Math.min(Math.max(out[i]!, 0), 1);
    out[i] = mode === 'centered' ? b : Math.min(m, Math.min(Math.max(2 * b - 1, 0), 1));
  }
  return blurred;
}
