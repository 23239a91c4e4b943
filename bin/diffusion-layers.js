#!/usr/bin/env node
// Launcher for the built CLI (dist/cli/index.js, written by `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli/index.js', import.meta.url));
if (!existsSync(cli)) {
  console.error(`diffusion-layers: ${cli} is missing; run "npm run build" (or "npm ci") first`);
  process.exit(1);
}
await import(pathToFileURL(cli).href);
