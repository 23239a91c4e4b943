/** The record chunks of PNG bytes ("parameters" and "diffusion-layers"), read and written with meta-png. No DOM. */
import metaPng from 'meta-png';
import { PARAMETERS_KEY, RECORD_KEY } from '../../inference/run-record.js';
import type { RecordText } from '../host.js';

// a UMD file: its functions hang off the default export
const { addMetadata, getMetadata } = metaPng;

/** tEXt bytes as meta-png gives them (one character a byte) read as UTF-8, which is how they were written. */
function utf8(latin1: string): string {
  return new TextDecoder().decode(Uint8Array.from(latin1, (c) => c.charCodeAt(0)));
}

/** The record chunks of a PNG file's bytes (either or both); undefined for another format or a PNG without them. */
export function readRecordChunks(bytes: Uint8Array): RecordText | undefined {
  let json: string | undefined;
  let parameters: string | undefined;
  try {
    json = getMetadata(bytes, RECORD_KEY);
    parameters = getMetadata(bytes, PARAMETERS_KEY);
  } catch {
    return undefined; // not a PNG
  }
  if (json === undefined && parameters === undefined) return undefined;
  return { ...(json !== undefined ? { json } : {}), ...(parameters !== undefined ? { parameters: utf8(parameters) } : {}) };
}

/** `png` with the record's two text chunks (the readable one first, as other tools put it). */
export function withRecordChunks(png: Uint8Array, record: RecordText): Uint8Array {
  const out = record.parameters !== undefined ? addMetadata(png, PARAMETERS_KEY, record.parameters) : png;
  return record.json !== undefined ? addMetadata(out, RECORD_KEY, record.json) : out;
}
