/**
 * JSON schema of model.json, format version 1, written from docs/model-pack.md (the
 * normative contract), and the translation of schema errors into plain sentences.
 */

import { MAX_CANDIDATES } from './limits.js';

/** Format id and the versions this reader knows. */
export const PACK_FORMAT = 'diffusion-layers-pack';
export const PACK_FORMAT_VERSIONS = [1] as const;

const dim = {
  // a fixed size, or the dynamic batch axis
  anyOf: [{ type: 'integer', minimum: 0 }, { const: 'batch' }],
};

const io = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    required: ['name', 'type', 'dims'],
    properties: {
      name: { type: 'string', minLength: 1 },
      type: { enum: ['float32', 'float16', 'int64', 'int32', 'bool'] },
      dims: { type: 'array', items: dim },
    },
  },
};

const file = {
  type: 'object',
  required: ['precision', 'path', 'bytes', 'sha256'],
  properties: {
    precision: { enum: ['fp32', 'fp16'] },
    path: { type: 'string', minLength: 1, pattern: '^(?!/)(?!.*\\.\\.)' },
    bytes: { type: 'integer', minimum: 1 },
    sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  },
};

const files = { type: 'array', minItems: 1, items: file };

const schedule = {
  type: 'object',
  required: ['kind', 'trainingSteps', 'prediction', 'learnedSigma'],
  properties: {
    kind: { enum: ['squaredcos_cap_v2', 'linear'] },
    trainingSteps: { type: 'integer', minimum: 2 },
    prediction: { const: 'epsilon' },
    learnedSigma: { const: true },
  },
};

const stage = (extra: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  required: ['files', 'inputs', 'outputs', ...required],
  properties: { files, inputs: io, outputs: io, ...extra },
});

const sampler = { enum: ['ddim', 'dpmpp2m', 'ddpm'] };
const strength = { type: 'number', exclusiveMinimum: 0, maximum: 1 };

export const packSchema = {
  type: 'object',
  required: [
    'format', 'formatVersion', 'name', 'license', 'tokenizer', 'textEncoder', 'base', 'upsampler', 'defaults',
  ],
  properties: {
    format: { const: PACK_FORMAT },
    formatVersion: { type: 'integer' },
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    license: { type: 'string', minLength: 1 },
    config: { type: 'string' },
    attribution: {
      type: 'array',
      items: {
        type: 'object',
        required: ['source', 'license'],
        properties: { source: { type: 'string' }, license: { type: 'string' }, notice: { type: 'string' } },
      },
    },
    tokenizer: {
      type: 'object',
      required: ['type', 'encoding', 'lowercase', 'contextLength', 'padId'],
      properties: {
        type: { const: 'gpt2-bpe' },
        encoding: { const: 'r50k_base' },
        lowercase: { type: 'boolean' },
        contextLength: { type: 'integer', minimum: 1 },
        padId: { type: 'integer', minimum: 0 },
        remap: { type: 'array', items: { type: 'integer', minimum: 0 } },
        unknownId: { type: 'integer', minimum: 0 },
      },
    },
    textEncoder: stage(
      { width: { type: 'integer', minimum: 1 }, projDim: { type: 'integer', minimum: 1 } },
      ['width', 'projDim'],
    ),
    base: stage(
      {
        resolution: { type: 'integer', minimum: 1 },
        textConditioned: { const: true },
        inpainting: { type: 'boolean' },
        schedule,
      },
      ['resolution', 'schedule'],
    ),
    upsampler: stage(
      {
        resolution: { type: 'integer', minimum: 1 },
        lowResolution: { type: 'integer', minimum: 1 },
        textConditioned: { type: 'boolean' },
        conditioningAugmentation: { type: 'boolean' },
        note: { type: 'string', minLength: 1, maxLength: 500 },
        schedule,
      },
      ['resolution', 'lowResolution', 'textConditioned', 'schedule'],
    ),
    defaults: {
      type: 'object',
      required: ['sampler', 'steps', 'guidance'],
      properties: {
        sampler,
        steps: { type: 'integer', minimum: 1 },
        guidance: { type: 'number', minimum: 0 },
        dynamicThreshold: { anyOf: [{ type: 'number', exclusiveMinimum: 0, maximum: 1 }, { type: 'null' }] },
        upsamplerSampler: sampler,
        upsamplerSteps: { type: 'integer', minimum: 1 },
        augLevel: { type: 'number', minimum: 0, maximum: 1 },
        upsamplerTemperature: { type: 'number', exclusiveMinimum: 0 },
        upsamplerLowResConsistency: { type: 'boolean' },
        upsamplerConsistencyPasses: { type: 'integer', minimum: 0, maximum: 16 },
        upscaleStrength: {
          anyOf: [
            strength,
            { type: 'object', required: ['photo', 'graphic'], additionalProperties: false, properties: { photo: strength, graphic: strength } },
          ],
        },
        candidates: { type: 'integer', minimum: 1, maximum: MAX_CANDIDATES },
      },
    },
    subjects: {
      type: 'array',
      maxItems: 100_000,
      items: { type: 'string', minLength: 1, maxLength: 500 },
    },
    relatedWords: {
      type: 'object',
      maxProperties: 200_000,
      propertyNames: { pattern: '^[a-z][a-z-]*[a-z]$', maxLength: 60 },
      additionalProperties: {
        type: 'array',
        minItems: 1,
        maxItems: 16,
        uniqueItems: true,
        items: { type: 'integer', minimum: 0 },
      },
    },
    reranker: {
      type: 'object',
      required: ['files', 'inputs', 'outputs', 'imageSize', 'embedDim'],
      properties: {
        files,
        inputs: io,
        outputs: io,
        imageSize: { type: 'integer', minimum: 1 },
        embedDim: { type: 'integer', minimum: 1 },
      },
    },
  },
} as const;

/** The subset of an ajv ErrorObject we read (keeps ajv's types out of callers). */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** `/base/files/0/bytes` -> `base.files[0].bytes`; the root is `(top level)`. */
export function fieldName(instancePath: string, child?: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (child !== undefined) parts.push(child);
  if (parts.length === 0) return '(top level)';
  return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

const list = (v: unknown) => (Array.isArray(v) ? v.map((x) => JSON.stringify(x)).join(' or ') : String(v));

/** One plain sentence per schema error: the field, what was expected. */
export function describeSchemaError(e: SchemaError): string {
  const p = e.params;
  switch (e.keyword) {
    case 'required':
      return `${fieldName(e.instancePath, String(p.missingProperty))} is missing`;
    case 'type':
      return `${fieldName(e.instancePath)} should be ${/^[aeiou]/.test(String(p.type)) ? 'an' : 'a'} ${String(p.type)}`;
    case 'const':
      return `${fieldName(e.instancePath)} should be ${JSON.stringify(p.allowedValue)}`;
    case 'enum':
      return `${fieldName(e.instancePath)} should be one of ${list(p.allowedValues)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${fieldName(e.instancePath)} should be ${String(p.comparison)} ${String(p.limit)}`;
    case 'minItems':
      return `${fieldName(e.instancePath)} should have at least ${String(p.limit)} entr${p.limit === 1 ? 'y' : 'ies'}`;
    case 'minLength':
      return `${fieldName(e.instancePath)} should not be empty`;
    case 'pattern':
      return `${fieldName(e.instancePath)} has an unexpected form (expected to match ${String(p.pattern)})`;
    default:
      return `${fieldName(e.instancePath)} ${e.message ?? 'is not valid'}`;
  }
}

/**
 * Sentences for a list of ajv errors; drops the noise of `anyOf` branches (ajv reports
 * each failed branch and then the anyOf itself) keeping the anyOf line.
 */
export function describeSchemaErrors(errors: readonly SchemaError[]): string[] {
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const out: string[] = [];
  for (const e of errors) {
    if (e.keyword !== 'anyOf' && anyOfPaths.has(e.instancePath)) continue;
    const s = e.keyword === 'anyOf' ? `${fieldName(e.instancePath)} has an unexpected type or value` : describeSchemaError(e);
    if (!out.includes(s)) out.push(s);
  }
  return out;
}
