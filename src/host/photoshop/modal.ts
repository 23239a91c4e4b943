/**
 * Every Photoshop document change goes through `writeModal`: it runs inside
 * `core.executeAsModal` (Photoshop refuses document edits outside a modal scope) and wraps the
 * work in `hostControl.suspendHistory` / `resumeHistory`, so one generation is one undo step.
 * History is resumed on every path: committed on success, rolled back on error (Photoshop
 * drops the partial state, so a failed generation leaves no half-made layer).
 *
 * Reads go through `readModal` (a modal scope without history) so that Photoshop's state
 * cannot change between the calls of one read.
 */
import { HostError } from '../errors.js';
import type { PhotoshopModule } from './modules.js';

/** What executeAsModal hands its callback (hostControl, isCancelled, reportProgress). */
export type ExecutionContext = Parameters<Parameters<PhotoshopModule['core']['executeAsModal']>[0]>[0];

export interface WriteOptions {
  documentID: number;
  /** shown in the progress bar when the write takes a while */
  commandName: string;
  /** the History panel entry (defaults to commandName) */
  historyName?: string;
}

/** Photoshop's own failures (a dialog is open, another plugin is modal) become HostErrors. */
function asHostError(e: unknown, what: string): unknown {
  if (e instanceof HostError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new HostError('HOST_FAILED', `Photoshop could not ${what}: ${message}`, { cause: e });
}

/** Runs `fn` with the document's history suspended into one step: committed on success, rolled back on error. */
async function inOneHistoryStep<T>(ctx: ExecutionContext, documentID: number, name: string, fn: () => Promise<T>): Promise<T> {
  const suspension = await ctx.hostControl.suspendHistory({ documentID, name });
  let result: T;
  try {
    result = await fn();
  } catch (e) {
    try {
      await ctx.hostControl.resumeHistory(suspension, false);
    } catch {
      // the original error says more than a failed rollback
    }
    throw e;
  }
  await ctx.hostControl.resumeHistory(suspension, true);
  return result;
}

export async function writeModal<T>(ps: PhotoshopModule, options: WriteOptions, fn: (ctx: ExecutionContext) => Promise<T>): Promise<T> {
  try {
    return await ps.core.executeAsModal(
      (ctx) => inOneHistoryStep(ctx, options.documentID, options.historyName ?? options.commandName, () => fn(ctx)),
      { commandName: options.commandName },
    );
  } catch (e) {
    throw asHostError(e, options.commandName.toLowerCase());
  }
}

export async function readModal<T>(ps: PhotoshopModule, commandName: string, fn: (ctx: ExecutionContext) => Promise<T>): Promise<T> {
  try {
    return await ps.core.executeAsModal(fn, { commandName });
  } catch (e) {
    throw asHostError(e, commandName.toLowerCase());
  }
}

type PsDocument = PhotoshopModule['app']['activeDocument'];

export interface NewDocumentOptions {
  commandName: string;
  /** creates the document (called inside the modal scope) */
  create: () => Promise<PsDocument | null>;
}

/**
 * Creates a document and fills it inside one modal scope. The document is registered to be
 * closed when the scope exits and unregistered only once `fn` has succeeded, so a failure
 * leaves no half-made document behind; its edits are one history step.
 */
export async function withNewDocument<T>(ps: PhotoshopModule, options: NewDocumentOptions, fn: (doc: PsDocument, ctx: ExecutionContext) => Promise<T>): Promise<T> {
  try {
    return await ps.core.executeAsModal(
      async (ctx) => {
        const doc = await options.create();
        if (!doc) throw new HostError('HOST_FAILED', 'Photoshop did not create the new document');
        await ctx.hostControl.registerAutoCloseDocument(doc.id);
        // on failure the document is closed on exit anyway
        const result = await inOneHistoryStep(ctx, doc.id, options.commandName, () => fn(doc, ctx));
        await ctx.hostControl.unregisterAutoCloseDocument(doc.id);
        return result;
      },
      { commandName: options.commandName },
    );
  } catch (e) {
    throw asHostError(e, options.commandName.toLowerCase());
  }
}
