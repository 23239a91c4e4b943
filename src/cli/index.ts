// Entry of the `diffusion-layers` command (bundled to dist/cli/index.js). Ctrl-C cancels the
// running job (exit 130); a second Ctrl-C exits at once.
import { EXIT, main } from './main.js';

const ac = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(EXIT.cancelled);
  interrupted = true;
  process.stderr.write('\ncancelling (Ctrl-C again to quit now)\n');
  ac.abort();
});

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: ac.signal,
});
// onnxruntime's threads would keep the process alive
process.exit(code);
