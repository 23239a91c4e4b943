// Runs one ONNX graph with onnxruntime-node (CPU) for the Python parity checks.
// stdin: {"model": path, "inputs": {name: {dtype, shape, data: base64 little-endian}}}
// stdout: {name: {dtype, shape, data}} for every output.
const { createRequire } = require('module');
const fs = require('fs');
const req = createRequire(process.cwd() + '/');
let ort;
try { ort = req('onnxruntime-node'); } catch (e) {
  console.error('onnxruntime-node is not installed: run npm ci first');
  process.exit(3);
}
const TYPED = { float32: Float32Array, int64: BigInt64Array };
(async () => {
  const job = JSON.parse(fs.readFileSync(0, 'utf8'));
  const session = await ort.InferenceSession.create(job.model, { intraOpNumThreads: 1 });
  const feeds = {};
  for (const [name, a] of Object.entries(job.inputs)) {
    const buf = Buffer.from(a.data, 'base64');
    const T = TYPED[a.dtype];
    const data = new T(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    feeds[name] = new ort.Tensor(a.dtype, data, a.shape);
  }
  const out = await session.run(feeds);
  const res = {};
  for (const [name, t] of Object.entries(out)) {
    res[name] = { dtype: t.type, shape: t.dims, data: Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('base64') };
  }
  process.stdout.write(JSON.stringify(res));
})().catch((e) => { console.error(String(e)); process.exit(1); });
