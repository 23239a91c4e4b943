// The base stage reads each phase's text rows on that phase's steps (prompt editing), counted
// over the whole run even when an img2img start skips the first steps. A recording network
// stands in for the model: it says which text row each call was given.
import { describe, expect, it } from 'vitest';
import type { Feeds, Session } from '../../src/inference/backend.js';
import { diffusionFor } from '../../src/inference/sampling/diffusion.js';
import { sampleBase, type BasePhase, type TextEmbedding } from '../../src/inference/stages.js';

const S = 2;

/** Rows r of a 3-row embedding hold the value r everywhere, so a call's xf_proj names its rows. */
const text: TextEmbedding = {
  batch: 3,
  xfProj: Float32Array.from([0, 0, 1, 1, 2, 2]),
  xfOut: Float32Array.from([0, 0, 1, 1, 2, 2]),
  projDims: [3, 2],
  outDims: [3, 1, 2],
};

function recorder(): { session: Session; rows: number[][] } {
  const rows: number[][] = [];
  const session: Session = {
    name: 'recorder',
    inputNames: [],
    outputNames: ['out'],
    async run(feeds: Feeds) {
      const p = feeds.xf_proj!.data as Float32Array;
      rows.push(Array.from({ length: feeds.xf_proj!.dims[0]! }, (_, b) => p[2 * b]!));
      const n = feeds.x_t!.dims[0]!;
      return { out: { data: new Float32Array(n * 6 * S * S), dims: [n, 6, S, S], type: 'float32' } };
    },
    async release() {},
  };
  return { session, rows };
}

const run = async (phases: BasePhase[], strength?: number) => {
  const { session, rows } = recorder();
  await sampleBase({
    session, resolution: S, batch: 1, text, phases, guidance: 3, dynamicThreshold: null,
    sampler: 'ddim', diffusion: diffusionFor({ kind: 'squaredcos_cap_v2', trainingSteps: 100 }, 'ddim4'),
    xT: new Float32Array(3 * S * S),
    ...(strength ? { start: { image: new Float32Array(3 * S * S), strength } } : {}),
  });
  return rows;
};

describe('base phases', () => {
  const edited: BasePhase[] = [{ until: 1, cond: [0], uncond: 2 }, { until: 3, cond: [1], uncond: 2 }, { until: 4, cond: [0], uncond: 1 }];

  it('gives each step its phase\'s rows, [cond; uncond]', async () => {
    expect(await run(edited)).toEqual([[0, 2], [1, 2], [1, 2], [0, 1]]);
  });

  it('counts steps over the whole run when a start skips the first ones', async () => {
    expect(await run(edited, 0.5)).toEqual([[1, 2], [0, 1]]);
  });

  it('reads one phase throughout', async () => {
    expect(await run([{ until: 4, cond: [2], uncond: 0 }])).toEqual([[2, 0], [2, 0], [2, 0], [2, 0]]);
  });
});
