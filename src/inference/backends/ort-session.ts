/**
 * A Session over any onnxruntime flavour (web or node: both expose onnxruntime-common's
 * InferenceSession and Tensor), with runs serialised and failures named.
 */
import type { InferenceSession, Tensor, TypedTensor } from 'onnxruntime-common';
import { runFailure, sessionFailure, type Feeds, type HostTensor, type RunStats, type SerialQueue, type Session } from '../backend.js';
import { ModelError } from '../errors.js';

/** The part of an onnxruntime module we use. */
export interface OrtModule {
  InferenceSession: { create(bytes: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession> };
  Tensor: new (type: 'float32' | 'int64', data: Float32Array | BigInt64Array, dims: readonly number[]) => Tensor;
}

/** Messages by which onnxruntime says the bytes are not a valid ONNX model. */
const CORRUPT = /protobuf parsing failed|failed to load model|invalid model|model_proto|ModelProto|no graph was found/i;

export async function createOrtSession(
  ort: OrtModule,
  bytes: Uint8Array,
  name: string,
  options: InferenceSession.SessionOptions,
  queue: SerialQueue,
  stats: RunStats,
): Promise<Session> {
  let session: InferenceSession;
  try {
    session = await queue.run(() => ort.InferenceSession.create(bytes, options));
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (CORRUPT.test(msg)) {
      throw new ModelError('MODEL_CORRUPT', `${name} is not a valid ONNX model (${msg}); download or export the pack again`, {
        cause: e,
        details: { file: name },
      });
    }
    throw sessionFailure(name, e);
  }
  const toOrt = (t: HostTensor) => new ort.Tensor(t.type, t.data, t.dims);
  return {
    name,
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds: Feeds) {
      const missing = session.inputNames.filter((n) => !(n in feeds));
      if (missing.length > 0) {
        throw runFailure(name, feeds, new Error(`missing input ${missing.join(', ')}; the graph takes ${session.inputNames.join(', ')}`));
      }
      return queue.run(async () => {
        const t0 = performance.now();
        let out: InferenceSession.ReturnType;
        try {
          const ortFeeds: Record<string, Tensor> = {};
          for (const n of session.inputNames) ortFeeds[n] = toOrt(feeds[n]!);
          out = await session.run(ortFeeds);
        } catch (e) {
          throw runFailure(name, feeds, e);
        }
        const result: Record<string, HostTensor> = {};
        for (const [k, v] of Object.entries(out)) {
          if (v.type === 'float32') {
            result[k] = { type: 'float32', data: (v as TypedTensor<'float32'>).data, dims: v.dims };
          } else if (v.type === 'int64') {
            result[k] = { type: 'int64', data: (v as TypedTensor<'int64'>).data, dims: v.dims };
          } else {
            throw runFailure(name, feeds, new Error(`output ${k} has type ${v.type}; expected float32`));
          }
        }
        stats.runs++;
        stats.runMs += performance.now() - t0;
        return result;
      });
    },
    release: () => queue.run(() => session.release()),
  };
}
