/**
 * Golden tests of the inference core against the Python reference (test/fixtures/reference.json)
 * on one backend: the text encoder, one call of each graph, every base run (from the
 * reference's x_T and noises) and the upsampler run. Each test records its max error so the
 * suite prints what it actually observed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, Feeds, Session } from '../../src/inference/backend.js';
import { loadPack, type ModelPack } from '../../src/inference/pack.js';
import { diffusionFor } from '../../src/inference/sampling/diffusion.js';
import { encodeText, sampleBase, sampleUpsampler, type TextEmbedding } from '../../src/inference/stages.js';
import { f32, i64, maxAbs, maxAbsDiff, reference, slice, TINY_PACK } from './reference.js';

/** Tolerances (see the report at the end of each suite). */
export const TOL = {
  text: 1e-5, // abs, text encoder outputs
  call: 1e-4, // relative to max|ref|, one graph call
  state: 2e-4, // abs, sampler states after a whole run (x0 of the first step, final x)
};

export function describeParity(label: string, makeBackend: () => Promise<Backend>): void {
  describe(`reference parity on ${label}`, () => {
    const ref = reference();
    const observed: Record<string, number> = {};
    let backend: Backend;
    let pack: ModelPack;
    const sessions: Record<string, Session> = {};
    let text: TextEmbedding;

    beforeAll(async () => {
      backend = await makeBackend();
      pack = await loadPack(TINY_PACK);
      for (const stage of ['textEncoder', 'base', 'upsampler'] as const) {
        const { bytes, file } = await pack.readFile(stage, 'fp32');
        sessions[stage] = await backend.createSession(bytes, file.path);
      }
      const tokens = i64(ref.tokens);
      text = await encodeText(sessions.textEncoder!, tokens, f32(ref.mask), ref.prompts.length);
    }, 60_000);

    afterAll(async () => {
      for (const s of Object.values(sessions)) await s.release();
      const rows = Object.entries(observed).map(([k, v]) => `  ${k.padEnd(28)} ${v.toExponential(2)}`);
      console.log(`max error observed on ${label} (${backend?.reason}):\n${rows.join('\n')}`);
    });

    it('text encoder outputs match (abs 1e-5)', () => {
      const p = maxAbsDiff(text.xfProj, f32(ref.xf_proj));
      const o = maxAbsDiff(text.xfOut, f32(ref.xf_out));
      observed['text xf_proj (abs)'] = p;
      observed['text xf_out (abs)'] = o;
      expect(text.outDims).toEqual(ref.xf_out.shape);
      expect(p).toBeLessThan(TOL.text);
      expect(o).toBeLessThan(TOL.text);
    });

    for (const stage of ['base', 'upsampler'] as const) {
      it(`${stage}_call out matches (rel 1e-4 of max|ref|)`, async () => {
        const call = ref[`${stage}_call`];
        const feeds: Feeds = {};
        for (const [k, v] of Object.entries(call.inputs)) feeds[k] = { type: 'float32', data: f32(v), dims: v.shape };
        const out = await sessions[stage]!.run(feeds);
        const want = f32(call.out);
        expect(out.out!.dims).toEqual(call.out.shape);
        const rel = maxAbsDiff(out.out!.data as Float32Array, want) / maxAbs(want);
        observed[`${stage}_call out (rel)`] = rel;
        expect(rel).toBeLessThan(TOL.call);
      });
    }

    for (const run of ref.base_runs) {
      it(`base run ${run.name} (${run.sampler}, ${run.respacing}) matches x0_first and out (abs 2e-4)`, async () => {
        const S = pack.manifest.base.resolution;
        const size = 3 * S * S;
        const noises = f32(run.noises);
        const x0s: Float32Array[] = [];
        const out = await sampleBase({
          session: sessions.base!,
          resolution: S,
          batch: 1,
          text,
          phases: [{ until: Infinity, cond: [run.prompt], uncond: run.uncondPrompt }],
          guidance: run.guidance,
          dynamicThreshold: run.dynamicThreshold,
          sampler: run.sampler,
          eta: run.eta,
          diffusion: diffusionFor(pack.manifest.base.schedule, run.respacing),
          xT: f32(run.x_T),
          noise: (k) => slice(noises, k, size),
          inpaint: run.inpaint_image ? { image: f32(run.inpaint_image), mask: f32(run.inpaint_mask!) } : undefined,
          start: run.init_image ? { image: f32(run.init_image), strength: run.strength! } : undefined,
          onStep: (_k, _n, x0) => x0s.push(x0),
        });
        const e0 = maxAbsDiff(x0s[0]!, f32(run.x0_first));
        const e = maxAbsDiff(out, f32(run.out));
        observed[`${run.name} x0_first`] = e0;
        observed[`${run.name} out`] = e;
        expect(e0).toBeLessThan(TOL.state);
        expect(e).toBeLessThan(TOL.state);
      });
    }

    /** The reference upsampler run (same inputs both times), with or without low-res consistency. */
    const upsamplerRun = (lowResConsistency: boolean, consistencyPasses = 0, strength = 1) => {
      const u = ref.upsampler_run;
      const m = pack.manifest.upsampler;
      return sampleUpsampler({
        session: sessions.upsampler!,
        resolution: m.resolution,
        lowResolution: m.lowResolution,
        batch: 1,
        lowRes: f32(u.low_res),
        augLevel: u.augLevel,
        augNoise: f32(u.aug_noise),
        noise: f32(u.noise),
        temperature: u.temperature,
        sampler: u.sampler,
        diffusion: diffusionFor(m.schedule, lowResConsistency ? ref.upsampler_run_consistent.respacing : u.respacing),
        lowResConsistency,
        consistencyPasses,
        strength,
      });
    };

    it('upsampler run matches low_res_augmented and out (abs 2e-4)', async () => {
      const u = ref.upsampler_run;
      const { out, lowAugmented } = await upsamplerRun(false);
      const ea = maxAbsDiff(lowAugmented, f32(u.low_res_augmented));
      const e = maxAbsDiff(out, f32(u.out));
      observed['upsampler low_res_augmented'] = ea;
      observed['upsampler out'] = e;
      expect(ea).toBeLessThan(1e-6);
      expect(e).toBeLessThan(TOL.state);
    });

    it('upsampler run with low-res consistency matches (abs 2e-4)', async () => {
      const { out } = await upsamplerRun(true);
      const e = maxAbsDiff(out, f32(ref.upsampler_run_consistent.out));
      observed['upsampler consistent out'] = e;
      expect(e).toBeLessThan(TOL.state);
      // and it differs from the plain run: the option does something
      expect(maxAbsDiff(out, f32(ref.upsampler_run.out))).toBeGreaterThan(1e-3);
    });

    it('upsampler run with smooth consistency passes matches (abs 2e-4)', async () => {
      const r = ref.upsampler_run_smooth;
      const { out } = await upsamplerRun(true, r.passes);
      const e = maxAbsDiff(out, f32(r.out));
      observed['upsampler smooth-consistent out'] = e;
      expect(e).toBeLessThan(TOL.state);
      // the engine's bicubic resize and the reference's matrix smooth alike, and differently
      // from the block-wise correction alone
      expect(maxAbsDiff(out, f32(ref.upsampler_run_consistent.out))).toBeGreaterThan(1e-3);
    });

    it('upsampler img2img start (strength < 1) matches (abs 2e-4)', async () => {
      const r = ref.upsampler_run_strength;
      const { out } = await upsamplerRun(true, r.passes, r.strength);
      const e = maxAbsDiff(out, f32(r.out));
      observed['upsampler strength out'] = e;
      expect(e).toBeLessThan(TOL.state);
      expect(maxAbsDiff(out, f32(ref.upsampler_run_smooth.out))).toBeGreaterThan(1e-3);
    });
  });
}
