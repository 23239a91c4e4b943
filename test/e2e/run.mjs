// Browser end-to-end tests: builds the web editor, serves it, and drives headless Chromium
// (WebGPU on SwiftShader, and wasm) through playwright-core. `npm run test:e2e`.
//
// Environment:
//   E2E_PACK      tiny (default: the random test pack), default (models/default, when built), or a pack URL
//   E2E_ONLY      run only tests whose name contains this text
//   E2E_NO_BUILD  1: use the dist/web that is there
//   CHROMIUM_PATH the browser (default /usr/bin/chromium)
// Screenshots go to test-artifacts/e2e/.
import { spawnSync } from 'node:child_process';
import { clearTimeout, setTimeout } from 'node:timers';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../../scripts/serve.mjs';
import { CHROMIUM, launch } from './browser.mjs';
import { tests } from './tests.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
process.chdir(root);

const TEST_TIMEOUT_MS = 240_000;

try {
  await access(CHROMIUM);
} catch {
  console.error(`no Chromium at ${CHROMIUM}: install Debian's chromium (or set CHROMIUM_PATH)`);
  process.exit(1);
}

if (process.env.E2E_NO_BUILD !== '1') {
  const r = spawnSync(process.execPath, ['scripts/build.mjs', 'web'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const packEnv = process.env.E2E_PACK ?? 'tiny';
const packQuery = packEnv === 'tiny' ? '?pack=models/tiny-pack/' : packEnv === 'default' ? '' : `?pack=${encodeURIComponent(packEnv)}`;
if (packEnv === 'default') {
  try {
    await access(path.join(root, 'dist/web/models/default/model.json'));
  } catch {
    console.error('E2E_PACK=default but models/default is not in the build: add the pack or use E2E_PACK=tiny');
    process.exit(1);
  }
}

const server = await serve(path.join(root, 'dist/web'));
const browser = await launch();
const url = server.url + packQuery;
// The pack's output size (upsampler resolution) decides what a generated layer measures.
const packUrl = packEnv === 'tiny' ? `${server.url}models/tiny-pack/` : packEnv === 'default' ? `${server.url}models/default/` : packEnv;
const packInfo = await (await fetch(new URL('model.json', packUrl.endsWith('/') ? packUrl : `${packUrl}/`))).json();
const outputSize = packInfo.upsampler?.resolution ?? packInfo.base.resolution;
console.log(`e2e: ${url} (pack: ${packEnv}, ${outputSize} px output)`);

const only = process.env.E2E_ONLY;
let failed = 0;
let ran = 0;
const t0 = performance.now();
for (const t of tests) {
  if (only && !t.name.includes(only)) continue;
  ran++;
  const start = performance.now();
  const lines = [];
  const log = (s) => lines.push(s);
  let timer;
  try {
    await Promise.race([
      t.run({ context: browser.context, url, log, outputSize, packInfo }),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${TEST_TIMEOUT_MS / 1000} s`)), TEST_TIMEOUT_MS))),
    ]);
    console.log(`ok   ${t.name} (${((performance.now() - start) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${t.name} (${((performance.now() - start) / 1000).toFixed(1)} s)\n     ${e?.stack ?? e}`);
    for (const p of browser.context.pages()) await p.close().catch(() => undefined);
  } finally {
    clearTimeout(timer);
  }
  for (const l of lines) console.log(`     ${l}`);
}

await browser.close();
await server.close();
console.log(`e2e: ${ran - failed} passed, ${failed} failed, ${((performance.now() - t0) / 1000).toFixed(1)} s; screenshots in test-artifacts/e2e/`);
process.exit(failed > 0 || ran === 0 ? 1 : 0);
