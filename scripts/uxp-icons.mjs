// The plugin's icons, drawn in code (no binary files in the repository): three stacked layer
// outlines, the top one filled with a grain of noise. One glyph per UI brightness, each at
// 1x (23 px, the size UXP panel icons use) and 2x (the `@2x` file UXP looks for).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PNG } from 'pngjs';

const SIZE = 23;
const SUPER = 4; // supersampling per axis, for anti-aliased edges

/** Coverage of the glyph at (x, y) in a 0..1 square: 0 outside, 1 ink. */
function ink(x, y) {
  let v = 0;
  // three layers: rhombi stacked downwards, drawn as outlines; the top one filled with grain
  for (const [i, cy] of [0.3, 0.5, 0.7].entries()) {
    const d = Math.abs(x - 0.5) / 0.42 + Math.abs(y - cy) / 0.2;
    const outline = Math.abs(d - 1) < 0.09;
    const grain = i === 0 && d < 0.8 && hash(Math.floor(x * 23), Math.floor(y * 23)) > 0.5;
    if (outline || grain) v = 1;
    if (d < 1.09 && i === 0) break; // the top layer hides the ones below it
  }
  return v;
}

function hash(a, b) {
  let h = (a * 374761393 + b * 668265263) | 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

function render(px, rgb) {
  const png = new PNG({ width: px, height: px });
  for (let y = 0; y < px; y++) {
    for (let x = 0; x < px; x++) {
      let cover = 0;
      for (let sy = 0; sy < SUPER; sy++) {
        for (let sx = 0; sx < SUPER; sx++) cover += ink((x + (sx + 0.5) / SUPER) / px, (y + (sy + 0.5) / SUPER) / px);
      }
      const i = (y * px + x) * 4;
      png.data[i] = rgb[0];
      png.data[i + 1] = rgb[1];
      png.data[i + 2] = rgb[2];
      png.data[i + 3] = Math.round((255 * cover) / (SUPER * SUPER));
    }
  }
  return PNG.sync.write(png);
}

/** Light ink for dark UI themes, dark ink for light ones. */
export const ICON_THEMES = {
  dark: { rgb: [220, 220, 220], themes: ['darkest', 'dark', 'medium'] },
  light: { rgb: [50, 50, 50], themes: ['lightest', 'light'] },
};

/** Writes icons/<theme>.png and icons/<theme>@2x.png under `dir`; returns the paths written. */
export async function writeIcons(dir) {
  const out = path.join(dir, 'icons');
  await mkdir(out, { recursive: true });
  const written = [];
  for (const [name, { rgb }] of Object.entries(ICON_THEMES)) {
    for (const [suffix, scale] of [['', 1], ['@2x', 2]]) {
      const file = path.join(out, `${name}${suffix}.png`);
      await writeFile(file, render(SIZE * scale, rgb));
      written.push(file);
    }
  }
  return written;
}
