// The Photoshop panel's store of layer records: found again in the same session, after the
// document is saved, and after a restart while the layer keeps its name; bounded in size.
import { describe, expect, it } from 'vitest';
import { LayerRecords } from '../../src/host/photoshop/layer-records.js';
import { memoryStore } from '../../src/panel/lib/storage.js';

const rec = (n: number) => ({ json: `{"n":${n}}`, parameters: `p${n}` });

describe('layer records', () => {
  it('an unsaved document: found in this session only (document ids start again each session)', () => {
    const store = memoryStore();
    const a = new LayerRecords(store);
    a.put({ id: 3, path: '' }, '7', 'Generated: a fox', rec(1));
    expect(a.get({ id: 3, path: '' }, '7', 'Generated: a fox')).toEqual(rec(1));
    expect(a.get({ id: 3, path: '' }, '8', 'Generated: a fox')).toBeNull();
    expect(a.get({ id: 4, path: '' }, '7', 'Generated: a fox')).toBeNull();
    // renamed in the same session: still that layer
    expect(a.get({ id: 3, path: '' }, '7', 'fox')).toEqual(rec(1));
    expect(new LayerRecords(store).get({ id: 3, path: '' }, '7', 'Generated: a fox')).toBeNull();
  });

  it('once saved, the records go with the path and outlast the session while the layer keeps its name', () => {
    const store = memoryStore();
    const a = new LayerRecords(store);
    a.put({ id: 3, path: '' }, '7', 'Generated: a fox', rec(1));
    a.put({ id: 3, path: '' }, '9', 'Fill: a hat', rec(2));
    // saved: the next look-up (or addition) moves them to the path
    expect(a.get({ id: 3, path: '/art/fox.psd' }, '7', 'Generated: a fox')).toEqual(rec(1));
    const b = new LayerRecords(store); // Photoshop restarted: the document has another id
    expect(b.get({ id: 1, path: '/art/fox.psd' }, '9', 'Fill: a hat')).toEqual(rec(2));
    // another file saved over that path has its own layers with the same small ids
    expect(b.get({ id: 1, path: '/art/fox.psd' }, '7', 'Layer 1')).toBeNull();
    expect(b.get({ id: 1, path: '/art/other.psd' }, '7', 'Generated: a fox')).toBeNull();
  });

  it('keeps the newest records up to its limit; a damaged store is read as empty', () => {
    const store = memoryStore();
    const r = new LayerRecords(store, 3);
    for (let i = 1; i <= 5; i++) r.put({ id: 1, path: '/a.psd' }, String(i), `L${i}`, rec(i));
    expect([1, 2, 3, 4, 5].map((i) => r.get({ id: 1, path: '/a.psd' }, String(i), `L${i}`)?.parameters ?? null)).toEqual([null, null, 'p3', 'p4', 'p5']);
    // the same layer again replaces its record
    r.put({ id: 1, path: '/a.psd' }, '5', 'L5', rec(6));
    expect(r.get({ id: 1, path: '/a.psd' }, '5', 'L5')).toEqual(rec(6));
    expect(JSON.parse(store.get('layer-records.v1')!)).toHaveLength(3);
    store.set('layer-records.v1', '{not json');
    expect(r.get({ id: 1, path: '/a.psd' }, '5', 'L5')).toBeNull();
    r.put({ id: 1, path: '/a.psd' }, '1', 'L1', rec(1));
    expect(r.get({ id: 1, path: '/a.psd' }, '1', 'L1')).toEqual(rec(1));
  });
});
