// Licence table and attribution text for the built data set.

export const LICENSE_TABLE = Object.freeze([
  {
    package: '@lobehub/fluent-emoji-3d', source: 'fluent-emoji-3d', style: '3d', used_for: 'images (WebP, 256 px)',
    license: 'MIT', holder: 'Microsoft Corporation (Fluent Emoji); packaged by LobeHub',
  },
  {
    package: '@iconify-json/fluent-emoji-flat', source: 'fluent-emoji-flat', style: 'flat', used_for: 'images (SVG)',
    license: 'MIT', holder: 'Microsoft Corporation (Fluent Emoji)',
  },
  {
    package: '@iconify-json/fluent-emoji', source: 'fluent-emoji-color', style: 'colorful', used_for: 'images (SVG; codepoints from the flat set)',
    license: 'MIT', holder: 'Microsoft Corporation (Fluent Emoji)',
  },
  {
    package: '@iconify-json/noto', source: 'noto', style: 'noto', used_for: 'images (SVG)',
    license: 'Apache-2.0', holder: 'Google Inc. (Noto Emoji)',
  },
  {
    package: '@twemoji/svg', source: 'twemoji', style: 'twemoji', used_for: 'images (SVG)',
    license: 'CC-BY-4.0', holder: 'Twitter Inc. and other contributors (Twemoji); attribution required',
  },
  {
    package: 'emojibase-data', source: null, style: null, used_for: 'captions (labels, tags, groups, skin-tone labels)',
    license: 'MIT', holder: 'Miles Johnson (Emojibase)',
  },
].map(Object.freeze));

/** The licence rows a build of these sources uses: theirs and the captions'. */
export function licensesFor(sourceIds) {
  return LICENSE_TABLE.filter((l) => l.source === null || sourceIds.includes(l.source));
}

const CREDITS = [
  { name: 'Twemoji', packages: ['@twemoji/svg'], text: 'Copyright Twitter Inc. and other contributors, graphics licensed under CC-BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Images were rasterised, composited on plain backgrounds and downsampled.' },
  { name: 'Fluent Emoji', packages: ['@lobehub/fluent-emoji-3d', '@iconify-json/fluent-emoji-flat', '@iconify-json/fluent-emoji'], text: 'Copyright Microsoft Corporation, MIT License.' },
  { name: 'Noto Emoji', packages: ['@iconify-json/noto'], text: 'Copyright Google Inc., Apache License 2.0.' },
  { name: 'emojibase-data', packages: ['emojibase-data'], text: 'captions (labels, tags, groups), Copyright Miles Johnson, MIT License.' },
];

/** Attribution for the packages in `versions` (package -> version), each credit naming only those. */
export function attributionMarkdown(versions) {
  const lines = CREDITS.flatMap(({ name, packages, text }) => {
    const used = packages.filter((p) => p in versions);
    return used.length ? [`- **${name}** (${used.map((p) => `\`${p}\` ${versions[p]}`).join(', ')}): ${text}`] : [];
  });
  return `# Attribution

This data set is rendered from the following emoji artwork and metadata.

${lines.join('\n')}
`;
}
