// The five art sources: enumerate their images with raw codepoints and a loader description.
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);

export const SOURCES = Object.freeze([
  {
    id: 'fluent-emoji-3d', pkg: '@lobehub/fluent-emoji-3d', style: '3d', license: 'MIT',
  },
  {
    id: 'fluent-emoji-flat', pkg: '@iconify-json/fluent-emoji-flat', style: 'flat', license: 'MIT',
  },
  {
    // The same Microsoft drawings as the flat set, shaded with gradients. Its chars.json is
    // empty; the icon names are the flat set's, so codepoints come from there (charsFrom), and
    // a concept held out in flat is held out here too (splitWith), or validation would hold
    // near-copies of training images.
    id: 'fluent-emoji-color', pkg: '@iconify-json/fluent-emoji', style: 'colorful', license: 'MIT',
    charsFrom: '@iconify-json/fluent-emoji-flat', splitWith: 'flat',
  },
  {
    id: 'noto', pkg: '@iconify-json/noto', style: 'noto', license: 'Apache-2.0',
  },
  {
    id: 'twemoji', pkg: '@twemoji/svg', style: 'twemoji', license: 'CC-BY-4.0',
  },
].map(Object.freeze));

export function packageDir(pkg) {
  return path.dirname(require.resolve(`${pkg}/package.json`));
}

export function packageVersion(pkg) {
  return require(`${pkg}/package.json`).version;
}

/**
 * Wrap an Iconify icon body in a standalone SVG document. Always declares the
 * xlink namespace (some Noto bodies use xlink:href).
 */
export function iconifySvg(icon, defaults) {
  const left = icon.left ?? defaults.left ?? 0;
  const top = icon.top ?? defaults.top ?? 0;
  const width = icon.width ?? defaults.width ?? 16;
  const height = icon.height ?? defaults.height ?? 16;
  if (icon.hFlip || icon.vFlip || icon.rotate) throw new Error('transformed icons are not supported');
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" `
    + `viewBox="${left} ${top} ${width} ${height}" width="${width}" height="${height}">${icon.body}</svg>`;
}

/**
 * Every image of one source.
 * items: { source, style, license, name, raw, load } where raw is the codepoint
 *   string as the source spells it and load is { type: 'webp'|'svgfile', path } or { type: 'svg', svg }.
 * notImages: things in the package that are not separate images (aliases), with why.
 * unmapped: images that carry no codepoints at all.
 */
export function enumerateSource(src) {
  const dir = packageDir(src.pkg);
  const base = { source: src.id, style: src.style, license: src.license };
  if (src.id === 'fluent-emoji-3d') {
    const files = readdirSync(path.join(dir, 'assets')).filter((f) => f.endsWith('.webp')).sort();
    return {
      items: files.map((f) => ({ ...base, name: f, raw: f.replace(/\.webp$/, ''), load: { type: 'webp', path: path.join(dir, 'assets', f) } })),
      notImages: [], unmapped: [],
    };
  }
  if (src.id === 'twemoji') {
    const files = readdirSync(dir).filter((f) => f.endsWith('.svg')).sort();
    return {
      items: files.map((f) => ({ ...base, name: f, raw: f.replace(/\.svg$/, ''), load: { type: 'svgfile', path: path.join(dir, f) } })),
      notImages: [], unmapped: [],
    };
  }
  // Iconify JSON sets: icons.json holds the bodies, chars.json maps codepoints -> icon name.
  const set = JSON.parse(readFileSync(path.join(dir, 'icons.json'), 'utf8'));
  const charsDir = src.charsFrom ? packageDir(src.charsFrom) : dir;
  const chars = JSON.parse(readFileSync(path.join(charsDir, 'chars.json'), 'utf8'));
  const codesByName = new Map();
  for (const [code, name] of Object.entries(chars)) {
    if (!codesByName.has(name)) codesByName.set(name, []);
    codesByName.get(name).push(code);
  }
  const defaults = { left: set.left, top: set.top, width: set.width, height: set.height };
  const items = [];
  const unmapped = [];
  for (const name of Object.keys(set.icons).sort()) {
    const codes = codesByName.get(name);
    if (!codes) { unmapped.push({ name, reason: 'icon has no codepoints in chars.json' }); continue; }
    for (const code of codes.sort()) {
      items.push({ ...base, name, raw: code, load: { type: 'svg', svg: iconifySvg(set.icons[name], defaults) } });
    }
  }
  // chars.json entries naming a plain alias render the alias's parent; transformed aliases are never used.
  for (const [name, codes] of codesByName) {
    if (set.icons[name]) continue;
    const alias = set.aliases?.[name];
    const parent = alias && !alias.hFlip && !alias.vFlip && !alias.rotate ? set.icons[alias.parent] : null;
    for (const code of codes) {
      if (parent) items.push({ ...base, name, raw: code, load: { type: 'svg', svg: iconifySvg(parent, defaults) } });
      else unmapped.push({ name: `${name} (${code})`, reason: 'chars.json names a missing or transformed icon' });
    }
  }
  const notImages = Object.entries(set.aliases ?? {}).map(([name, a]) => ({
    name,
    reason: a.hFlip || a.vFlip || a.rotate ? `transformed alias of ${a.parent} (not flipped/rotated)` : `alias of ${a.parent}`,
  }));
  return { items, notImages, unmapped };
}
