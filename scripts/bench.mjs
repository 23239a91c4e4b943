// Benchmark placeholder: will time the denoiser per backend (wasm, WebGPU, native CPU).
console.log('no benchmarks yet');
process.exit(0);
