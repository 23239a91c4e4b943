// The inference core's public surface. Pure TypeScript: no DOM, no host, no worker code.
export * from './errors.js';
export * from './rng.js';
export * from './schedule.js';
export * from './tokenizer.js';
export * from './prompt-weights.js';
export * from './prompt-schedule.js';
export * from './prompt-compose.js';
export * from './image.js';
export * from './resize.js';
export * from './mask.js';
export * from './tiling.js';
export * from './content.js';
export * from './upscale-size.js';
export * from './expand.js';
// engine (model packs, backends interface, sampling, jobs); onnxruntime itself is reached only
// through backends/ort-web.ts or backends/ort-node.ts, imported by whoever picks the runtime
export * from './backend.js';
export * from './pack.js';
export * from './limits.js';
export * from './requests.js';
export * from './progress.js';
export * from './stages.js';
export * from './pipeline.js';
export * from './sampling/denoiser.js';
export * from './sampling/diffusion.js';
export * from './sampling/guidance.js';
export * from './sampling/threshold.js';
export * from './sampling/inpaint.js';
export * from './sampling/samplers.js';
