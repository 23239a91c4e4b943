// ESLint flat config. `npm run lint`.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** The inference core and the worker run in a worker or Node: no editor, no UI, no Node-only runtime. */
const coreImports = {
  paths: [
    { name: 'photoshop', message: 'Host APIs belong in src/host/photoshop, not in the inference core or worker.' },
    { name: 'uxp', message: 'Host APIs belong in src/host/photoshop, not in the inference core or worker.' },
    { name: 'preact', message: 'UI belongs in src/panel.' },
    { name: 'onnxruntime-node', message: 'Node-only: it must not enter browser bundles (use it from src/cli or tests).' },
  ],
  patterns: [
    { group: ['preact/*', 'preact-*', '@preact/*'], message: 'UI belongs in src/panel.' },
    { group: ['photoshop/*', 'uxp/*'], message: 'Host APIs belong in src/host/photoshop.' },
    { group: ['node:*'], message: 'The core runs in browsers too: no Node built-ins.' },
  ],
};

const domGlobals = ['window', 'document', 'navigator', 'HTMLCanvasElement', 'OffscreenCanvas', 'ImageData', 'createImageBitmap'].map(
  (name) => ({ name, message: 'src/inference is pure: no DOM. Take plain data (RgbaImage, Planes) instead.' }),
);
const nodeGlobals = ['process', 'Buffer', 'require', '__dirname', '__filename'].map((name) => ({
  name,
  message: 'src/inference runs in browsers too: no Node globals.',
}));

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'training/', 'data/', 'checkpoints/', 'test-artifacts/', 'models/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { disallowTypeAnnotations: false }],
    },
  },
  {
    files: ['src/inference/**', 'src/worker/**'],
    rules: { 'no-restricted-imports': ['error', coreImports] },
  },
  {
    // Backends feature-detect their runtime (navigator.gpu, process.versions); the rest is pure.
    files: ['src/inference/**'],
    ignores: ['src/inference/backends/**'],
    rules: { 'no-restricted-globals': ['error', ...domGlobals, ...nodeGlobals] },
  },
  {
    // Tests read untyped JSON fixtures.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', URL: 'readonly', performance: 'readonly', fetch: 'readonly' },
    },
  },
);
