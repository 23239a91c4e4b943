// Rasterise sources to 256x256 RGBA, composite on a plain colour, area-downsample.
import { readFile } from 'node:fs/promises';
import { Resvg } from '@resvg/resvg-js';
import sharp from 'sharp';

export const BASE_SIZE = 256;

const RESVG_BASE = Object.freeze({ font: { loadSystemFonts: false }, background: 'rgba(0,0,0,0)' });
const MAX_EXPANDED_SIDE = 4096;

/**
 * Render an SVG document to size x size RGBA with resvg, fit-to-width `size`
 * (fit-to-height instead for portrait art); a non-square result is centred on
 * a transparent square canvas. resvg returns premultiplied RGBA.
 *
 * resvg-js 2.6.2 aborts the whole process (a Rust panic, not a JS error) when
 * a semi-transparent element lies entirely outside the canvas, which a few
 * Noto icons have. When any content lies outside the canvas, the SVG is
 * rendered on a canvas enlarged to hold all of it and the original canvas is
 * cropped back out, which gives the same pixels.
 */
export function renderSvg(svg, size = BASE_SIZE) {
  const probe = new Resvg(svg, RESVG_BASE);
  const W = probe.width;
  const H = probe.height;
  const bbox = probe.getBBox();
  const scale = size / Math.max(W, H);
  const eps = 0.01;
  const inside = !bbox || (bbox.x >= -eps && bbox.y >= -eps && bbox.x + bbox.width <= W + eps && bbox.y + bbox.height <= H + eps);
  let width; let height; let pixels; let cropX = 0; let cropY = 0; let stride;
  if (inside) {
    const fitTo = W >= H ? { mode: 'width', value: size } : { mode: 'height', value: size };
    const img = new Resvg(svg, { ...RESVG_BASE, fitTo }).render();
    ({ width, height } = img);
    pixels = img.pixels;
    stride = width;
  } else {
    // Enlarge the canvas (in whole output pixels) to hold the content bounding box.
    const left = Math.ceil(Math.max(0, -bbox.x) * scale);
    const top = Math.ceil(Math.max(0, -bbox.y) * scale);
    const right = Math.ceil(Math.max(0, bbox.x + bbox.width - W) * scale);
    const bottom = Math.ceil(Math.max(0, bbox.y + bbox.height - H) * scale);
    const fullW = Math.round(W * scale) + left + right;
    const fullH = Math.round(H * scale) + top + bottom;
    if (fullW > MAX_EXPANDED_SIDE || fullH > MAX_EXPANDED_SIDE) throw new Error(`SVG content spreads too far outside its canvas (${fullW}x${fullH} px)`);
    const expanded = expandCanvas(svg, W, H, left / scale, top / scale, fullW / scale, fullH / scale);
    const img = new Resvg(expanded, { ...RESVG_BASE, fitTo: { mode: 'width', value: fullW } }).render();
    pixels = img.pixels;
    stride = img.width;
    width = Math.min(Math.round(W * scale), img.width - left);
    height = Math.min(Math.round(H * scale), img.height - top);
    cropX = left;
    cropY = top;
  }
  if (width === size && height === size && stride === size) {
    return { data: new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.length), premultiplied: true };
  }
  const out = new Uint8Array(size * size * 4);
  const ox = Math.floor((size - width) / 2);
  const oy = Math.floor((size - height) / 2);
  for (let y = 0; y < height; y++) {
    const ty = y + oy;
    if (ty < 0 || ty >= size) continue;
    for (let x = 0; x < width; x++) {
      const tx = x + ox;
      if (tx < 0 || tx >= size) continue;
      const s = ((y + cropY) * stride + x + cropX) * 4;
      const d = (ty * size + tx) * 4;
      out[d] = pixels[s]; out[d + 1] = pixels[s + 1]; out[d + 2] = pixels[s + 2]; out[d + 3] = pixels[s + 3];
    }
  }
  return { data: out, premultiplied: true };
}

/**
 * Rewrite the root <svg> so its canvas starts `left`,`top` canvas units before
 * the original one and measures fullW x fullH canvas units (the original
 * canvas is W x H units with its viewBox, if any, mapped onto it).
 */
export function expandCanvas(svg, W, H, left, top, fullW, fullH) {
  const m = /<svg\b[^>]*>/.exec(svg);
  if (!m) throw new Error('no <svg> root element');
  const tag = m[0];
  const vbMatch = /\sviewBox\s*=\s*["']([^"']*)["']/.exec(tag);
  const [vx, vy, vw, vh] = vbMatch ? vbMatch[1].trim().split(/[\s,]+/).map(Number) : [0, 0, W, H];
  const kx = vw / W;
  const ky = vh / H;
  const viewBox = [vx - left * kx, vy - top * ky, fullW * kx, fullH * ky].map((v) => +v.toFixed(6)).join(' ');
  const stripped = tag.replace(/\s(?:width|height|viewBox)\s*=\s*(?:"[^"]*"|'[^']*')/g, '');
  const closing = stripped.endsWith('/>') ? '/>' : '>';
  const head = stripped.slice(0, stripped.length - closing.length);
  const newTag = `${head} width="${+fullW.toFixed(6)}" height="${+fullH.toFixed(6)}" viewBox="${viewBox}"${closing}`;
  return svg.slice(0, m.index) + newTag + svg.slice(m.index + tag.length);
}

/** Decode a raster file (WebP) to size x size RGBA (straight alpha), resized with sharp. */
export async function renderRaster(file, size = BASE_SIZE) {
  const input = await readFile(file);
  const { data, info } = await sharp(input)
    .ensureAlpha()
    .resize(size, size, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== size || info.height !== size || info.channels !== 4) {
    throw new Error(`unexpected decode ${info.width}x${info.height}x${info.channels} for ${file}`);
  }
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), premultiplied: false };
}

/** Load any source item to 256x256 RGBA. */
export async function renderItem(load, size = BASE_SIZE) {
  switch (load.type) {
    case 'svg': return renderSvg(load.svg, size);
    case 'svgfile': return renderSvg(await readFile(load.path, 'utf8'), size);
    case 'webp': return renderRaster(load.path, size);
    default: throw new Error(`unknown load type ${load.type}`);
  }
}

/** Alpha-composite RGBA onto an opaque colour: returns RGB (w*h*3). */
export function compositeOnColour({ data, premultiplied }, [r, g, b]) {
  const n = data.length / 4;
  const out = new Uint8Array(n * 3);
  for (let i = 0, s = 0, d = 0; i < n; i++, s += 4, d += 3) {
    const a = data[s + 3];
    if (a === 255) { out[d] = data[s]; out[d + 1] = data[s + 1]; out[d + 2] = data[s + 2]; continue; }
    const ia = 255 - a;
    if (premultiplied) {
      out[d] = Math.min(255, data[s] + Math.round((ia * r) / 255));
      out[d + 1] = Math.min(255, data[s + 1] + Math.round((ia * g) / 255));
      out[d + 2] = Math.min(255, data[s + 2] + Math.round((ia * b) / 255));
    } else {
      out[d] = Math.round((data[s] * a + r * ia) / 255);
      out[d + 1] = Math.round((data[s + 1] * a + g * ia) / 255);
      out[d + 2] = Math.round((data[s + 2] * a + b * ia) / 255);
    }
  }
  return out;
}

/**
 * Area-average (box filter) downsample of an interleaved image by an integer
 * factor: each output pixel is the rounded mean of a factor x factor block.
 */
export function areaDownsample(src, width, height, channels, factor) {
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`bad factor ${factor}`);
  if (width % factor || height % factor) throw new Error(`${width}x${height} not divisible by ${factor}`);
  if (factor === 1) return Uint8Array.from(src);
  const ow = width / factor;
  const oh = height / factor;
  const area = factor * factor;
  const half = area >>> 1;
  const out = new Uint8Array(ow * oh * channels);
  const acc = new Uint32Array(ow * channels);
  for (let oy = 0; oy < oh; oy++) {
    acc.fill(0);
    for (let dy = 0; dy < factor; dy++) {
      let s = ((oy * factor + dy) * width) * channels;
      for (let ox = 0; ox < ow; ox++) {
        const a = ox * channels;
        for (let dx = 0; dx < factor; dx++) {
          for (let c = 0; c < channels; c++) acc[a + c] += src[s++];
        }
      }
    }
    const o = oy * ow * channels;
    for (let i = 0; i < ow * channels; i++) out[o + i] = Math.floor((acc[i] + half) / area);
  }
  return out;
}
