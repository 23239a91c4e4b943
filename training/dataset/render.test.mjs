import { test } from 'node:test';
import assert from 'node:assert/strict';
import { areaDownsample, compositeOnColour, renderSvg } from './render.mjs';
import { iconifySvg } from './sources.mjs';

test('areaDownsample 4x4 -> 2x2 (single channel) matches hand-computed means', () => {
  const src = Uint8Array.from([
    0, 10, 100, 100,
    20, 30, 100, 101,
    255, 255, 1, 2,
    255, 254, 3, 4,
  ]);
  // blocks: (0+10+20+30)/4 = 15; (100+100+100+101)/4 = 100.25 -> 100;
  //         (255+255+255+254)/4 = 254.75 -> 255; (1+2+3+4)/4 = 2.5 -> 3 (half rounds up)
  assert.deepEqual([...areaDownsample(src, 4, 4, 1, 2)], [15, 100, 255, 3]);
});

test('areaDownsample 4x4 RGB -> 2x2 keeps channels apart', () => {
  const px = (r, g, b) => [r, g, b];
  const src = Uint8Array.from([
    ...px(255, 0, 0), ...px(255, 0, 0), ...px(0, 0, 0), ...px(0, 0, 255),
    ...px(255, 0, 0), ...px(255, 0, 0), ...px(0, 0, 255), ...px(0, 0, 0),
    ...px(0, 255, 0), ...px(0, 0, 0), ...px(9, 9, 9), ...px(9, 9, 9),
    ...px(0, 0, 0), ...px(0, 0, 0), ...px(9, 9, 9), ...px(10, 10, 10),
  ]);
  assert.deepEqual([...areaDownsample(src, 4, 4, 3, 2)], [
    255, 0, 0, 0, 0, 128, // (0+255+255+0)/4 = 127.5 -> 128
    0, 64, 0, 9, 9, 9, // 255/4 = 63.75 -> 64; 37/4 = 9.25 -> 9
  ]);
});

test('areaDownsample factor 1 copies and rejects bad factors', () => {
  const src = Uint8Array.from([1, 2, 3, 4]);
  assert.deepEqual([...areaDownsample(src, 2, 2, 1, 1)], [1, 2, 3, 4]);
  assert.throws(() => areaDownsample(src, 2, 2, 1, 3));
});

test('compositeOnColour: straight and premultiplied alpha', () => {
  const straight = { data: Uint8Array.from([255, 0, 0, 128, 10, 20, 30, 255, 0, 0, 0, 0]), premultiplied: false };
  assert.deepEqual([...compositeOnColour(straight, [0, 0, 255])], [128, 0, 127, 10, 20, 30, 0, 0, 255]);
  const premul = { data: Uint8Array.from([128, 0, 0, 128]), premultiplied: true };
  assert.deepEqual([...compositeOnColour(premul, [0, 0, 255])], [128, 0, 127]);
});

test('renderSvg gives 256x256 RGBA, declares xlink, centres portrait art', () => {
  const svg = iconifySvg({ body: '<defs><rect id="r" width="32" height="32" fill="#f00"/></defs><use xlink:href="#r"/>' }, { width: 32, height: 32 });
  const { data, premultiplied } = renderSvg(svg);
  assert.equal(premultiplied, true);
  assert.equal(data.length, 256 * 256 * 4);
  assert.deepEqual([...data.subarray(0, 4)], [255, 0, 0, 255]);
  const tall = iconifySvg({ body: '<rect width="32" height="64" fill="#00f"/>', width: 32, height: 64 }, {});
  const t = renderSvg(tall).data;
  assert.equal(t.length, 256 * 256 * 4);
  assert.equal(t[3], 0); // top-left corner is transparent padding
  assert.deepEqual([...t.subarray((128 * 256 + 128) * 4, (128 * 256 + 128) * 4 + 4)], [0, 0, 255, 255]);
});

test('renderSvg: content outside the canvas is cropped exactly as a plain render', async () => {
  const { Resvg } = await import('@resvg/resvg-js');
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    + '<circle cx="16" cy="16" r="10" fill="#0a0"/><rect x="-20" y="20" width="30" height="30" fill="#00f"/></svg>';
  const direct = new Resvg(svg, { fitTo: { mode: 'width', value: 256 }, font: { loadSystemFonts: false } }).render().pixels;
  const { data } = renderSvg(svg);
  let maxDiff = 0;
  for (let i = 0; i < data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(data[i] - direct[i]));
  assert.ok(maxDiff <= 2, `max channel difference ${maxDiff}`);
});

test('renderSvg survives a semi-transparent element entirely outside the canvas', () => {
  // resvg-js 2.6.2 aborts the process on this when rendered directly (Noto "package" has one).
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 128 128">'
    + '<path fill="#f00" d="M10 10h100v100H10z"/><path fill="#000" opacity=".2" d="M-153-651h67v88h-67z"/></svg>';
  const { data } = renderSvg(svg);
  const mid = (128 * 256 + 128) * 4;
  assert.deepEqual([...data.subarray(mid, mid + 4)], [255, 0, 0, 255]);
});
