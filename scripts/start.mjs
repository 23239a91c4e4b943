// `npm start`: builds the web editor and serves dist/web on localhost with the COOP/COEP
// headers that wasm threads need. Options: --port N (default 5173), --open (opens a browser),
// --no-build (serve what is built).
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { serve } from './serve.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};

const port = Number(value('--port', '5173'));
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port ${value('--port')}: expected a port number from 0 to 65535`);
  process.exit(2);
}

if (!flag('--no-build')) {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), 'web'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

let server;
try {
  server = await serve(path.join(root, 'dist/web'), { port });
} catch (e) {
  console.error(e.code === 'EADDRINUSE' ? `port ${port} is in use: try --port ${port + 1} (or --port 0 for any free port)` : String(e));
  process.exit(1);
}
console.log(`Diffusion Layers web editor: ${server.url}`);
console.log(`  wasm only: ${server.url}?backend=wasm   stop with Ctrl+C`);

if (flag('--open')) {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  spawn(cmd, [server.url], { stdio: 'ignore', detached: true }).on('error', () => console.log(`could not open a browser: visit ${server.url}`)).unref();
}

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close().then(() => process.exit(0)));
