/**
 * Reading a model pack from disk with UXP's storage API, for when the webview cannot fetch it
 * by URL: the panel reads model.json and the files its stages list, and the bytes go to the
 * engine as `{ files }` over the bridge. The plugin's own folder needs no permission; a folder
 * the user picks needs `requiredPermissions.localFileSystem: "request"`.
 */
import type { UxpFile, UxpFolder, UxpModule } from './modules.js';

/** Stages of model.json that list files (docs/model-pack.md). */
const STAGES = ['textEncoder', 'base', 'upsampler', 'reranker'] as const;

export interface PackFiles {
  files: Record<string, Uint8Array>;
  name?: string;
}

type PackManifest = Record<string, unknown>;

/** The pack-relative paths of the files model.json's stages list (model.json not included). */
export function listPackFiles(manifest: PackManifest): string[] {
  const out: string[] = [];
  for (const stage of STAGES) {
    const entry = manifest[stage] as { files?: { path?: unknown }[] } | undefined;
    for (const f of entry?.files ?? []) if (typeof f.path === 'string' && !out.includes(f.path)) out.push(f.path);
  }
  return out;
}

export function parsePackManifest(text: string, where: string): PackManifest {
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as PackManifest;
    throw new Error('expected an object');
  } catch (e) {
    throw new Error(`The model pack at ${where}: model.json is not valid JSON (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
}

async function readBytes(uxp: UxpModule, folder: UxpFolder, path: string): Promise<Uint8Array> {
  let entry: UxpFile | UxpFolder;
  try {
    entry = await folder.getEntry(path);
  } catch (e) {
    throw new Error(`The model pack in "${folder.name}" has no ${path} (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  if (!entry.isFile) throw new Error(`The model pack in "${folder.name}": ${path} is a folder, expected a file`);
  const data = await (entry as UxpFile).read({ format: uxp.storage.formats.binary });
  if (typeof data === 'string') throw new Error(`The model pack in "${folder.name}": ${path} was read as text, expected bytes`);
  return new Uint8Array(data);
}

/** model.json and every file its stages list, by their pack-relative paths. */
export async function readPackFolder(uxp: UxpModule, folder: UxpFolder): Promise<PackFiles> {
  const manifestBytes = await readBytes(uxp, folder, 'model.json');
  const text =
    typeof TextDecoder !== 'undefined'
      ? new TextDecoder().decode(manifestBytes)
      : String(await ((await folder.getEntry('model.json')) as UxpFile).read({ format: uxp.storage.formats.utf8 }));
  const manifest = parsePackManifest(text, `"${folder.name}"`);
  const files: Record<string, Uint8Array> = { 'model.json': manifestBytes };
  for (const path of listPackFiles(manifest)) files[path] = await readBytes(uxp, folder, path);
  return typeof manifest.name === 'string' ? { files, name: manifest.name } : { files };
}

/** A pack shipped inside the plugin, by its folder relative to the plugin root. */
export async function readPluginPack(uxp: UxpModule, relativeFolder: string): Promise<PackFiles> {
  const root = await uxp.storage.localFileSystem.getPluginFolder();
  const folder = await root.getEntry(relativeFolder.replace(/\/+$/, ''));
  if (!folder.isFolder) throw new Error(`${relativeFolder} in the plugin is not a folder`);
  return readPackFolder(uxp, folder as UxpFolder);
}

/** Lets the user pick a pack folder; null when they cancel. */
export async function pickPackFolder(uxp: UxpModule): Promise<PackFiles | null> {
  const folder = await uxp.storage.localFileSystem.getFolder();
  return folder ? readPackFolder(uxp, folder) : null;
}
