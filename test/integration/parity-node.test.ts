import { createOrtNodeBackend } from '../../src/inference/backends/ort-node.js';
import { describeParity } from '../helpers/parity.js';

describeParity('onnxruntime-node CPU', () => createOrtNodeBackend({ device: 'cpu', numThreads: 1 }));
