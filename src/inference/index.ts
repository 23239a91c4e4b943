// The inference core's public surface. Pure TypeScript: no DOM, no host, no worker code.
export * from './errors.js';
export * from './rng.js';
export * from './schedule.js';
export * from './tokenizer.js';
export * from './image.js';
export * from './resize.js';
export * from './mask.js';
export * from './tiling.js';
