/**
 * The one place that loads the host modules (`photoshop`, `uxp`). Everything else receives them
 * as a `HostModules` value, so tests pass a fake and nothing touches the host at import time.
 *
 * Types: `photoshop` comes from @types/photoshop. The `uxp` typings (@adobe/cc-ext-uxp-types)
 * are a global script that redeclares DOM and Node globals (Event, fetch, module "fs"), so
 * including them would change types for the whole program; the few `uxp` members used here
 * are declared below, following those typings.
 */
import type * as Photoshop from 'photoshop';

export type PhotoshopModule = typeof Photoshop;

/** A file or folder entry of UXP's storage API (subset of `uxp.storage.Entry`). */
export interface UxpEntry {
  readonly name: string;
  readonly isFile: boolean;
  readonly isFolder: boolean;
  readonly nativePath?: string;
}
export interface UxpFile extends UxpEntry {
  read(options?: { format?: unknown }): Promise<string | ArrayBuffer>;
}
export interface UxpFolder extends UxpEntry {
  getEntries(): Promise<(UxpFile | UxpFolder)[]>;
  getEntry(path: string): Promise<UxpFile | UxpFolder>;
}

/** The members of `require('uxp')` this plugin uses. */
export interface UxpModule {
  storage: {
    localFileSystem: {
      getPluginFolder(): Promise<UxpFolder>;
      /** shows a folder picker (needs requiredPermissions.localFileSystem "request") */
      getFolder(options?: { initialDomain?: unknown }): Promise<UxpFolder | null>;
    };
    formats: { binary: unknown; utf8: unknown };
  };
  host?: { name: string; version: string; uiLocale?: string };
  versions?: { uxp: string; plugin: string };
}

export interface HostModules {
  photoshop: PhotoshopModule;
  uxp: UxpModule;
}

declare const require: (id: string) => unknown;

/** Loads the real modules; only valid inside the UXP runtime. */
export function loadHostModules(): HostModules {
  if (typeof require !== 'function') {
    throw new Error('The photoshop and uxp modules exist only inside Photoshop (UXP): this code is running elsewhere.');
  }
  return { photoshop: require('photoshop') as PhotoshopModule, uxp: require('uxp') as UxpModule };
}
