/**
 * Reading a run record back (the CLI's --recall, the worker for the panel's Recall): the record's
 * JSON checked against its schema with ajv. Apart from run-record.ts so that the panel, which
 * only writes records, does not bundle the schema checker.
 */
import { InputError } from './errors.js';
import { EXPAND_DIRECTIONS } from './expand.js';
import { RECORD_FORMAT, RECORD_VERSION, RECORDED_COMMANDS, type RunRecord } from './run-record.js';
import { SAMPLER_NAMES } from './sampling/samplers.js';
import { schemaChecker } from './schema-check.js';

const recordSchema = {
  type: 'object',
  required: ['format', 'version', 'app', 'model', 'command', 'options', 'image'],
  properties: {
    format: { const: RECORD_FORMAT },
    version: { type: 'integer' },
    app: { type: 'string' },
    model: { type: 'string' },
    command: { enum: [...RECORDED_COMMANDS] },
    options: {
      type: 'object',
      required: ['seed', 'steps', 'sampler'],
      properties: {
        prompt: { type: 'string' },
        negative: { type: 'string' },
        seed: { type: 'integer' },
        steps: { type: 'integer', minimum: 1 },
        sampler: { enum: [...SAMPLER_NAMES] },
        guidance: { type: 'number' },
        count: { type: 'integer', minimum: 1 },
        candidates: { type: 'integer', minimum: 1 },
        threshold: { anyOf: [{ type: 'number', exclusiveMinimum: 0, maximum: 1 }, { const: 'static' }] },
        upscale: { type: 'boolean' },
        upsamplerSteps: { type: 'integer', minimum: 1 },
        detail: { type: 'integer', minimum: 1 },
        strength: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
        transparent: { type: 'boolean' },
        by: { type: 'number', exclusiveMinimum: 0 },
        sides: { enum: [...EXPAND_DIRECTIONS] },
        scale: { type: 'number', exclusiveMinimum: 1 },
        context: { type: 'number', minimum: 0 },
        blend: { enum: ['seamless', 'feather'] },
        seamReach: { anyOf: [{ type: 'number', exclusiveMinimum: 0 }, { const: 'all' }] },
        aspect: { type: 'number', exclusiveMinimum: 0 },
      },
    },
    image: {
      type: 'object',
      required: ['index', 'of'],
      properties: { index: { type: 'integer', minimum: 0 }, of: { type: 'integer', minimum: 1 } },
    },
    inputs: { type: 'object', additionalProperties: { type: 'string' } },
  },
} as const;

const recordProblems = schemaChecker(recordSchema);

/** The record in a PNG's "diffusion-layers" chunk, checked; `file` names the picture in messages. */
export function parseRecord(text: string | undefined, file: string): RunRecord {
  if (text === undefined) {
    throw new InputError(`${file} has no Diffusion Layers record: it was not made by this tool, or its metadata was removed since (many editors and sites strip it)`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: its Diffusion Layers record is not valid JSON (${(e as Error).message})`, { cause: e });
  }
  const version = (doc as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > RECORD_VERSION) {
    throw new InputError(`${file} was made by a newer Diffusion Layers (record version ${version}; this one reads ${RECORD_VERSION}): update it to recall the picture`);
  }
  const problems = recordProblems(doc);
  if (problems.length) throw new InputError(`${file}: its Diffusion Layers record is damaged: ${problems.join('; ')}`);
  const r = doc as RunRecord;
  if (r.image.index >= r.image.of) throw new InputError(`${file}: its Diffusion Layers record is damaged: image.index ${r.image.index} is not below image.of ${r.image.of}`);
  return r;
}
