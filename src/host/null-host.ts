// The host used when no editor document is available: every query says so.
import { HostError } from './errors.js';
import type { DocumentInfo, Host, NewLayer, PixelsRGBA, Rect, SelectionInfo } from './host.js';

const noDocument = () => new HostError('NO_DOCUMENT', 'No document is open: open or create an image first.');

export class NullHost implements Host {
  readonly kind = 'null' as const;
  async activeDocument(): Promise<DocumentInfo | null> { return null; }
  async selection(): Promise<SelectionInfo | null> { return null; }
  async readPixels(_source: 'composite' | 'activeLayer', _rect?: Rect): Promise<PixelsRGBA> { throw noDocument(); }
  async addLayer(_layer: NewLayer, _historyName: string): Promise<{ layerId: string }> { throw noDocument(); }
}
