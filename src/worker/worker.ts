/**
 * Web Worker entry of the inference engine: serves the DiffusionApi on the worker's global
 * scope with comlink. onnxruntime-web is imported inside this worker (its own proxy worker
 * does not work with WebGPU).
 */
import type { Endpoint } from 'comlink';
import { exposeOn } from './endpoint.js';

exposeOn(self as unknown as Endpoint);
