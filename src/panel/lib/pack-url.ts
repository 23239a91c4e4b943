/** Checking a model pack URL typed by the user before the engine is asked to load it. */

export type PackUrlCheck = { ok: true; url: string } | { ok: false; message: string };

const ALLOWED = new Set(['http:', 'https:', 'file:', 'blob:', 'plugin:']);

/**
 * Resolves `input` against `base` (a relative path works), requires a scheme the engine can
 * fetch, drops a trailing `model.json` and ends the URL with `/` (a pack is a folder).
 */
export function checkPackUrl(input: string, base?: string): PackUrlCheck {
  const text = input.trim();
  if (!text) return { ok: false, message: 'Enter the address of a model pack folder (the one holding model.json).' };
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    return { ok: false, message: `"${text}" is not a valid address: expected something like https://example.org/packs/my-pack/` };
  }
  if (!ALLOWED.has(url.protocol)) {
    return { ok: false, message: `Model packs load over http(s) or from a local file, not "${url.protocol}".` };
  }
  if (url.search || url.hash) return { ok: false, message: 'A model pack address has no "?" or "#" part: give the folder that holds model.json.' };
  let href = url.href.replace(/model\.json$/i, '');
  if (!href.endsWith('/')) href += '/';
  return { ok: true, url: href };
}
