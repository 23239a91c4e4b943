/**
 * Loading a model pack (docs/model-pack.md) from a directory (Node), a URL prefix (fetch,
 * cached with the Cache API where there is one) or an in-memory file map; model.json is
 * validated against the schema, and every model file's size and sha256 are checked when read.
 */
import { ModelError } from './errors.js';
import { packSchema, PACK_FORMAT, PACK_FORMAT_VERSIONS } from './pack-schema.js';
import { schemaChecker } from './schema-check.js';
import { REQUIRED_INPUTS, type PackFile, type PackManifest, type Precision, type StageName } from './pack-types.js';
import { fileReader, type PackSource, type ReadFile } from './pack-source.js';

export type { PackSource } from './pack-source.js';
export type * from './pack-types.js';

export interface LoadPackOptions {
  /** Cache API cache name for URL packs (default 'diffusion-layers-models'; false: no cache) */
  cache?: string | false;
  /** check sha256 of every file read (default true; `bytes` is always checked) */
  verifyHash?: boolean;
}

export interface ModelPack {
  readonly manifest: PackManifest;
  /** where the pack came from, for messages */
  readonly location: string;
  /**
   * The bytes of `stage`'s file in `precision` (fp32 when the pack has no file of that
   * precision), size and hash checked. `file` says which file was read.
   */
  readFile(stage: StageName, precision?: Precision): Promise<{ bytes: Uint8Array; file: PackFile }>;
}

const packProblems = schemaChecker(packSchema);

/** Checks a parsed model.json; throws MODEL_VERSION / MODEL_INVALID with plain sentences. */
export function validateManifest(doc: unknown, where = 'model.json'): PackManifest {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new ModelError('MODEL_INVALID', `${where}: expected a JSON object at the top level`);
  }
  const d = doc as Record<string, unknown>;
  if (d.format !== PACK_FORMAT) {
    throw new ModelError('MODEL_INVALID', `${where}: format is ${JSON.stringify(d.format)}; expected "${PACK_FORMAT}"`, {
      details: { field: 'format' },
    });
  }
  if (!(PACK_FORMAT_VERSIONS as readonly unknown[]).includes(d.formatVersion)) {
    throw new ModelError(
      'MODEL_VERSION',
      `${where}: formatVersion is ${JSON.stringify(d.formatVersion)}, but this version of Diffusion Layers reads version ${PACK_FORMAT_VERSIONS.join(', ')}; use a pack made for it or update the plugin`,
      { details: { field: 'formatVersion', found: d.formatVersion, expected: [...PACK_FORMAT_VERSIONS] } },
    );
  }
  const sentences = packProblems(doc);
  if (sentences.length) {
    throw new ModelError('MODEL_INVALID', `${where}: ${sentences.join('; ')}`, {
      details: { errors: sentences },
    });
  }
  const m = doc as PackManifest;
  const problems: string[] = [];
  for (const [stage, names] of Object.entries(REQUIRED_INPUTS) as [keyof typeof REQUIRED_INPUTS, readonly string[]][]) {
    const have = new Set(m[stage].inputs.map((i) => i.name));
    const missing = names.filter((n) => !have.has(n));
    if (missing.length) problems.push(`${stage}.inputs lacks ${missing.join(', ')} (expected ${names.join(', ')})`);
  }
  if (m.upsampler.resolution !== 4 * m.upsampler.lowResolution) {
    problems.push(`upsampler.resolution is ${m.upsampler.resolution}; expected 4 x lowResolution (${4 * m.upsampler.lowResolution})`);
  }
  if (m.tokenizer.remap && m.tokenizer.unknownId !== undefined && m.tokenizer.unknownId !== m.tokenizer.remap.length) {
    problems.push(`tokenizer.unknownId is ${m.tokenizer.unknownId}; expected remap.length (${m.tokenizer.remap.length})`);
  }
  if ((m.defaults.candidates ?? 1) > 1 && !m.reranker) {
    problems.push(`defaults.candidates is ${m.defaults.candidates}, but the pack has no reranker to choose among them`);
  }
  if (m.relatedWords) {
    const count = m.subjects?.length ?? 0;
    const outside = Object.entries(m.relatedWords).find(([, ids]) => ids.some((i) => i >= count));
    if (outside) problems.push(`relatedWords.${outside[0]} names subject ${Math.max(...outside[1])}, but subjects has ${count}`);
  }
  if (problems.length) throw new ModelError('MODEL_INVALID', `${where}: ${problems.join('; ')}`, { details: { errors: problems } });
  return m;
}

const hex = (buf: ArrayBuffer) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('WebCrypto (crypto.subtle) is not available');
  return hex(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

/** Opens a pack and validates model.json; model files are read (and checked) on demand. */
export async function loadPack(source: PackSource, options: LoadPackOptions = {}): Promise<ModelPack> {
  const { read, location } = await fileReader(source, options.cache === undefined ? 'diffusion-layers-models' : options.cache);
  const raw = await read('model.json');
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(raw));
  } catch (e) {
    throw new ModelError('MODEL_INVALID', `model.json in ${location} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  const manifest = validateManifest(doc);
  const verifyHash = options.verifyHash !== false;
  return {
    manifest,
    location,
    readFile: (stage, precision = 'fp32') => readStageFile(manifest, read, stage, precision, verifyHash),
  };
}

async function readStageFile(m: PackManifest, read: ReadFile, stage: StageName, precision: Precision, verifyHash: boolean) {
  const entry = m[stage];
  if (!entry) throw new ModelError('MODEL_INVALID', `model.json has no ${stage} stage`, { details: { field: stage } });
  const file = entry.files.find((f) => f.precision === precision) ?? entry.files.find((f) => f.precision === 'fp32');
  if (!file) {
    throw new ModelError('MODEL_INVALID', `model.json ${stage}.files has no ${precision} or fp32 file`, {
      details: { field: `${stage}.files` },
    });
  }
  const bytes = await read(file.path, (b) => verifyFile(file, b, verifyHash), file.sha256);
  return { bytes, file };
}

async function verifyFile(file: PackFile, bytes: Uint8Array, verifyHash: boolean): Promise<void> {
  if (bytes.byteLength !== file.bytes) {
    throw new ModelError(
      'MODEL_CORRUPT',
      `${file.path} has ${bytes.byteLength} bytes; model.json says ${file.bytes} (incomplete download or wrong file)`,
      { details: { file: file.path, expected: file.bytes, found: bytes.byteLength } },
    );
  }
  if (verifyHash && globalThis.crypto?.subtle) {
    const found = await sha256Hex(bytes);
    if (found !== file.sha256) {
      throw new ModelError('MODEL_CORRUPT', `${file.path} has sha256 ${found}; model.json says ${file.sha256} (the file is damaged or from another pack)`, {
        details: { file: file.path, expected: file.sha256, found },
      });
    }
  }
}
