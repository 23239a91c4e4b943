/** Writes the chosen candidate back to the host: one new layer (one undo step), or a new document. */
import { HostError } from '../../host/errors.js';
import type { Host } from '../../host/host.js';
import { expandedSize } from '../../inference/expand.js';
import { throwIfAborted } from './errors.js';
import type { JobOutput } from './types.js';

export type Applied = { kind: 'layer'; layerId: string } | { kind: 'newDocument' };

export async function applyCandidate(host: Host, out: JobOutput, index: number, signal?: AbortSignal): Promise<Applied> {
  throwIfAborted(signal);
  const c = out.candidates[index];
  if (!c) throw new RangeError(`variation ${index + 1} does not exist (there are ${out.candidates.length})`);
  const { rect, mask, target } = out.placement;
  const layer = { name: out.layerName, rect, rgba: c.rgba, ...(mask ? { mask } : {}), ...(c.record ? { record: c.record } : {}) };
  if (target === 'newDocument') {
    if (!host.createDocumentWithLayer) throw new HostError('UNSUPPORTED', 'This editor cannot open a new document for the result.');
    await host.createDocumentWithLayer(layer, `${out.docName} (${out.layerName})`);
    return { kind: 'newDocument' };
  }
  const doc = await host.activeDocument();
  if (!doc) throw new HostError('NO_DOCUMENT', 'The document was closed: there is nowhere to add the layer.');
  if (doc.id !== out.docId) {
    throw new HostError('NO_DOCUMENT', `The result belongs to "${out.docName}", which is no longer the active document: switch back to it to add the layer.`);
  }
  const grow = target === 'expand' ? out.placement.expand : undefined;
  if (grow) {
    const grown = expandedSize(grow.from, grow.by);
    // a second variation goes onto the canvas the first one grew; else the host grows it, and
    // refuses a document of any other size than the one the result was made for
    if (doc.width !== grown.width || doc.height !== grown.height) {
      if (!host.expandCanvas) throw new HostError('UNSUPPORTED', 'This editor cannot grow its canvas.');
      return { kind: 'layer', layerId: (await host.expandCanvas(grow.by, layer, out.historyName, grow.from)).layerId };
    }
  }
  const { layerId } = await host.addLayer(layer, out.historyName);
  return { kind: 'layer', layerId };
}
