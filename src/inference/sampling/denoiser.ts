/**
 * The one denoiser contract every sampler is written against (STYLE rule 1).
 *
 * A batch of B images of C = 3 channels and H x W pixels is one Float32Array in NCHW order.
 * `denoise(x, t)` gets x_t [B,3,H,W] and the training-schedule step t (float, the same for
 * the whole batch) and resolves to [B,6,H,W]: channels 0-2 epsilon, 3-5 GLIDE's
 * learned-range variance v in [-1, 1].
 */
export type Denoiser = (x: Float32Array, t: number) => Promise<Float32Array>;

/** Shape of the image batch a sampler walks. */
export interface BatchShape {
  batch: number;
  height: number;
  width: number;
}

/** Elements of one [B,3,H,W] tensor. */
export const imageSize = (s: BatchShape): number => s.batch * 3 * s.height * s.width;

/** In-place post-processing of the predicted x0 (thresholding, inpainting). */
export type X0Processor = (x0: Float32Array, shape: BatchShape) => void;

/** Progress of a sampler: step k of n (1-based) with that step's processed x0. */
export type StepCallback = (step: number, total: number, x0: Float32Array) => void;

/** Noise for the k-th step (k = 0 at the noisiest step); drawn only by steps that use it. */
export type NoiseFn = (k: number) => Float32Array;

/** Split a [B,6,H,W] network output into eps [B,3,H,W] and v [B,3,H,W]. */
export function splitOutput(out: Float32Array, shape: BatchShape): { eps: Float32Array; v: Float32Array } {
  const plane = 3 * shape.height * shape.width;
  if (out.length !== 2 * plane * shape.batch) {
    throw new RangeError(
      `denoiser output has ${out.length} values; expected ${2 * plane * shape.batch} ([${shape.batch},6,${shape.height},${shape.width}])`,
    );
  }
  const eps = new Float32Array(plane * shape.batch);
  const v = new Float32Array(plane * shape.batch);
  for (let b = 0; b < shape.batch; b++) {
    eps.set(out.subarray(2 * b * plane, (2 * b + 1) * plane), b * plane);
    v.set(out.subarray((2 * b + 1) * plane, (2 * b + 2) * plane), b * plane);
  }
  return { eps, v };
}

/** Compose x0 processors in order: thresholding first, then the known region. */
export function composeX0(...fns: (X0Processor | undefined | null)[]): X0Processor {
  const list = fns.filter((f): f is X0Processor => typeof f === 'function');
  return (x0, shape) => {
    for (const f of list) f(x0, shape);
  };
}
