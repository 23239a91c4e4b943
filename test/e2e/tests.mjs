// The end-to-end scenarios: the real page, panel, worker and onnxruntime-web in Chromium.
/* global window, document, navigator, DataTransfer, File, ClipboardEvent, DragEvent -- functions passed to page.evaluate run in the page */
import { Buffer as NodeBuffer } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import { clearInterval, setInterval } from 'node:timers';
import metaPng from 'meta-png';
import { PNG } from 'pngjs';
import {
  assert, composite, dragSelect, layers, newDocument, openEditor, openImage, openPattern, panelText, patternPng,
  progressSeen, recordProgress, screenshot, selectionMask, setAdvanced, setMode, waitFinished,
} from './helpers.mjs';

/** Generates with the current settings through the keyboard (Enter in the prompt). */
/** A tab set for a quick run: 4 base steps, 1 upsampler step, one variation. */
async function quickRun(page, mode) {
  await setMode(page, mode);
  await setAdvanced(page, 'steps', 4);
  await setAdvanced(page, 'upsamplerSteps', 1);
  await page.selectOption('[data-field=count]', '1');
}

const wasm = (url) => `${url}${url.includes('?') ? '&' : '?'}backend=wasm`;

/** Clicks Run and notes each progress stage's name as it shows, until the run ends. */
async function runWatchingStages(page) {
  const stages = [];
  const watch = setInterval(async () => {
    const label = await page.locator('[data-role=progress-label]').innerText().catch(() => '');
    if (label && !stages.includes(label.split(':')[0])) stages.push(label.split(':')[0]);
  }, 50);
  await page.click('[data-action=run]');
  const phase = await waitFinished(page);
  clearInterval(watch);
  return { phase, stages };
}

async function generateWithEnter(page, prompt) {
  await page.fill('#dl-prompt', prompt);
  await page.focus('#dl-prompt');
  await page.keyboard.press('Enter');
}

export const tests = [
  {
    name: 'generate: a new layer with pixels; progress moved; status names the backend (WebGPU)',
    async run({ context, url, log, outputSize, packInfo }) {
      const page = await openEditor(context, url, log);
      await screenshot(page, '01-empty-editor');
      // the model details carry the pack's licence and the credits its data requires
      await page.click('summary:has-text("Model:")');
      const about = await page.locator('[data-role=model-about]').innerText();
      assert(about.includes(`Model licence: ${packInfo.license}`), `the model details name the licence: "${about}"`);
      for (const a of packInfo.attribution ?? []) assert(about.includes(a.source) && about.includes(a.license), `credit for ${a.source}`);
      await screenshot(page, '01b-model-details');
      await page.click('summary:has-text("Model:")');
      const status = await page.locator('[data-role=status-backend]').innerText();
      log(`status: ${status}`);
      assert(/WebGPU/.test(status), `the default backend should be WebGPU (SwiftShader) here; the status says "${status}"`);
      await newDocument(page, 160, 120);
      await setMode(page, 'generate');
      // SwiftShader is slow: few steps (the maths is the same)
      await setAdvanced(page, 'steps', 2);
      await setAdvanced(page, 'upsamplerSteps', 1);
      // Candidates is offered only where the pack has a reranker to choose among them
      const candidateFields = await page.locator('[data-field=candidates]').count();
      assert(candidateFields === (packInfo.reranker ? 1 : 0), `Candidates field shown ${candidateFields} times; the pack ${packInfo.reranker ? 'has' : 'lacks'} a reranker`);
      if (packInfo.reranker) await setAdvanced(page, 'candidates', 1);
      await page.selectOption('[data-field=count]', '2');
      // the prompt is checked against the loaded pack's vocabulary while it is typed
      await page.fill('#dl-prompt', 'a red heart on a spaceship');
      const check = page.locator('[data-check=prompt]');
      await check.locator('[data-unknown]').waitFor({ timeout: 10_000 });
      const unknown = (await check.locator('[data-unknown]').getAttribute('data-unknown')).split(' ');
      log(`prompt check: ${await check.innerText()}`);
      assert(unknown.includes('spaceship') && !unknown.includes('heart') && !unknown.includes('red'), `"spaceship" is not learnt, "red heart" is: ${unknown}`);
      assert(/\b\d+ \/ \d+ tokens/.test(await check.innerText()), 'the token count is shown');
      await screenshot(page, '02-prompt-check');
      // the subjects the pack was trained on are offered as the prompt is typed; a click takes one
      // (the test pack names "pizza" and "slice of pizza", the default pack "pizza": take the pack's
      // longest, which no other subject extends, so that no suggestion is left once it is taken)
      const subject = (packInfo.subjects ?? []).filter((s) => s.includes('pizza')).sort((x, y) => y.length - x.length)[0];
      assert(subject, 'the pack lists a pizza among its subjects');
      await page.fill('#dl-prompt', `a ${subject.slice(0, 3)}`);
      await page.locator(`[data-subject="${subject}"]`).waitFor({ timeout: 10_000 });
      await screenshot(page, '02-prompt-suggestions');
      await page.click(`[data-subject="${subject}"]`);
      assert((await page.inputValue('#dl-prompt')) === `a ${subject}`, `the article stays: ${await page.inputValue('#dl-prompt')}`);
      assert(await page.evaluate(() => window.document.activeElement?.id === 'dl-prompt'), 'the prompt keeps the focus, so Enter runs it');
      await page.waitForFunction(() => !window.document.querySelector('[data-suggestions]'));
      // brackets weight words: the check names them and takes the words without the syntax
      await page.fill('#dl-prompt', 'a (red:1.4) [heart]');
      await check.locator('[data-weighted]').waitFor({ timeout: 10_000 });
      const weighted = await check.locator('[data-weighted]').getAttribute('data-weighted');
      assert(weighted === 'red:1.4 heart:0.91', `the weighted words: ${weighted}`);
      assert((await check.locator('[data-unknown]').count()) === 0, `no bracket or number is an unknown word: ${await check.innerText()}`);
      await page.fill('#dl-prompt', 'a (red:9) heart');
      await check.locator('[data-weight-problem]').waitFor({ timeout: 10_000 });
      assert(/outside 0 to 3/.test(await check.innerText()), `a weight out of range is named: ${await check.innerText()}`);
      await screenshot(page, '02-prompt-weight-problem');
      // the syntax is explained where it is typed
      await page.click('[data-role=prompt-syntax] summary');
      assert(/\(word:1\.3\)/.test(await page.innerText('[data-role=prompt-syntax]')), 'the prompt syntax is listed');
      await screenshot(page, '02-prompt-syntax');
      await page.click('[data-role=prompt-syntax] summary');
      await page.fill('#dl-prompt', 'a red heart');
      await page.waitForFunction(() => !window.document.querySelector('[data-check=prompt] [data-unknown]'));
      await recordProgress(page);
      await generateWithEnter(page, 'a red heart');
      assert((await waitFinished(page)) === 'done', `the run should finish: ${await panelText(page)}`);
      // the prompt that ran is in the history: Up recalls it, Down returns to the draft
      await page.fill('#dl-prompt', 'a draft');
      await page.keyboard.press('ArrowUp');
      assert((await page.inputValue('#dl-prompt')) === 'a red heart', `Up recalls the last prompt: ${await page.inputValue('#dl-prompt')}`);
      await page.keyboard.press('ArrowDown');
      assert((await page.inputValue('#dl-prompt')) === 'a draft', `Down returns to the draft: ${await page.inputValue('#dl-prompt')}`);
      const seen = await progressSeen(page);
      assert(seen.some((v) => v > 0 && v < 100) && seen.some((v) => v >= 50), `the progress bar should move (saw ${JSON.stringify(seen.slice(0, 20))})`);
      assert((await page.locator('[data-variation]').count()) === 2, 'two variations');
      await page.click('[data-variation="1"]');
      await screenshot(page, '03-generate-variations');
      await page.click('[data-action=add-layer]');
      await page.waitForFunction(() => window.__diffusionLayers.editor.active.layers.length === 2);
      const ls = await layers(page);
      const added = ls[1];
      log(`added layer ${added.name} ${JSON.stringify(added.rect)} opaque=${added.opaque} colours=${added.colours}`);
      // square output, scaled down (never up) to fit the 160x120 document, centred
      const side = Math.min(outputSize, 120);
      assert(added.rect.width === side && added.rect.height === side, `a ${outputSize} px image is placed at ${side}x${side}`);
      assert(added.rect.left === Math.floor((160 - side) / 2) && added.rect.top === Math.floor((120 - side) / 2), 'centred in the 160x120 document');
      assert(added.opaque === side * side && added.colours > 10, 'the layer has non-empty, varied pixels');
      await screenshot(page, '04-generate-added');
      // one undo step per layer
      await page.click('[data-action=undo]');
      assert((await layers(page)).length === 1, 'undo removes the layer');
      await page.click('[data-action=redo]');
      assert((await layers(page)).length === 2, 'redo brings it back');
      // More like this: new variations that start from the chosen one; nothing is added by itself
      await page.click('[data-action=similar]');
      assert((await waitFinished(page)) === 'done', `More like this should finish: ${await panelText(page)}`);
      assert((await page.locator('[data-variation]').count()) === 2, 'two new variations');
      assert((await layers(page)).length === 2, 'More like this adds no layer by itself');
      // it reruns the variation's own prompt, not the draft typed into the field since
      assert(!(await panelText(page)).includes('"draft"'), `More like this ran the typed draft: ${await panelText(page)}`);
      await screenshot(page, '03b-more-like-this');
      await page.close();
    },
  },
  {
    name: 'fill (wasm): pixels outside the selection unchanged, inside changed',
    async run({ context, url, log }) {
      const page = await openEditor(context, wasm(url), log);
      await openPattern(page, 'pattern.png', 96, 80);
      await setMode(page, 'fill');
      // no selection yet: a plain error
      await page.click('[data-action=run]');
      await waitFinished(page);
      const err = await page.locator('[data-role=message-error]').innerText();
      assert(/selection/i.test(err), `fill without a selection says so: "${err}"`);
      await screenshot(page, '05-fill-no-selection-error');
      await dragSelect(page, 'ellipse', { x: 30, y: 20 }, { x: 70, y: 56 });
      const mask = await selectionMask(page);
      assert(mask && mask.filter((v) => v === 255).length > 500, 'an ellipse is selected');
      const before = await composite(page);
      await setAdvanced(page, 'steps', 8);
      await setAdvanced(page, 'upsamplerSteps', 3);
      await page.fill('#dl-prompt', 'a blue sky');
      await page.click('[data-action=run]');
      assert((await waitFinished(page)) === 'done', `fill should finish: ${await panelText(page)}`);
      await screenshot(page, '06-fill-result');
      await page.click('[data-action=add-layer]');
      await page.waitForFunction(() => window.__diffusionLayers.editor.active.layers.length === 2);
      const after = await composite(page);
      let outside = 0;
      let changedOutside = 0;
      let inside = 0;
      let changedInside = 0;
      for (let i = 0; i < mask.length; i++) {
        const same = [0, 1, 2, 3].every((c) => before[4 * i + c] === after[4 * i + c]);
        if (mask[i] === 0) {
          outside++;
          if (!same) changedOutside++;
        } else {
          inside++;
          if (!same) changedInside++;
        }
      }
      log(`outside ${outside} px, ${changedOutside} changed; inside ${inside} px, ${changedInside} changed`);
      assert(changedOutside === 0, `no pixel outside the selection may change (${changedOutside} did)`);
      assert(changedInside > inside * 0.5, `most pixels inside should change (${changedInside} of ${inside})`);
      const added = (await layers(page))[1];
      assert(added.masked, 'the fill layer carries the selection as its mask');
      await screenshot(page, '07-fill-added');
      // More like this: new fills that start from the chosen one; nothing is added by itself
      await page.click('[data-action=similar]');
      assert((await waitFinished(page)) === 'done', `More like this should finish: ${await panelText(page)}`);
      assert((await layers(page)).length === 2, 'More like this adds no layer by itself');
      await page.close();
    },
  },
  {
    name: 'upscale (wasm): a 64x64 layer becomes a 256x256 layer (pack factor 4); too big -> new document',
    async run({ context, url, log, packInfo, outputSize }) {
      const page = await openEditor(context, wasm(url), log);
      await newDocument(page, 300, 280);
      await openImage(page, 'small.png', patternPng(64, 64), 'place');
      await page.waitForFunction(() => window.__diffusionLayers.editor.active.layers.length === 2);
      // the pack's upsampler note (what it was trained on) shows in the Upscale tab only
      const note = packInfo.upsampler?.note;
      assert(note, 'the pack under test has an upsampler note');
      await setMode(page, 'generate');
      assert(!(await panelText(page)).includes(note), 'no upsampler note while generating');
      await setMode(page, 'upscale');
      assert((await panelText(page)).includes(note), `the upsampler note is shown before upscaling: ${await panelText(page)}`);
      await setAdvanced(page, 'upsamplerSteps', 2);
      // Strength (how much the upsampler redraws) is an Upscale setting only
      await setAdvanced(page, 'upscaleStrength', 0.5);
      await setMode(page, 'generate');
      assert((await page.locator('[data-field=upscaleStrength]').count()) === 0, 'no Strength field while generating');
      await setMode(page, 'upscale');
      assert((await page.inputValue('[data-field=upscaleStrength]')) === '0.5', 'Strength kept its value');
      await page.fill('#dl-prompt', '');
      await recordProgress(page);
      await page.click('[data-action=run]');
      assert((await waitFinished(page)) === 'done', `upscale should finish: ${await panelText(page)}`);
      assert((await progressSeen(page)).some((v) => v > 0), 'upscale progress moved');
      await page.click('[data-action=add-layer]');
      await page.waitForFunction(() => window.__diffusionLayers.editor.active.layers.length === 3);
      const up = (await layers(page))[2];
      log(`upscaled layer ${JSON.stringify(up.rect)} colours=${up.colours}`);
      assert(up.rect.width === 256 && up.rect.height === 256, `a 256x256 layer (got ${up.rect.width}x${up.rect.height})`);
      assert(up.rect.left === 22 && up.rect.top === 12, 'centred on the original layer');
      assert(up.opaque === 256 * 256 && up.colours > 10, 'with pixels');
      await screenshot(page, '08-upscale-added');
      // Scale (Upscale only): 2x of the same 64 px layer gives a 128 px layer
      const scale = outputSize / packInfo.base.resolution;
      assert((await page.locator('[data-field=upscaleScale] option').allInnerTexts()).join(',') === `1.5x,2x,3x,${scale}x`, 'scales up to the pack\'s factor');
      await page.click('li[data-layer]:has-text("small")');
      await page.selectOption('[data-field=upscaleScale]', '2');
      await page.click('[data-action=run]');
      assert((await waitFinished(page)) === 'done', `2x upscale should finish: ${await panelText(page)}`);
      await page.click('[data-action=add-layer]');
      await page.waitForFunction(() => window.__diffusionLayers.editor.active.layers.length === 4);
      const half = (await layers(page)).find((l) => l.name === 'Upscaled 2x');
      assert(half && half.rect.width === 128 && half.rect.height === 128, `a 128x128 layer at 2x (got ${half.rect.width}x${half.rect.height})`);
      await setMode(page, 'generate');
      assert((await page.locator('[data-field=upscaleScale]').count()) === 0, 'no Scale while generating');
      await setMode(page, 'upscale');
      await page.selectOption('[data-field=upscaleScale]', '');
      // the same on a 64x64 document: the result does not fit -> a new 256x256 document
      await openPattern(page, 'tile.png', 64, 64);
      await page.click('[data-action=run]');
      assert((await waitFinished(page)) === 'done', `upscale should finish: ${await panelText(page)}`);
      const label = await page.locator('[data-action=add-layer]').innerText();
      assert(/new document/i.test(label), `the button offers a new document ("${label}")`);
      await page.click('[data-action=add-layer]');
      await page.waitForFunction(() => window.__diffusionLayers.editor.active.width === 256);
      const nd = await layers(page);
      assert(nd.length === 1 && nd[0].rect.width === 256, 'a new 256x256 document with the upscaled layer');
      await screenshot(page, '09-upscale-new-document');
      // From: Image upscales everything visible into a new document (here 2x of a 40x30 one)
      await newDocument(page, 40, 30);
      await page.selectOption('[data-field=upscaleSource]', 'image');
      await page.selectOption('[data-field=upscaleScale]', '2');
      await page.click('[data-action=run]');
      assert((await waitFinished(page)) === 'done', `image upscale should finish: ${await panelText(page)}`);
      await page.click('[data-action=add-layer]');
      await page.waitForFunction(() => window.__diffusionLayers.editor.active.width === 80);
      const img = await layers(page);
      assert(img.length === 1 && img[0].rect.height === 60, 'a new 80x60 document from the whole image');
      // settings persist in the browser profile: leave Upscale as the other tests expect it
      await page.selectOption('[data-field=upscaleSource]', 'layer');
      await page.selectOption('[data-field=upscaleScale]', '');
      await page.close();
    },
  },
  {
    name: 'expand (wasm): the canvas grows by the chosen share, the old picture is untouched inside it, one undo restores it',
    async run({ context, url, log }) {
      const page = await openEditor(context, wasm(url), log);
      await openPattern(page, 'pattern.png', 64, 48);
      const before = await composite(page);
      await quickRun(page, 'expand');
      // 50 % wider: 16 px on the left and on the right
      await page.selectOption('[data-field=expandBy]', '0.5');
      await page.selectOption('[data-field=expandDirection]', 'horizontal');
      await page.fill('#dl-prompt', '');
      await page.click('[data-action=run]');
      assert((await waitFinished(page)) === 'done', `expand should finish: ${await panelText(page)}`);
      await page.click('[data-action=add-layer]');
      await page.waitForFunction(() => window.__diffusionLayers.editor.active.width === 96);
      await screenshot(page, '12-expand-added');
      const size = await page.evaluate(() => [window.__diffusionLayers.editor.active.width, window.__diffusionLayers.editor.active.height]);
      assert(size[0] === 96 && size[1] === 48, `the canvas is 96x48 (${size})`);
      const after = await composite(page);
      let changed = 0;
      let clear = 0;
      for (let y = 0; y < 48; y++) {
        for (let x = 0; x < 96; x++) {
          const o = (y * 96 + x) * 4;
          if (x >= 16 && x < 80) {
            const i = (y * 64 + x - 16) * 4;
            if ([0, 1, 2, 3].some((c) => after[o + c] !== before[i + c])) changed++;
          } else if (after[o + 3] !== 255) clear++;
        }
      }
      log(`old picture: ${changed} px changed; new border: ${clear} px not opaque`);
      assert(changed === 0, `the old picture is untouched (${changed} px changed)`);
      assert(clear === 0, `the new border is drawn, opaque (${clear} px are not)`);
      const added = (await layers(page)).at(-1);
      assert(added.masked && added.rect.width === 96, `one masked layer over the border (${JSON.stringify(added.rect)})`);
      await page.click('[data-action=undo]');
      const undone = await page.evaluate(() => [window.__diffusionLayers.editor.active.width, window.__diffusionLayers.editor.active.layers.length]);
      assert(undone[0] === 64 && undone[1] === 1, `one undo gives back the 64 px canvas and its one layer (${undone})`);
      // More like this from the variation, on the canvas it was made for (after the undo)
      await page.click('[data-action=similar]');
      assert((await waitFinished(page)) === 'done', `More like this should finish: ${await panelText(page)}`);
      const still = await page.evaluate(() => [window.__diffusionLayers.editor.active.width, window.__diffusionLayers.editor.active.layers.length]);
      assert(still[0] === 64 && still[1] === 1, `More like this neither grows the canvas nor adds a layer by itself (${still})`);
      await setMode(page, 'generate'); // settings persist: leave the first tab for the other tests
      await page.close();
    },
  },
  {
    name: 'redraw a layer (wasm): Start from Active layer covers its centred square with a new layer; one undo restores',
    async run({ context, url, log }) {
      const page = await openEditor(context, wasm(url), log);
      await openPattern(page, 'pattern.png', 96, 80);
      const before = await composite(page);
      await quickRun(page, 'generate');
      await page.selectOption('[data-field=startFrom]', 'layer');
      await setAdvanced(page, 'startStrength', 0.5);
      const label = await page.locator('[data-action=run]').innerText();
      assert(label === 'Redraw layer', `the run button says what it does: "${label}"`);
      await page.fill('#dl-prompt', 'a red heart');
      await page.click('[data-action=run]');
      assert((await waitFinished(page)) === 'done', `the redraw should finish: ${await panelText(page)}`);
      await page.click('[data-action=add-layer]');
      await page.waitForFunction(() => window.__diffusionLayers.editor.active.layers.length === 2);
      await screenshot(page, '13-redraw-layer-added');
      const [source, added] = await layers(page);
      log(`added ${added.name} ${JSON.stringify(added.rect)}`);
      assert(JSON.stringify(added.rect) === JSON.stringify({ left: 8, top: 0, width: 80, height: 80 }), `the new layer covers the centred 80 px square (${JSON.stringify(added.rect)})`);
      assert(added.name === 'Redrawn: a red heart' && added.opaque === 80 * 80, `a full, named layer (${added.name}, ${added.opaque} px)`);
      assert(source.rect.width === 96 && source.opaque === 96 * 80, 'the source layer is still all there');
      await page.click('[data-action=undo]');
      const undone = await composite(page);
      assert((await layers(page)).length === 1 && undone.every((v, i) => v === before[i]), 'one undo gives back the picture as it was');
      // settings persist: leave the defaults for the other tests (and wait until the panel has them)
      await page.selectOption('[data-field=startFrom]', 'noise');
      await setAdvanced(page, 'startStrength', '');
      await page.waitForFunction(() => document.querySelector('[data-action=run]')?.textContent === 'Generate');
      await page.close();
    },
  },
  {
    name: 'transparent background (wasm): a picture with no plain background is kept, and the panel says so',
    async run({ context, url, log, packInfo }) {
      const page = await openEditor(context, wasm(url), log);
      await newDocument(page, 96, 96);
      await setMode(page, 'generate');
      await setAdvanced(page, 'steps', 2);
      await setAdvanced(page, 'upsamplerSteps', 1);
      if (packInfo.reranker) await setAdvanced(page, 'candidates', 1);
      await page.check('[data-field=transparentBackground]');
      await page.selectOption('[data-field=count]', '1');
      await page.fill('#dl-prompt', 'a red heart');
      await page.click('[data-action=run]');
      assert((await waitFinished(page)) === 'done', `the run should finish: ${await panelText(page)}`);
      const text = await panelText(page);
      log(text.split('\n').find((l) => l.includes('background')) ?? '');
      // the random test pack draws noise, which has no plain background; a trained pack's picture does
      if (!packInfo.reranker) assert(/The variation keeps its background: no plain background/.test(text), `the panel says the noise keeps its background: ${text}`);
      await page.uncheck('[data-field=transparentBackground]'); // settings persist
      await page.waitForFunction(() => !document.querySelector('[data-field=transparentBackground]')?.checked);
      await page.close();
    },
  },
  {
    name: 'cancel mid-run (Esc, wasm): no layer added; the next run works',
    async run({ context, url, log }) {
      const page = await openEditor(context, wasm(url), log);
      await newDocument(page, 128, 128);
      await setMode(page, 'generate');
      await setAdvanced(page, 'steps', 400);
      await setAdvanced(page, 'upsamplerSteps', 2);
      await page.selectOption('[data-field=count]', '1');
      await recordProgress(page);
      await generateWithEnter(page, 'a yellow star');
      await page.waitForFunction(() => (window.__progressSeen ?? []).some((v) => v > 2), undefined, { timeout: 120_000 });
      await page.locator('[data-role=preview]').waitFor({ timeout: 60_000 }).catch(() => log('no preview yet when cancelling'));
      await screenshot(page, '02-generate-running');
      await page.keyboard.press('Escape');
      assert((await waitFinished(page)) === 'cancelled', `the run should end cancelled: ${await panelText(page)}`);
      await screenshot(page, '10-cancelled');
      assert((await layers(page)).length === 1, 'no layer was added');
      await setAdvanced(page, 'steps', 6);
      await page.click('[data-action=run]');
      assert((await waitFinished(page)) === 'done', `the next run should work: ${await panelText(page)}`);
      await page.click('[data-action=add-layer]');
      await page.waitForFunction(() => window.__diffusionLayers.editor.active.layers.length === 2);
      log('after cancel, the next run added a layer');
      await page.close();
    },
  },
  {
    name: 'the same generate with WebGPU disabled (?backend=wasm)',
    async run({ context, url, log, outputSize }) {
      const page = await openEditor(context, wasm(url), log);
      const status = await page.locator('[data-role=status-backend]').innerText();
      log(`status: ${status}`);
      assert(/WebAssembly/.test(status) && !/WebGPU/.test(status), `the status names wasm: "${status}"`);
      await newDocument(page, 160, 120);
      await setMode(page, 'generate');
      await setAdvanced(page, 'steps', 2);
      await setAdvanced(page, 'upsamplerSteps', 1);
      await page.selectOption('[data-field=count]', '2');
      await generateWithEnter(page, 'a red heart');
      assert((await waitFinished(page)) === 'done', `the wasm run should finish: ${await panelText(page)}`);
      await page.click('[data-action=add-layer]');
      await page.waitForFunction(() => window.__diffusionLayers.editor.active.layers.length === 2);
      const added = (await layers(page))[1];
      const side = Math.min(outputSize, 120);
      assert(added.opaque === side * side && added.colours > 10, 'the wasm layer has pixels');
      await screenshot(page, '11-wasm-added');
      // into a selection 2.5 times the output: the panel asks for detail, a stage of its own
      await newDocument(page, outputSize * 3, outputSize * 3);
      const sel = Math.round(outputSize * 2.5);
      await dragSelect(page, 'rect', { x: 10, y: 10 }, { x: 10 + sel, y: 10 + sel });
      await page.selectOption('[data-field=count]', '1');
      const { phase, stages } = await runWatchingStages(page);
      assert(phase === 'done', `the run with detail should finish: ${await panelText(page)}`);
      log(`stages seen: ${stages.join(', ')}`);
      assert(stages.includes('Adding detail'), `an "Adding detail" stage was shown (${stages.join(', ')})`);
      await page.click('[data-action=add-layer]');
      await page.waitForFunction(() => window.__diffusionLayers.editor.active.layers.length === 2);
      const detailed = (await layers(page))[1];
      assert(Math.abs(detailed.rect.width - sel) <= 2 && detailed.opaque > 0.9 * detailed.rect.width * detailed.rect.height, `a layer covering the selection (${JSON.stringify(detailed.rect)})`);
      // and with Add detail off there is no such stage (the setting persists: turn it back on)
      await page.uncheck('[data-field=addDetail]');
      assert(!(await page.isChecked('[data-field=addDetail]')), 'Add detail can be turned off');
      // a wide selection: the square is extended to its shape, a stage of its own, and the layer covers it whole
      const wide = { w: Math.round(outputSize * 2), h: Math.round(outputSize * 0.8) };
      await dragSelect(page, 'rect', { x: 5, y: 5 }, { x: 5 + wide.w, y: 5 + wide.h });
      const { phase: shapePhase, stages: shapeStages } = await runWatchingStages(page);
      assert(shapePhase === 'done', `the wide run should finish: ${await panelText(page)}`);
      log(`stages seen for a wide selection: ${shapeStages.join(', ')}`);
      assert(shapeStages.includes('Extending to the shape'), `an "Extending to the shape" stage was shown (${shapeStages.join(', ')})`);
      const before = (await layers(page)).length;
      await page.click('[data-action=add-layer]');
      await page.waitForFunction((n) => window.__diffusionLayers.editor.active.layers.length === n + 1, before);
      const widened = (await layers(page)).at(-1);
      assert(Math.abs(widened.rect.width - wide.w) <= 2 && Math.abs(widened.rect.height - wide.h) <= 2 && widened.opaque > 0.9 * wide.w * wide.h, `a layer covering the wide selection (${JSON.stringify(widened.rect)})`);
      await screenshot(page, '11-wasm-wide-selection');
      await page.check('[data-field=addDetail]');
      await page.close();
    },
  },
  {
    name: 'recall (wasm): a layer remembers what made it; Recall makes it again; the saved PNG carries it and opens with it',
    async run({ context, url, log }) {
      const page = await openEditor(context, wasm(url), log);
      await newDocument(page, 96, 96);
      await quickRun(page, 'generate');
      await page.selectOption('[data-field=count]', '2');
      await generateWithEnter(page, 'a red heart');
      assert((await waitFinished(page)) === 'done', `the run should finish: ${await panelText(page)}`);
      await page.click('[data-variation="1"]');
      await page.click('[data-action=add-layer]');
      await page.waitForFunction(() => window.__diffusionLayers.editor.active.layers.length === 2);
      assert((await page.locator('[data-tag=record]').count()) === 1, 'the new layer, and only it, is marked as made by a run');
      // other settings since: Recall puts back those of the active layer (the new one)
      await page.fill('#dl-prompt', 'something else');
      await setAdvanced(page, 'steps', 3);
      await setMode(page, 'fill');
      await page.click('[data-action=recall]');
      // (earlier scenarios leave settings behind, e.g. Transparent background with its own message)
      const note = await page.locator('[data-role=message-info]:has-text("Recalled")').innerText();
      log(`recall: ${note}`);
      assert(/^Recalled Generate: "a red heart", seed \d+, \d+ steps\./.test(note), `the recall says what it set: "${note}"`);
      assert(/picture 2 of 2/.test(note), `it names which variation the layer was: "${note}"`);
      assert((await page.inputValue('#dl-prompt')) === 'a red heart', 'the prompt is back');
      assert((await page.getAttribute('[data-mode=generate]', 'aria-selected')) === 'true', 'the Generate tab is back');
      const seed = Number(/seed (\d+)/.exec(note)[1]);
      assert(Number(await page.inputValue('[data-field=seed]')) === seed && !(await page.isChecked('[data-field=randomSeed]')), 'the seed is fixed to the recorded one');
      const steps = /(\d+) steps/.exec(note)[1];
      // 4 as quickRun typed them: a number typed just before a run is kept even when the panel re-renders before the field loses focus
      assert(steps === '4' && (await page.inputValue('[data-field=steps]')) === steps, `the steps are the recorded ones, as typed (${steps})`);
      // a ten-digit seed fits the narrow panel, with nothing pushed out of it sideways
      const wide = await page.$eval('[data-phase]', (el) => [el.scrollWidth, el.clientWidth]);
      assert(wide[0] <= wide[1], `the panel overflows sideways (${wide[0]} px of content in ${wide[1]})`);
      await screenshot(page, '12-recall');
      // run again: the same variation, bit for bit (same backend)
      await page.click('[data-action=run]');
      assert((await waitFinished(page)) === 'done', `the recalled run should finish: ${await panelText(page)}`);
      await page.click('[data-variation="1"]');
      await page.click('[data-action=add-layer]');
      await page.waitForFunction(() => window.__diffusionLayers.editor.active.layers.length === 3);
      const same = await page.evaluate(() => {
        const [, a, b] = window.__diffusionLayers.editor.active.layers;
        return a.rgba.length === b.rgba.length && a.rgba.every((v, i) => v === b.rgba[i]);
      });
      assert(same, 'the recalled run draws the same picture');
      // the saved PNG carries the record, in the chunks the command line reads
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action=download]')]);
      const png = await readFile(await download.path());
      const record = JSON.parse(metaPng.getMetadata(new Uint8Array(png), 'diffusion-layers'));
      const parameters = metaPng.getMetadata(new Uint8Array(png), 'parameters');
      log(`saved PNG parameters: ${JSON.stringify(parameters)}`);
      assert(record.command === 'generate' && record.options.prompt === 'a red heart' && record.options.seed === seed && record.image.index === 1, `the PNG's record: ${JSON.stringify(record)}`);
      assert(parameters.startsWith(`a red heart\nSteps: ${steps}, `) && parameters.includes(`Seed: ${seed}`), 'the readable parameters');
      // opened again (a new document): its layer has the record, and Recall reads it
      await page.fill('#dl-prompt', 'something else');
      await openImage(page, 'heart.png', png);
      await page.waitForFunction(() => window.__diffusionLayers.editor.docs.length === 2);
      await page.click('[data-action=recall]');
      const back = await page.waitForFunction(() => window.document.querySelector('#dl-prompt').value === 'a red heart', undefined, { timeout: 10_000 }).then(() => true, () => false);
      assert(back, `Recall from the opened PNG: ${await panelText(page)}`);
      // another tool's PNG: its parameters text gives the prompt, seed and steps
      const foreign = metaPng.addMetadata(new Uint8Array(patternPng(48, 32)), 'parameters', 'a lighthouse\nNegative prompt: blurry\nSteps: 7, Sampler: Euler a, CFG scale: 6, Seed: 1234, Size: 48x32, Model: other');
      await openImage(page, 'lighthouse.png', NodeBuffer.from(foreign));
      await page.waitForFunction(() => window.__diffusionLayers.editor.docs.length === 3);
      await page.click('[data-action=recall]');
      const fromOther = await page.locator('[data-role=message-info]:has-text("Recalled the prompt")').innerText();
      log(`recall from another tool: ${fromOther}`);
      assert((await page.inputValue('#dl-prompt')) === 'a lighthouse' && (await page.inputValue('[data-field=seed]')) === '1234' && (await page.inputValue('[data-field=steps]')) === '7', 'prompt, seed and steps from the parameters');
      assert(/Euler a/.test(fromOther), `it says the sampler was not taken: "${fromOther}"`);
      await screenshot(page, '13-recall-other-tool');
      // a picture without a record: a plain error, and nothing changes
      await openPattern(page, 'pattern.png', 40, 30);
      await page.fill('#dl-prompt', 'kept');
      await page.click('[data-action=recall]');
      const err = await page.locator('[data-role=message-error]').innerText();
      assert(/has no record of what made it/.test(err) && (await page.inputValue('#dl-prompt')) === 'kept', `no record: "${err}"`);
      await screenshot(page, '13-recall-no-record');
      // settings persist for the scenarios after this one: random seeds again, and stored before the page goes
      await page.fill('#dl-prompt', '');
      await page.fill('#dl-negative', '');
      await page.check('[data-field=randomSeed]');
      await page.waitForFunction(() => Object.entries(window.localStorage).some(([k, v]) => k.endsWith('settings.v1') && JSON.parse(v).randomSeed === true));
      await page.close();
    },
  },
  {
    name: 'layers file (wasm): rename, opacity, Ctrl+J and Ctrl+E in the Layers panel, Free Transform, Ctrl+click selects a layer, Invert, Modify, Crop; Save layers writes an .ora that opens with the same layers, opacity and records; an unsaved document asks before it closes',
    async run({ context, url, log }) {
      const page = await openEditor(context, wasm(url), log);
      await openPattern(page, 'pattern.png', 64, 48);
      await quickRun(page, 'generate');
      await dragSelect(page, 'rect', { x: 8, y: 8 }, { x: 40, y: 40 });
      await generateWithEnter(page, 'a red heart');
      assert((await waitFinished(page)) === 'done', `the run should finish: ${await panelText(page)}`);
      await page.click('[data-action=add-layer]');
      await page.waitForFunction(() => window.__diffusionLayers.editor.active.layers.length === 2);
      // the Layers panel: double-click renames, the opacity field sets the active layer's opacity, Ctrl+J duplicates
      const top = () => page.evaluate(() => { const l = window.__diffusionLayers.editor.active.activeLayer; return { name: l.name, opacity: l.opacity ?? 1 }; });
      await page.dblclick('[data-layer] span[title*="double-click to rename"]');
      await page.keyboard.press('Control+a');
      await page.keyboard.type('heart');
      await page.keyboard.press('Enter');
      assert((await top()).name === 'heart', `renamed: ${JSON.stringify(await top())}`);
      await page.fill('[data-role=opacity]', '50');
      await page.press('[data-role=opacity]', 'Enter');
      await page.waitForFunction(() => window.__diffusionLayers.editor.active.activeLayer.opacity === 0.5);
      assert((await page.innerText('[data-tag=opacity]')) === '50 %', 'the row shows the opacity');
      await page.evaluate(() => document.activeElement?.blur()); // leave the field: the editor's keys are not typing
      await page.keyboard.press('Control+d'); // no selection: Ctrl+J duplicates the whole layer
      await page.keyboard.press('Control+j');
      await page.waitForFunction(() => window.__diffusionLayers.editor.active.layers.length === 3);
      assert(JSON.stringify(await top()) === JSON.stringify({ name: 'heart copy', opacity: 0.5 }), `Ctrl+J: ${JSON.stringify(await top())}`);
      assert(/^Undo Duplicate Layer/.test(await page.getAttribute('[data-action=undo]', 'title')), 'the undo step names the duplicate');
      // Ctrl+E merges the copy back into "heart", which keeps its name and opacity; undo splits them again
      await page.keyboard.press('Control+e');
      await page.waitForFunction(() => window.__diffusionLayers.editor.active.layers.length === 2);
      assert(JSON.stringify(await top()) === JSON.stringify({ name: 'heart', opacity: 0.5 }), `Ctrl+E: ${JSON.stringify(await top())}`);
      await page.click('[data-action=undo]');
      await page.waitForFunction(() => window.__diffusionLayers.editor.active.layers.length === 3);
      await page.click('[data-action=undo]');
      await page.waitForFunction(() => window.__diffusionLayers.editor.active.layers.length === 2);
      // Ctrl+click on a layer selects its pixels; Invert selects the rest
      await page.click('[data-layer] span[title$="select its pixels"]', { modifiers: ['Control'] });
      const picked = await page.evaluate(() => {
        const d = window.__diffusionLayers.editor.active;
        const l = d.activeLayer;
        let same = true;
        for (let y = 0; y < d.height; y++) for (let x = 0; x < d.width; x++) {
          const lx = x - l.rect.left, ly = y - l.rect.top;
          const inside = lx >= 0 && ly >= 0 && lx < l.rect.width && ly < l.rect.height;
          const want = inside ? Math.round((l.rgba[4 * (ly * l.rect.width + lx) + 3] * (l.mask ? l.mask[ly * l.rect.width + lx] : 255)) / 255) : 0;
          if ((d.selection?.[y * d.width + x] ?? 0) !== want) same = false;
        }
        return same;
      });
      assert(picked, 'Ctrl+click selects the layer as opaque as it is');
      await page.click('[data-action=invert]');
      assert(await page.evaluate(() => window.__diffusionLayers.editor.active.selection[0] === 255), 'Invert selects the corner outside the heart');
      // Select > Modify: Expand by 2 px takes in more pixels; Feather makes the edge soft
      const selected = () => page.evaluate(() => {
        const s = window.__diffusionLayers.editor.active.selection;
        return { full: s.filter((v) => v === 255).length, soft: s.filter((v) => v > 0 && v < 255).length };
      });
      await page.click('[data-layer] span[title*="select its pixels"]', { modifiers: ['Control'] });
      const heartSel = await selected();
      await page.fill('[data-field=modify-radius]', '2');
      await page.selectOption('[data-field=modify]', 'expand');
      const grown = await selected();
      assert(grown.full > heartSel.full && grown.soft === 0, `Expand grows it: ${JSON.stringify([heartSel, grown])}`);
      await page.selectOption('[data-field=modify]', 'feather');
      assert((await selected()).soft > 0, 'Feather softens the edge');
      await page.keyboard.press('Control+d');
      // Free Transform: the se corner dragged out 16 document pixels scales "heart" in proportion; Escape
      // first leaves it as it was, then Enter applies it as one undo step
      const rectOf = () => page.evaluate(() => ({ ...window.__diffusionLayers.editor.active.activeLayer.rect }));
      const was = await rectOf();
      const dragCorner = async () => {
        await page.click('[data-action=transform]');
        const zoom = Number(await page.getAttribute('[data-zoom]', 'data-zoom'));
        const h = await page.locator('[data-handle=se]').boundingBox();
        await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2);
        await page.mouse.down();
        await page.mouse.move(h.x + h.width / 2 + 16 * zoom, h.y + h.height / 2 + 2 * zoom, { steps: 4 });
        await page.mouse.up();
      };
      await dragCorner();
      const bar = await page.innerText('[data-role=transform-bar]');
      assert(/Free Transform: \d+ × \d+ px/.test(bar), `the bar shows the size: ${bar}`);
      await screenshot(page, '15-free-transform');
      await page.keyboard.press('Escape');
      await page.locator('[data-role=transform-box]').waitFor({ state: 'detached' });
      assert(JSON.stringify(await rectOf()) === JSON.stringify(was), 'Escape leaves the layer as it was');
      await dragCorner();
      await page.keyboard.press('Enter');
      await page.locator('[data-role=transform-box]').waitFor({ state: 'detached' });
      const now = await rectOf();
      log(`transformed ${JSON.stringify(was)} -> ${JSON.stringify(now)}`);
      assert(now.left === was.left && now.top === was.top && Math.abs(now.width - (was.width + 16)) <= 1, `the corner moved 16 px out: ${JSON.stringify(now)}`);
      assert(Math.abs(now.height / now.width - was.height / was.width) < 0.05, 'a corner keeps the proportions');
      assert(/^Undo Free Transform/.test(await page.getAttribute('[data-action=undo]', 'title')), 'one undo step, named Free Transform');
      // the round handle, dragged with Shift from above the centre to its right, turns the layer a quarter clockwise
      const pixelsOf = () => page.evaluate(() => Array.from(window.__diffusionLayers.editor.active.activeLayer.rgba));
      const upright = await pixelsOf();
      await page.click('[data-action=transform]');
      const r = await page.locator('[data-handle=rotate]').boundingBox();
      const b = await page.locator('[data-role=transform-box]').boundingBox();
      const c = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
      await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2);
      await page.keyboard.down('Shift');
      await page.mouse.down();
      await page.mouse.move(c.x + (c.y - r.y), c.y + 3, { steps: 6 });
      await page.mouse.up();
      await page.keyboard.up('Shift');
      assert(/, 90°\./.test(await page.innerText('[data-role=transform-bar]')), `the bar shows 90°: ${await page.innerText('[data-role=transform-bar]')}`);
      await page.keyboard.press('Enter');
      await page.locator('[data-role=transform-box]').waitFor({ state: 'detached' });
      const turned = await pixelsOf();
      const n = now.width; // square: a quarter turn keeps the rectangle; pixel (x, y) comes from (y, n - 1 - x)
      const moved = [[0, 0], [5, 17], [n - 1, 3], [20, n - 1]].every(([x, y]) =>
        [0, 1, 2, 3].every((k) => turned[4 * (y * n + x) + k] === upright[4 * ((n - 1 - x) * n + y) + k]));
      assert(moved, 'the quarter turn moved the pixels exactly');
      assert(JSON.stringify(await rectOf()) === JSON.stringify(now), `the turned square keeps its place: ${JSON.stringify(await rectOf())}`);
      // Crop to a selection: the canvas becomes its bounds and the layers move with the picture
      await dragSelect(page, 'rect', { x: 4, y: 4 }, { x: 60, y: 44 });
      await page.click('[data-action=crop]');
      const cropped = await page.evaluate(() => { const d = window.__diffusionLayers.editor.active; return { w: d.width, h: d.height, bottom: d.layers[0].rect }; });
      log(`cropped: ${JSON.stringify(cropped)}`);
      assert(cropped.w === 56 && cropped.h === 40 && cropped.bottom.left === -4 && cropped.bottom.top === -4, `cropped to the selection: ${JSON.stringify(cropped)}`);
      const tab = () => page.locator('[data-doc][aria-selected=true]').innerText();
      assert((await tab()).includes('•'), `the tab marks unsaved changes: "${await tab()}"`);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action=save-ora]')]);
      assert(download.suggestedFilename() === 'pattern.ora', `saved as ${download.suggestedFilename()}`);
      const ora = await readFile(await download.path());
      assert(!(await tab()).includes('•'), 'saved: no mark');
      const before = await page.evaluate(() => window.__diffusionLayers.editor.active.layers.map((l) => ({ name: l.name, rect: l.rect, rgba: Array.from(l.rgba), record: !!l.record, opacity: l.opacity ?? 1 })));
      await openImage(page, 'pattern.ora', ora);
      await page.waitForFunction(() => window.__diffusionLayers.editor.docs.length === 2);
      const after = await page.evaluate(() => window.__diffusionLayers.editor.active.layers.map((l) => ({ name: l.name, rect: l.rect, rgba: Array.from(l.rgba), record: !!l.record, opacity: l.opacity ?? 1 })));
      log(`reopened: ${after.map((l) => `${l.name} ${JSON.stringify(l.rect)}${l.record ? ' (run)' : ''}`).join(', ')}`);
      assert(JSON.stringify(after) === JSON.stringify(before), 'the .ora opens with the same layers, pixels and records');
      assert((await page.locator('[data-tag=record]').count()) === 1, 'the generated layer is still marked as made by a run');
      await screenshot(page, '14-ora-reopened');
      // a change, then close: the editor asks; dismissed, the document stays; accepted, it goes
      await page.click('[data-layer] input[type=checkbox]');
      assert((await tab()).includes('•'), 'hiding a layer is a change');
      page.once('dialog', (d) => d.dismiss());
      await page.click('[data-doc][aria-selected=true] [aria-label^=Close]');
      assert((await page.evaluate(() => window.__diffusionLayers.editor.docs.length)) === 2, 'dismissed: the document stays open');
      let asked = '';
      page.once('dialog', (d) => ((asked = d.message()), d.accept()));
      await page.click('[data-doc][aria-selected=true] [aria-label^=Close]');
      await page.waitForFunction(() => window.__diffusionLayers.editor.docs.length === 1);
      assert(/has changes that are not saved/.test(asked), `the question: "${asked}"`);
      // leaving the page with a changed document: the browser asks first
      await page.click('[data-layer] input[type=checkbox]');
      let leaving = '';
      page.once('dialog', (d) => ((leaving = d.type()), d.accept()));
      await page.close({ runBeforeUnload: true });
      await page.waitForEvent('close');
      assert(leaving === 'beforeunload', `leaving asks (${leaving || 'no dialog'})`);
    },
  },
  {
    name: 'clipboard: a pasted image becomes a new document, then a centred layer; Copy Merged puts the selection on the clipboard as a PNG; dropped files become layers',
    async run({ context, url, log }) {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
      const page = await openEditor(context, wasm(url), log);
      // what another program's Copy Image gives the page: a paste event holding a PNG file
      const paste = (png) => page.evaluate((bytes) => {
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(bytes)], 'image.png', { type: 'image/png' }));
        document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      }, Array.from(patternPng(...png)));
      await paste([40, 30]);
      await page.waitForFunction(() => window.__diffusionLayers.editor.active?.width === 40);
      await newDocument(page, 64, 48);
      await paste([16, 12]);
      await page.waitForFunction(() => window.__diffusionLayers.editor.active.layers.length === 2);
      const pasted = (await layers(page))[1];
      assert(pasted.name === 'Pasted image', `the layer's name: ${pasted.name}`);
      assert(JSON.stringify(pasted.rect) === JSON.stringify({ left: 24, top: 18, width: 16, height: 12 }), `centred: ${JSON.stringify(pasted.rect)}`);
      // a selection across the pasted layer and the empty canvas, copied merged
      await dragSelect(page, 'rect', { x: 16, y: 12 }, { x: 36, y: 26 });
      const sel = await selectionMask(page);
      const xs = [];
      const ys = [];
      sel.forEach((v, i) => v && (xs.push(i % 64), ys.push(Math.floor(i / 64))));
      const box = { left: Math.min(...xs), top: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs) + 1, height: Math.max(...ys) - Math.min(...ys) + 1 };
      await page.keyboard.press('Control+Shift+C');
      // the copy is written asynchronously (PNG encoding): read until it is there
      let png = null;
      for (let tries = 0; !png && tries < 50; tries++) {
        png = await page.evaluate(async () => {
          const items = await navigator.clipboard.read().catch(() => []);
          const item = items.find((i) => i.types.includes('image/png'));
          return item ? Array.from(new Uint8Array(await (await item.getType('image/png')).arrayBuffer())) : null;
        });
        if (!png) await page.waitForTimeout(200);
      }
      assert(png, 'Ctrl+Shift+C put a PNG on the clipboard');
      const copied = PNG.sync.read(NodeBuffer.from(png));
      log(`copied ${copied.width}x${copied.height} of the selection ${JSON.stringify(box)}`);
      assert(copied.width === box.width && copied.height === box.height, 'the copy is the selection\'s bounds');
      const whole = await composite(page);
      let same = 0;
      for (let y = 0; y < box.height; y++) {
        for (let x = 0; x < box.width; x++) {
          const o = 4 * ((box.top + y) * 64 + box.left + x);
          const c = 4 * (y * box.width + x);
          if ([0, 1, 2, 3].every((k) => whole[o + k] === copied.data[c + k])) same++;
        }
      }
      assert(same === box.width * box.height, `every copied pixel is the picture's: ${same} of ${box.width * box.height}`);
      // Copy (the active layer, the pasted one) of a selection beside it is refused with a reason
      await dragSelect(page, 'rect', { x: 2, y: 2 }, { x: 10, y: 10 });
      await page.keyboard.press('Control+C');
      await page.locator('[role=alert]').waitFor({ timeout: 5_000 });
      const alert = await page.locator('[role=alert]').innerText();
      assert(/does not overlap the active layer/.test(alert), `says why: "${alert}"`);
      // files dropped on the canvas of an open document become layers, as in Photoshop; a file
      // that is no picture is named and the others still come in
      const drop = (files) => page.evaluate((fs) => {
        const data = new DataTransfer();
        for (const f of fs) data.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
        const target = document.querySelector('[data-role=document-canvas]').parentElement.parentElement;
        target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      }, files);
      const docs = await page.evaluate(() => window.__diffusionLayers.editor.docs.length);
      await drop([
        { name: 'a.png', type: 'image/png', bytes: Array.from(patternPng(10, 8)) },
        { name: 'notes.txt', type: 'text/plain', bytes: [104, 105] },
        { name: 'b.png', type: 'image/png', bytes: Array.from(patternPng(6, 4)) },
      ]);
      await page.waitForFunction(() => window.__diffusionLayers.editor.active.layers.length === 4);
      const dropped = (await layers(page)).slice(2).map((l) => `${l.name} ${l.rect.width}x${l.rect.height}`);
      assert(JSON.stringify(dropped) === JSON.stringify(['a 10x8', 'b 6x4']), `dropped layers: ${dropped}`);
      assert((await page.evaluate(() => window.__diffusionLayers.editor.docs.length)) === docs, 'no new document');
      await page.waitForFunction(() => /notes\.txt/.test(document.querySelector('[role=alert]')?.textContent ?? ''), null, { timeout: 5_000 });
      // the Move tool drags the active layer (the last dropped) and the arrow keys nudge it; each is one undo step
      const rectOf = async () => (await layers(page)).at(-1).rect;
      const from = await rectOf();
      await dragSelect(page, 'move', { x: 30, y: 20 }, { x: 40, y: 15 });
      await page.waitForFunction((l) => window.__diffusionLayers.editor.active.layers.at(-1).rect.left !== l, from.left);
      const dragged = await rectOf();
      assert(dragged.left === from.left + 10 && dragged.top === from.top - 5, `dragged by (10, -5): ${JSON.stringify(from)} -> ${JSON.stringify(dragged)}`);
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('Shift+ArrowDown');
      const nudged = await rectOf();
      assert(nudged.left === dragged.left - 1 && nudged.top === dragged.top + 10, `nudged by (-1, 10): ${JSON.stringify(nudged)}`);
      assert(/^Undo Move b/.test(await page.getAttribute('[data-action=undo]', 'title')), 'the undo step names the move');
      for (let i = 0; i < 3; i++) await page.click('[data-action=undo]');
      assert(JSON.stringify(await rectOf()) === JSON.stringify(from), `three undos put it back: ${JSON.stringify(await rectOf())}`);
      await screenshot(page, '12-move-tool');
      // zoom: Ctrl+1 shows 100 %, Ctrl+= steps in, Ctrl+0 fits again; the selection tools still map onto the document
      const zoomNow = () => page.evaluate(() => Number(document.querySelector('[data-zoom]').dataset.zoom));
      const fitted = await zoomNow();
      await page.keyboard.press('Control+1');
      assert((await zoomNow()) === 1 && (await page.innerText('[data-role=zoom]')) === '100%', `Ctrl+1: ${await zoomNow()}`);
      await page.keyboard.press('Control+=');
      await page.keyboard.press('Control+=');
      assert((await zoomNow()) === 3, `Ctrl+= twice from 100 %: ${await zoomNow()}`);
      const stage = await page.locator('[data-zoom]').boundingBox();
      assert(Math.abs(stage.width - 64 * 3) < 1, `the document is drawn 3x: ${stage.width}`);
      await dragSelect(page, 'rect', { x: 4, y: 4 }, { x: 20, y: 12 });
      const zoomedSel = await selectionMask(page);
      const on = [];
      zoomedSel.forEach((v, i) => v && on.push(i));
      const xs2 = on.map((i) => i % 64);
      const ys2 = on.map((i) => Math.floor(i / 64));
      assert(Math.abs(Math.min(...xs2) - 4) <= 1 && Math.abs(Math.max(...xs2) - 20) <= 1 && Math.abs(Math.min(...ys2) - 4) <= 1 && Math.abs(Math.max(...ys2) - 12) <= 1,
        `a selection drawn at 300 % covers the same document pixels: x ${Math.min(...xs2)}-${Math.max(...xs2)}, y ${Math.min(...ys2)}-${Math.max(...ys2)}`);
      await screenshot(page, '12b-zoomed');
      await page.keyboard.press('Control+0');
      assert((await zoomNow()) === fitted, `Ctrl+0 fits again: ${await zoomNow()} (fit ${fitted})`);
    },
  },
];
