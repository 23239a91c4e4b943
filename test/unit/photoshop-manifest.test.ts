import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (p: string) => JSON.parse(readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8'));
const schema = read('schemas/uxp-manifest-v5.schema.json');
const manifest = read('manifest.json');
const pkg = read('package.json');
const validate = new Ajv({ allErrors: true }).compile(schema);

const clone = () => structuredClone(manifest);

describe('manifest.json', () => {
  it('is a valid UXP manifest v5', () => {
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('has package.json version, Photoshop 26 and the local webview bridge, and nothing more', () => {
    expect(manifest.version).toBe(pkg.version);
    expect(manifest.host).toEqual([{ app: 'PS', minVersion: '26.0.0' }]);
    expect(manifest.requiredPermissions).toEqual({
      localFileSystem: 'request',
      webview: { allow: 'yes', domains: [], allowLocalRendering: 'yes', enableMessageBridge: 'localOnly' },
    });
    expect(manifest.entrypoints).toHaveLength(1);
    expect(manifest.entrypoints[0].type).toBe('panel');
  });

  it.each([
    ['no id', (m: Record<string, unknown>) => delete m.id],
    ['manifest version 4', (m: Record<string, unknown>) => (m.manifestVersion = 4)],
    ['a misspelt key', (m: Record<string, unknown>) => ((m.entryPoints = m.entrypoints), delete m.entrypoints)],
    ['a version with four parts', (m: Record<string, unknown>) => (m.version = '1.2.3.4')],
    ['an unknown message bridge mode', (m: { requiredPermissions: { webview: Record<string, unknown> } }) => (m.requiredPermissions.webview.enableMessageBridge = 'always')],
    ['a webview without domains', (m: { requiredPermissions: { webview: Record<string, unknown> } }) => delete m.requiredPermissions.webview.domains],
    ['a panel with a negative size', (m: { entrypoints: Record<string, unknown>[] }) => (m.entrypoints[0]!.minimumSize = { width: -1, height: 10 })],
    ['a panel without a label', (m: { entrypoints: Record<string, unknown>[] }) => delete m.entrypoints[0]!.label],
    ['a command with panel sizes', (m: { entrypoints: Record<string, unknown>[] }) => (m.entrypoints[0]!.type = 'command')],
    ['an icon theme that does not exist', (m: { icons: { theme: string[] }[] }) => (m.icons[0]!.theme = ['dusk'])],
    ['localFileSystem "everything"', (m: { requiredPermissions: Record<string, unknown> }) => (m.requiredPermissions.localFileSystem = 'everything')],
    ['host version "26"', (m: { host: Record<string, unknown>[] }) => (m.host[0]!.minVersion = '26')],
  ])('rejects %s', (_what, breakIt) => {
    const m = clone();
    (breakIt as (m: unknown) => void)(m);
    expect(validate(m)).toBe(false);
  });
});
