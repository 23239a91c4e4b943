// Errors a host throws. The code is for programs (tests, the panel's wording); the
// message names what was wrong and what was expected, in plain words.

export type HostErrorCode =
  | 'NO_DOCUMENT'      // no document is open
  | 'EMPTY_SELECTION'  // the mode needs a selection and there is none (or it is empty)
  | 'TOO_LARGE'        // the area or result exceeds what the host or model can take
  | 'NO_LAYER'         // the mode needs an active pixel layer and there is none
  | 'BAD_RECT'         // a rectangle outside the document or with a non-positive size
  | 'BAD_PIXELS'       // a buffer whose length does not match its rectangle
  | 'UNSUPPORTED'      // the host cannot do this (e.g. no createDocumentWithLayer)
  | 'NEEDS_PROMPT'     // nothing in the picture says what to draw (Expand of a picture with transparent edges)
  | 'HOST_FAILED';     // the editor refused or failed; message carries its words

export class HostError extends Error {
  override readonly name = 'HostError';
  constructor(readonly code: HostErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function isHostError(e: unknown, code?: HostErrorCode): e is HostError {
  return e instanceof HostError && (code === undefined || e.code === code);
}
