/**
 * The `diffusion-layers` command: generate, inpaint, expand, upscale, info. `main` returns the exit
 * code: 0 ok, 2 usage, 3 model problem, 4 input problem, 5 runtime failure, 130 cancelled.
 */
import { Command, CommanderError, Option } from 'commander';
import { InputError, isDiffusionError, type AbortSignalLike } from '../inference/errors.js';
import { loadPack } from '../inference/pack.js';
import { Engine, type JobResult } from '../inference/pipeline.js';
import { phaseList } from '../inference/prompt-schedule.js';
import { composedList } from '../inference/prompt-compose.js';
import { DEFAULT_INIT_STRENGTH, type SamplingRequest } from '../inference/requests.js';
import { DEFAULT_CONTEXT_MARGIN, SEAM_REACH_WITH_PROMPT } from '../inference/jobs/inpaint.js';
import { MAX_ASPECT } from '../inference/aspect.js';
import {
  EXPAND_DIRECTIONS,
  EXPAND_START_STRENGTH,
  expandCanvas,
  expandSides,
  MAX_EXPAND,
  TRANSPARENT_EDGES_MESSAGE,
  transparentEdges,
  type ExpandDirection,
} from '../inference/expand.js';
import { runBench } from './bench.js';
import { maskFromRgba, numbered, readPng, readPngText, writePng } from './png.js';
import { progressPrinter, type Output } from './progress.js';
import { parseRecord } from '../inference/run-record-check.js';
import { APP_VERSION as VERSION, PARAMETERS_KEY, parametersText, RECORD_KEY, recordText, runRecord, type RunFacts, type RunRecord } from '../inference/run-record.js';
import { BACKENDS, createBackend, resolveModel, type CliBackend } from './runtime.js';
import { liftSubjects, padSubjects } from './lift.js';
import { int, threshold, strength, baseStrength, detail, seamReach, aspect, num } from './option-values.js';


export const EXIT = { ok: 0, usage: 2, model: 3, input: 4, runtime: 5, cancelled: 130 } as const;

export interface CliIo {
  stdout: Output;
  stderr: Output;
  /** fired on Ctrl-C */
  signal?: AbortSignalLike;
}

interface CommonOpts { model?: string; backend: CliBackend; threads?: number; quiet?: boolean; recall?: string }
interface SampleOpts extends CommonOpts {
  prompt: string; out: string; seed?: number; steps?: number; guidance?: number; sampler?: SamplingRequest['sampler'];
  count?: number; candidates?: number; negative?: string; upscale: boolean; threshold?: number | 'static'; detail?: number | 'auto';
  upsamplerSteps?: number;
}

function addCommon(c: Command): Command {
  return c
    .option('--model <dir>', 'model pack folder (default: models/default, else the random test pack)')
    .addOption(new Option('--backend <name>', 'onnxruntime to run on').choices([...BACKENDS]).default('cpu'))
    .option('--threads <n>', 'CPU threads', int('--threads', 1))
    .option('-q, --quiet', 'no progress output');
}

/** --recall: every command that writes a record can read one back. */
function addRecall(c: Command): Command {
  return c.option(
    '--recall <picture.png>',
    'make a picture this tool saved again: take the options written into it (prompt, seed, steps, ...); options given here win; ' +
      'pictures it started from (--init, --image, --mask) are given again; of a run of several, only the recalled one is written unless --count is given',
  );
}

function addSampling(c: Command): Command {
  return addRecall(c)
    .option('--prompt <text>', 'what to draw (required unless --recall gives it); (word:1.3) stresses a word, [cat:dog:0.5] switches half way, a AND b composes; check --prompt shows how it is read')
    .requiredOption('--out <file.png>', 'output PNG (numbered out-1.png ... when --count > 1)')
    .option('--negative <text>', 'negative prompt: what to steer away from')
    .option('--seed <n>', 'random seed (default: random, printed)', int('--seed', 0))
    .option('--steps <n>', 'sampling steps', int('--steps', 1))
    .option('--guidance <s>', 'classifier-free guidance scale', num('--guidance'))
    .addOption(new Option('--sampler <name>', 'sampler').choices(['ddim', 'dpmpp2m', 'ddpm']))
    .option('--count <n>', 'images to make', int('--count', 1))
    .option('--candidates <n>', "base images drawn per image; the model's reranker keeps the best (default the pack's)", int('--candidates', 1))
    .option('--threshold <p>', "x0 thresholding: a dynamic-thresholding percentile in (0, 1], or 'static' (clip); default the pack's", threshold)
    .option('--no-upscale', 'stop after the base stage (no 4x upsampler)')
    .option('--upsampler-steps <n>', "steps of the 4x upsampler (default the pack's)", int('--upsampler-steps', 1))
    .option(
      '--detail <n>',
      "upscale each result again by this whole number (2 up to the upsampler's factor), tiled: larger, sharper pictures. " +
        "inpaint: a sharper fill of a large area; its default 'auto' does so when the area filled is at least 1.5 times the model's output",
      detail,
    );
}

function samplingRequest(o: SampleOpts): SamplingRequest {
  return {
    prompt: o.prompt, negativePrompt: o.negative, seed: o.seed, steps: o.steps, guidance: o.guidance, sampler: o.sampler,
    count: o.count, candidates: o.candidates, upscale: o.upscale, upsamplerSteps: o.upsamplerSteps, ...(o.threshold !== undefined ? { dynamicThreshold: o.threshold === 'static' ? null : o.threshold } : {}),
  };
}

/** The result with each picture's plain background made transparent; one kept as drawn is named in a warning. */
function hint(code: string, backend: CliBackend): string {
  if (code.startsWith('MODEL_')) return 'check --model: it must be a folder with model.json and the .onnx files it lists';
  if (code === 'OUT_OF_MEMORY') return 'try a smaller --count or a smaller image';
  if (code.startsWith('BACKEND_')) return `try another backend, e.g. --backend ${backend === 'cpu' ? 'wasm' : 'cpu'}`;
  return '';
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const say = (s: string) => io.stderr.write(`${s}\n`);
  let backendName: CliBackend = 'cpu';
  let printer: ReturnType<typeof progressPrinter> | undefined;
  const progress = (quiet?: boolean) => (printer = progressPrinter(io.stderr, quiet));

  async function open(o: CommonOpts): Promise<Engine> {
    backendName = o.backend;
    const model = resolveModel(o.model);
    if (model.note) say(model.note);
    const pack = await loadPack(model.dir);
    const engine = new Engine();
    const info = await engine.load(pack, { backend: await createBackend(o.backend, o.threads) });
    if (!o.quiet) say(`model ${info.pack!.name} on ${info.backend!.reason}`);
    return engine;
  }

  /**
   * Writes the pictures with their record (inference/run-record.ts). `keep` writes only that one (a recall of
   * one picture of a run), to `out` itself.
   */
  async function save(r: JobResult, out: string, o: CommonOpts, facts: Omit<RunFacts, 'app'>, keep?: number): Promise<void> {
    for (const w of r.warnings) say(`warning: ${w}`);
    const which = keep === undefined ? r.images.map((_, i) => i) : [keep];
    for (const i of which) {
      const file = keep === undefined ? numbered(out, i, r.images.length) : out;
      const record = runRecord({ ...facts, app: VERSION }, r, i);
      await writePng(file, r.images[i]!, { [PARAMETERS_KEY]: parametersText(record, r.images[i]!), [RECORD_KEY]: recordText(record) });
      io.stdout.write(`${file}\n`);
    }
    if (!o.quiet) say(`${r.width}x${r.height}, seed ${r.seed}, ${(r.timings.totalMs / 1000).toFixed(1)}s`);
  }

  /**
   * The options with --recall's record under those given on the command line (an option the
   * command lacks, e.g. expand's --by for generate, is skipped), and which picture of the
   * recorded run to keep: the recalled one, unless --count was given.
   */
  async function recall<T extends CommonOpts>(o: T, cmd: Command): Promise<{ o: T; record?: RunRecord; keep?: number }> {
    if (o.recall === undefined) return { o };
    const record = parseRecord(await readPngText(o.recall, RECORD_KEY), o.recall);
    // the same options mean other things to another command (a generate's strength needs --init)
    if (record.command !== cmd.name()) throw new InputError(`${o.recall} was made by ${record.command}: recall it with \`diffusion-layers ${record.command} --recall\``);
    const names = new Set(cmd.options.map((x) => x.attributeName()));
    const merged: Record<string, unknown> = { ...(o as object) };
    for (const [k, v] of Object.entries(record.options)) if (names.has(k) && cmd.getOptionValueSource(k) !== 'cli') merged[k] = v;
    // a fill recorded before the blend had a reach shifted the whole fill
    if (names.has('seamReach') && record.options.seamReach === undefined && cmd.getOptionValueSource('seamReach') !== 'cli') merged.seamReach = 'all';
    const keep = names.has('count') && cmd.getOptionValueSource('count') !== 'cli' ? record.image.index : undefined;
    if (!o.quiet) {
      const which = record.image.of > 1 ? `, picture ${record.image.index + 1} of ${record.image.of}` : '';
      say(`recalled ${record.command} from ${o.recall} (seed ${record.options.seed}${which})`);
    }
    return { o: merged as T, record, keep };
  }

  /** Says when a recalled picture was made with another model: the same options draw something else. */
  function checkRecalledModel(record: RunRecord | undefined, engine: Engine): void {
    const name = engine.info().pack?.name;
    if (record && name !== undefined && record.model !== name) {
      say(`warning: the recalled picture was made with the model "${record.model}", and this is "${name}": the same options draw a different picture`);
    }
  }

  /** --prompt is required unless a recall gave one. */
  function needPrompt(o: { prompt?: string }, cmd: Command): void {
    if (o.prompt === undefined) cmd.error("error: required option '--prompt <text>' not specified (or --recall a picture made with one)");
  }

  const modelName = (engine: Engine) => engine.info().pack?.name ?? 'unknown';

  const program = new Command('diffusion-layers')
    .description('Text-guided diffusion on this machine: generate, inpaint (fill a masked area), upscale 4x')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  addSampling(addCommon(program.command('generate').description('make new images from a prompt, or redraw --init from it')))
    .option('--init <in.png>', 'a picture to start from (its centred square), redrawn from the prompt at --strength')
    .option('--strength <s>', `with --init: how much is redrawn, in (0, 1]; lower keeps more of its colours and layout (default ${DEFAULT_INIT_STRENGTH})`, baseStrength)
    .option('--transparent', 'lift the subject off its plain background: PNGs of the subject alone')
    .option('--aspect <w:h>', `a wide or tall picture (e.g. 16:9, 1:2; at most ${MAX_ASPECT}:1): the square drawn, then its sides drawn on around it`, aspect)
    .action(async (given: SampleOpts & { init?: string; strength?: number; transparent?: boolean; aspect?: number }, cmd: Command) => {
      const { o, record, keep } = await recall(given, cmd);
      needPrompt(o, cmd);
      if (record?.inputs?.init !== undefined && o.init === undefined) {
        throw new InputError(`${o.recall} was redrawn from a picture (${record.inputs.init}): give it again with --init`);
      }
      // a generated picture has no size to cover here: 'auto' would never add detail
      if (o.detail === 'auto') throw new InputError("generate --detail takes a whole number (2 up to the upsampler's factor); 'auto' is for inpaint");
      if (o.strength !== undefined && o.init === undefined) throw new InputError('generate --strength redraws a picture: give it with --init');
      const init = o.init === undefined ? {} : { init: await readPng(o.init) };
      const engine = await open(o);
      checkRecalledModel(record, engine);
      const p = progress(o.quiet);
      // a subject lifted off its background is padded to --aspect with transparency instead of drawn sides (the panel does the same)
      const pad = o.transparent === true && o.aspect !== undefined;
      const r = await engine.generate({ ...samplingRequest(o), ...init, strength: o.strength, detailScale: o.detail, aspect: pad ? undefined : o.aspect }, { signal: io.signal, onProgress: p.onProgress });
      p.done();
      const facts = { command: 'generate', model: modelName(engine), prompt: o.prompt, negative: o.negative, transparent: o.transparent, inputs: { init: o.init }, ...(pad ? { aspect: o.aspect } : {}) } as const;
      await save(o.transparent ? padSubjects(liftSubjects(r), pad ? o.aspect : undefined) : r, o.out, o, facts, keep);
    });

  addSampling(addCommon(program.command('inpaint').description('fill the white area of --mask in --image from a prompt')))
    .requiredOption('--image <in.png>', 'image to edit')
    .requiredOption('--mask <mask.png>', 'same size as --image; white = fill, black = keep')
    .option('--strength <s>', 'how much of the masked area is redrawn, in (0, 1]; below 1 it starts from its own pixels and keeps their shapes and colours (default 1)', baseStrength)
    .option('--context <share>', `how much of the picture around the mask the model sees, a share of the mask's longer side on each side (default ${DEFAULT_CONTEXT_MARGIN})`, num('--context'))
    .addOption(new Option('--blend <how>', "how the fill meets the picture: seamless takes away its step along the mask's edge, feather only feathers").choices(['seamless', 'feather']).default('seamless'))
    .option(
      '--seam-reach <share>',
      `how far the seamless blend reaches into the mask: a share of its shorter side, or 'all' (the whole fill shifts); default 'all' with an empty prompt, ${SEAM_REACH_WITH_PROMPT} with a prompt (an object keeps its colours)`,
      seamReach,
    )
    .action(async (given: SampleOpts & { image: string; mask: string; strength?: number; context?: number; blend: 'seamless' | 'feather'; seamReach?: number | 'all' }, cmd: Command) => {
      const { o, record, keep } = await recall(given, cmd);
      needPrompt(o, cmd);
      const image = await readPng(o.image);
      const maskImg = await readPng(o.mask);
      if (maskImg.width !== image.width || maskImg.height !== image.height) {
        throw new InputError(`${o.mask} is ${maskImg.width}x${maskImg.height} but ${o.image} is ${image.width}x${image.height}; the mask must have the image's size`);
      }
      const engine = await open(o);
      checkRecalledModel(record, engine);
      const p = progress(o.quiet);
      const request = { ...samplingRequest(o), image, mask: maskFromRgba(maskImg), strength: o.strength, detailScale: o.detail ?? 'auto', contextMargin: o.context, blend: o.blend, seamReach: o.seamReach };
      const r = await engine.inpaint(request, { signal: io.signal, onProgress: p.onProgress });
      p.done();
      const facts = { command: 'inpaint', model: modelName(engine), prompt: o.prompt, negative: o.negative, context: o.context ?? DEFAULT_CONTEXT_MARGIN, blend: o.blend, inputs: { image: o.image, mask: o.mask } } as const;
      await save(r, o.out, o, facts, keep);
    });

  addSampling(addCommon(program.command('expand').description('grow the canvas of --image and draw what lies beyond it (outpainting); --prompt "" for none')))
    .requiredOption('--image <in.png>', 'image to expand')
    .option('--by <share>', `how much each grown dimension grows, a share of it above 0 and at most ${MAX_EXPAND}, split between two sides that both grow`, num('--by'), 0.25)
    .addOption(new Option('--sides <which>', 'which sides grow').choices([...EXPAND_DIRECTIONS]).default('all'))
    .option('--strength <s>', "how much of the new border is redrawn, in (0, 1]; below 1 it starts from the picture's edge colour; 1 draws it from noise", baseStrength, EXPAND_START_STRENGTH)
    .addOption(new Option('--blend <how>', "how the new border meets the picture: seamless takes away its step along the picture's edge, feather keeps it as drawn").choices(['seamless', 'feather']).default('seamless'))
    .action(async (given: SampleOpts & { image: string; by: number; sides: ExpandDirection; strength: number; blend: 'seamless' | 'feather' }, cmd: Command) => {
      const { o, record, keep } = await recall(given, cmd);
      needPrompt(o, cmd);
      const source = await readPng(o.image);
      const sides = expandSides(source, o.by, o.sides);
      if (!o.prompt.trim() && transparentEdges(source, sides)) throw new InputError(TRANSPARENT_EDGES_MESSAGE, { details: { name: 'prompt' } });
      const { image, mask } = expandCanvas(source, sides, o.strength < 1 ? 'edge-colour' : 'transparent');
      const engine = await open(o);
      checkRecalledModel(record, engine);
      const p = progress(o.quiet);
      const request = { ...samplingRequest(o), image, mask, strength: o.strength, featherRadius: 0, blend: o.blend, seamReach: 'all' as const, detailScale: o.detail ?? 'auto' };
      const r = await engine.inpaint(request, { signal: io.signal, onProgress: p.onProgress });
      p.done();
      const facts = { command: 'expand', model: modelName(engine), prompt: o.prompt, negative: o.negative, by: o.by, sides: o.sides, blend: o.blend, inputs: { image: o.image } } as const;
      await save(r, o.out, o, facts, keep);
    });

  addRecall(addCommon(program.command('upscale').description('upscale --image 4x with the diffusion upsampler')))
    .requiredOption('--image <in.png>', 'image to upscale')
    .requiredOption('--out <file.png>', 'output PNG')
    .option('--seed <n>', 'random seed', int('--seed', 0))
    .option('--steps <n>', 'upsampler steps', int('--steps', 1))
    .option(
      '--strength <s>',
      "how much is redrawn, in (0, 1]: 1 starts from noise; lower keeps more of the image and runs that share of the steps (faithful to photographs, faster); " +
        "'auto': the pack's strength for photographs or for flat-coloured art, whichever the picture looks like; default the pack's",
      strength,
    )
    .option('--scale <x>', "output size / input size, above 1 and at most the upsampler's factor (default: the factor, 4x); less is shrunk from it by area averaging", num('--scale'))
    .action(async (given: CommonOpts & { image: string; out: string; seed?: number; steps?: number; strength?: number | 'auto'; scale?: number }, cmd: Command) => {
      const { o, record } = await recall(given, cmd);
      const image = await readPng(o.image);
      const engine = await open(o);
      checkRecalledModel(record, engine);
      // what the pack's makers say about its upsampler (e.g. trained on emoji, not for photographs)
      const note = engine.info().pack?.upscaleNote;
      if (note && !o.quiet) say(`note: ${note}`);
      const p = progress(o.quiet);
      const r = await engine.upscale({ image, seed: o.seed, steps: o.steps, strength: o.strength, scale: o.scale }, { signal: io.signal, onProgress: p.onProgress });
      p.done();
      const c = r.upscale?.content;
      if (c && !o.quiet) {
        const looks = c.kind === 'photo' ? 'a photograph' : 'flat-coloured art';
        say(`strength ${r.upscale!.strength}: the picture looks like ${looks} (${Math.round(100 * c.flatShare)} % flat; --strength overrides)`);
      }
      await save(r, o.out, o, { command: 'upscale', model: modelName(engine), inputs: { image: o.image } });
    });

  addCommon(program.command('info').description('show the model pack and the backend')).action(async (o: CommonOpts) => {
    const info = (await open({ ...o, quiet: true })).info();
    io.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
  });

  addCommon(program.command('check').description("what the model makes of a prompt: tokens, words it has not learnt, matching subjects, weighted words"))
    .requiredOption('--prompt <text>', 'the prompt to check')
    .action(async (o: CommonOpts & { prompt: string }) => {
      const c = (await open({ ...o, quiet: true })).checkPrompt(o.prompt);
      io.stdout.write(`${c.tokens} / ${c.maxTokens} tokens${c.truncated ? ' (the rest is ignored)' : ''}\n`);
      if (c.unknownWords.length) io.stdout.write(`not learnt by this model: ${c.unknownWords.join(', ')}\n`);
      if (c.suggestions.length) io.stdout.write(`${c.suggestionsNear ? `subjects it knows for "${c.suggestionsNear}"` : 'subjects it knows'}: ${c.suggestions.join('; ')}\n`);
      if (c.weighted) io.stdout.write(`weighted: ${c.weighted.map((w) => `${w.text} x${Number(w.weight.toFixed(2))}`).join(', ')}\n`);
      if (c.composed) io.stdout.write(`composed: ${composedList(c.composed)}\n`);
      if (c.phases) io.stdout.write(`changes during the run (over ${c.phaseSteps} steps): ${phaseList(c.phases)}\n`);
      if (c.ignoredTags) io.stdout.write(`left out (no LoRAs here): ${c.ignoredTags.join(' ')}\n`);
      if (c.weightProblem) io.stdout.write(`cannot run: ${c.weightProblem}\n`);
    });

  program
    .command('show')
    .description('print what made a PNG (its parameters, and the command that makes it again); --json: its record')
    .argument('<picture.png>')
    .option('--json', 'print the record as JSON (checked)')
    .action(async (file: string, o: { json?: boolean }) => {
      const json = await readPngText(file, RECORD_KEY);
      const text = await readPngText(file, PARAMETERS_KEY);
      if (o.json || text === undefined) {
        // parseRecord words the refusal when there is no record at all
        const r = parseRecord(json, file);
        io.stdout.write(o.json ? `${JSON.stringify(r, null, 2)}\n` : `${parametersText(r, { width: 0, height: 0 }).replace(/, Size: 0x0/, '')}\n`);
        if (o.json) return;
      } else {
        // tEXt holds the bytes the writer gave it: UTF-8 from this tool and most others
        io.stdout.write(`${Buffer.from(text, 'latin1').toString('utf8')}\n`);
      }
      if (json === undefined) {
        io.stdout.write('(no Diffusion Layers record: made by another tool, so --recall cannot make it again)\n');
        return;
      }
      const r = parseRecord(json, file);
      const inputs = Object.entries(r.inputs ?? {}).map(([k, v]) => ` --${k} <${v}>`).join('');
      io.stdout.write(`make it again: diffusion-layers ${r.command} --recall ${file}${inputs} --out <file.png>\n`);
    });

  program
    .command('subjects')
    .description('list what the model was trained to draw, one subject a line (grep it)')
    .option('--model <dir>', 'model pack folder')
    .action(async (o: { model?: string }) => {
      const model = resolveModel(o.model);
      if (model.note) say(model.note);
      const subjects = (await loadPack(model.dir)).manifest.subjects ?? [];
      if (!subjects.length) say('this model pack lists no subjects');
      for (const s of subjects) io.stdout.write(`${s}\n`);
    });

  program
    .command('bench')
    .description('time one backend on a pack (scripts/bench.mjs runs every backend)')
    .option('--model <dir>', 'model pack folder')
    .addOption(new Option('--backend <name>', 'onnxruntime to run on').choices([...BACKENDS]).default('cpu'))
    .option('--threads <n>', 'threads', int('--threads', 1))
    .option('--json', 'print one JSON object')
    .action(async (o: CommonOpts & { json?: boolean }) => {
      backendName = o.backend;
      const model = resolveModel(o.model);
      if (model.note && !o.json) say(model.note);
      const label = `${o.backend}${o.threads ? ` ${o.threads}t` : ''}`;
      const r = await runBench(model.dir, await createBackend(o.backend, o.threads), label);
      io.stdout.write(o.json ? `${JSON.stringify(r)}\n` : `${JSON.stringify(r, null, 2)}\n`);
    });

  try {
    if (argv.length === 0) {
      program.outputHelp({ error: true });
      return EXIT.usage;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    printer?.done();
    if (isDiffusionError(e)) {
      if (e.code === 'CANCELLED') {
        say('cancelled');
        return EXIT.cancelled;
      }
      say(`error: ${e.message}`);
      const h = hint(e.code, backendName);
      if (h) say(`hint: ${h}`);
      if (e.code.startsWith('MODEL_')) return EXIT.model;
      if (e.code === 'INPUT_INVALID') return EXIT.input;
      return EXIT.runtime;
    }
    say(`error: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.runtime;
  }
}
