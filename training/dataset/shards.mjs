// Output writers: raw uint8 image arrays per size and the JSONL manifest.
import { closeSync, mkdirSync, openSync, writeSync, writeFileSync, renameSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const FLUSH_BYTES = 8 << 20;
const LOCK_NAME = '.build.lock';

function pidAlive(pid) {
  try { process.kill(pid, 0); return true; } catch (err) { return err.code === 'EPERM'; }
}

/**
 * Take an exclusive lock on an output folder so two builds never write into
 * the same files at once. A lock left by a process that no longer runs is
 * taken over. Returns a release function.
 */
export function lockOutDir(outDir) {
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, LOCK_NAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(pid) && pid !== process.pid && pidAlive(pid)) {
        throw new Error(`${outDir} is being built by process ${pid} (remove ${file} if that is wrong)`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock ${outDir}`);
}

class BufferedFile {
  constructor(file) {
    this.file = file;
    this.tmp = `${file}.partial-${process.pid}`;
    this.fd = openSync(this.tmp, 'w');
    this.chunks = [];
    this.pending = 0;
    this.bytes = 0;
  }

  write(buf) {
    this.chunks.push(buf);
    this.pending += buf.length;
    this.bytes += buf.length;
    if (this.pending >= FLUSH_BYTES) this.flush();
  }

  flush() {
    if (this.pending === 0) return;
    const all = Buffer.concat(this.chunks.map((c) => (Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.length))), this.pending);
    let off = 0;
    while (off < all.length) off += writeSync(this.fd, all, off, all.length - off);
    this.chunks = [];
    this.pending = 0;
  }

  close() {
    this.flush();
    closeSync(this.fd);
    renameSync(this.tmp, this.file);
  }
}

/**
 * Writes images_<size>.u8 (N x size x size x 3, RGB, row-major, manifest order)
 * and manifest.jsonl. Files are written as *.partial-<pid> and renamed on close.
 */
export class DatasetWriter {
  constructor(outDir, sizes) {
    mkdirSync(outDir, { recursive: true });
    this.outDir = outDir;
    this.sizes = sizes;
    this.images = new Map(sizes.map((s) => [s, new BufferedFile(path.join(outDir, `images_${s}.u8`))]));
    this.manifest = new BufferedFile(path.join(outDir, 'manifest.jsonl'));
    this.count = 0;
  }

  /** rgbBySize: Map(size -> Uint8Array of size*size*3). Returns the record index. */
  add(record, rgbBySize) {
    const index = this.count++;
    for (const s of this.sizes) {
      const px = rgbBySize.get(s);
      if (!px || px.length !== s * s * 3) throw new Error(`record ${index}: missing or wrong-sized ${s}px image`);
      this.images.get(s).write(px);
    }
    this.manifest.write(Buffer.from(`${JSON.stringify({ index, ...record })}\n`, 'utf8'));
    return index;
  }

  close() {
    for (const f of this.images.values()) f.close();
    this.manifest.close();
    return Object.fromEntries([...this.images].map(([s, f]) => [`images_${s}.u8`, f.bytes]).concat([['manifest.jsonl', this.manifest.bytes]]));
  }

  writeJson(name, value) {
    writeFileSync(path.join(this.outDir, name), `${JSON.stringify(value, null, 2)}\n`);
  }

  writeText(name, text) {
    writeFileSync(path.join(this.outDir, name), text);
  }
}
