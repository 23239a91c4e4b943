/** Progress on the terminal: a bar redrawn in place on a TTY, plain lines otherwise (logs, CI). */
import type { ProgressEvent } from '../inference/pipeline.js';

export interface Output {
  write(s: string): void;
  isTTY?: boolean;
  columns?: number;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export function progressPrinter(out: Output, quiet = false): { onProgress: (e: ProgressEvent) => void; done: () => void } {
  let lastLine = '';
  let drawn = false;
  if (quiet) return { onProgress: () => undefined, done: () => undefined };
  return {
    onProgress(e) {
      if (out.isTTY) {
        const width = Math.max(10, Math.min(40, (out.columns ?? 80) - 50));
        const filled = Math.round((e.step / e.total) * width);
        const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
        out.write(`\r${e.stage.padEnd(9)} [${bar}] ${String(e.step).padStart(4)}/${e.total}  ${secs(e.elapsedMs)} elapsed, ~${secs(e.etaMs)} left\x1b[K`);
        drawn = true;
        if (e.step === e.total) {
          out.write('\n');
          drawn = false;
        }
        return;
      }
      // plain: one line per stage at its start, then every ~quarter and at the end
      const quarter = Math.max(1, Math.round(e.total / 4));
      if (e.step === 1 || e.step === e.total || e.step % quarter === 0) {
        const line = `${e.stage} ${e.step}/${e.total} (${secs(e.elapsedMs)} elapsed)`;
        if (line !== lastLine) out.write(`${line}\n`);
        lastLine = line;
      }
    },
    done() {
      if (drawn) out.write('\n');
      drawn = false;
    },
  };
}
