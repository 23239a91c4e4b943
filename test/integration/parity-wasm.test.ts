import { createOrtWebBackend } from '../../src/inference/backends/ort-web.js';
import { describeParity } from '../helpers/parity.js';

describeParity('onnxruntime-web wasm (Node)', () => createOrtWebBackend({ device: 'wasm', numThreads: 1 }));
