// Page helpers for the editor end-to-end tests: driving the real UI, and reading the
/* global window, document, MutationObserver -- functions passed to page.evaluate run in the page */
// editor's state through the page's debug handle (window.__diffusionLayers).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PNG } from 'pngjs';

export const ARTIFACTS = path.resolve('test-artifacts/e2e');

export function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

/** A PNG of `w` x `h` with a smooth colour pattern (every pixel distinct enough to compare). */
export function patternPng(w, h) {
  const png = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      png.data[i] = Math.round((x / w) * 255);
      png.data[i + 1] = Math.round((y / h) * 255);
      png.data[i + 2] = (x * 7 + y * 3) % 256;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

export async function screenshot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Opens the editor and waits until the model is loaded (the status names the backend). */
export async function openEditor(context, url, log) {
  const page = await context.newPage();
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && !/onnxruntime|VerifyEachNodeIsAssignedToAnEp/.test(m.text()) && log(`console: ${m.text()}`));
  await page.goto(url);
  await page.locator('[data-role=status-backend]').waitFor({ timeout: 120_000 });
  return page;
}

export async function newDocument(page, w, h) {
  await page.fill('[data-field=new-width]', String(w));
  await page.fill('[data-field=new-height]', String(h));
  await page.click('[data-action=new]');
  await activeDocument(page, w, h);
}

/** Waits until the active document is w x h. */
async function activeDocument(page, w, h) {
  await page.waitForFunction(([w, h]) => {
    const d = window.__diffusionLayers.editor.active;
    return d && d.width === w && d.height === h;
  }, [w, h]);
}

export async function openImage(page, name, buffer, input = 'open') {
  await page.setInputFiles(`[data-input=${input}]`, { name, mimeType: 'image/png', buffer });
}

/** Opens a w x h test pattern as a new document and waits until it is the active one. */
export async function openPattern(page, name, w, h) {
  await openImage(page, name, patternPng(w, h));
  await activeDocument(page, w, h);
}

export async function setMode(page, mode) {
  await page.click(`[data-mode=${mode}]`);
}

/** Sets an Advanced field (opens the section when closed). */
export async function setAdvanced(page, field, value) {
  const open = await page.$eval('details:has([data-field=randomSeed])', (d) => d.open);
  if (!open) await page.click('details:has([data-field=randomSeed]) > summary');
  await page.fill(`[data-field=${field}]`, String(value));
  await page.locator(`[data-field=${field}]`).blur();
}

/** Records every value the progress bar shows from now on (a run may be quick). */
export async function recordProgress(page) {
  await page.evaluate(() => {
    window.__progressSeen = [];
    const obs = new MutationObserver(() => {
      const el = document.querySelector('[role=progressbar]');
      if (el) window.__progressSeen.push(Number(el.getAttribute('aria-valuenow')));
    });
    obs.observe(document.body, { subtree: true, childList: true, attributes: true });
  });
}

export const progressSeen = (page) => page.evaluate(() => window.__progressSeen ?? []);

/** Waits for the panel to leave the running phase; returns the phase it ended in. */
export async function waitFinished(page, timeout = 180_000) {
  await page.waitForFunction(() => {
    const p = document.querySelector('[data-phase]')?.getAttribute('data-phase');
    return p && p !== 'running' && p !== 'idle';
  }, undefined, { timeout });
  return page.$eval('[data-phase]', (el) => el.getAttribute('data-phase'));
}

export async function panelText(page) {
  return page.$eval('[data-phase]', (el) => el.innerText);
}

/** Layers of the active document, bottom first, with a summary of their pixels. */
export function layers(page) {
  return page.evaluate(() => {
    const d = window.__diffusionLayers.editor.active;
    return (d?.layers ?? []).map((l) => {
      let opaque = 0;
      const colours = new Set();
      for (let i = 0; i < l.rgba.length; i += 4) {
        if (l.rgba[i + 3] > 0) opaque++;
        if (colours.size < 64) colours.add((l.rgba[i] << 16) | (l.rgba[i + 1] << 8) | l.rgba[i + 2]);
      }
      return { name: l.name, rect: l.rect, visible: l.visible, masked: !!l.mask, opaque, colours: colours.size };
    });
  });
}

export async function composite(page) {
  return page.evaluate(async () => Array.from((await window.__diffusionLayers.host.readPixels('composite')).rgba));
}

/** Drags a selection tool from one document point to another. */
export async function dragSelect(page, tool, from, to) {
  await page.click(`[data-tool=${tool}]`);
  const box = await page.locator('[data-role=selection-canvas]').boundingBox();
  const size = await page.evaluate(() => {
    const d = window.__diffusionLayers.editor.active;
    return { w: d.width, h: d.height };
  });
  const at = (p) => [box.x + (p.x / size.w) * box.width, box.y + (p.y / size.h) * box.height];
  await page.mouse.move(...at(from));
  await page.mouse.down();
  await page.mouse.move(...at({ x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 }), { steps: 3 });
  await page.mouse.move(...at(to), { steps: 3 });
  await page.mouse.up();
}

export function selectionMask(page) {
  return page.evaluate(() => {
    const d = window.__diffusionLayers.editor.active;
    return d.selection ? Array.from(d.selection) : null;
  });
}
