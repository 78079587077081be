/**
 * Expected failures that cross a process boundary. A code is stable (the UI translates it with
 * `errors.<code>` in i18n); `params` fill the translated template; `message` is English, for logs
 * and the CLI.
 */
export const errorCodes = [
  'invalid-args',
  'unknown-method',
  'not-found',
  'conflict',
  'nothing-to-undo',
  'nothing-to-redo',
  /** A deck name that is empty, has an empty part between `::`, or is too long (params: name). */
  'deck-name-invalid',
  /** Another deck already has that name, compared as Anki does, without case (params: name). */
  'deck-exists',
  /** A deck moved under itself or one of its own subdecks (params: name, parent). */
  'deck-into-itself',
  'db-corrupt',
  'db-newer',
  /** Another ProofDeck process holds the data folder (params: path, holder, pid, since). */
  'db-locked',
  /** No space left where ProofDeck writes (params: path). */
  'disk-full',
  /** A folder or file ProofDeck must write is read-only or not the user's (params: path). */
  'read-only',
  /** A request body over what the host accepts (params: limit, in bytes). */
  'request-too-large',
  /** The browser host restarted: the page's token is from its previous run. */
  'host-restarted',
  /** Another options preset has this name (params: name). */
  'preset-name-taken',
  /** The Default options preset cannot be deleted. */
  'preset-default',
  'import-invalid',
  'import-too-large',
  'import-unsupported',
  'gpu-unavailable',
  'gpu-limit',
  'gpu-lost',
  /** The GPU engine's process or renderer died during the run (it is restarted for the next). */
  'engine-crashed',
  /** The GPU engine stopped answering or its GPU made no progress for too long (it is restarted). */
  'engine-stuck',
  'experiment-failed',
  'cancelled',
  'timeout',
  'forbidden',
  /** The host could not be reached (the browser host stopped, the connection dropped). */
  'offline',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export type ErrorParams = Record<string, string | number>;

/** The wire form of an error: what a handler's failure looks like to a client. */
export interface ApiFailure {
  code: ErrorCode;
  message: string;
  params?: ErrorParams;
}

/** An expected failure with a stable code. Throw it from services; transports carry it intact. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly params?: ErrorParams,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toFailure(): ApiFailure {
    return this.params ? { code: this.code, message: this.message, params: this.params } : { code: this.code, message: this.message };
  }

  static fromFailure(failure: ApiFailure): AppError {
    return new AppError(failure.code, failure.message, failure.params);
  }
}

/**
 * The one mapping of anything thrown to the failure a caller receives: an AppError keeps its code
 * and params; anything else (a bug, a library's own error) becomes `fallback` with its message.
 */
export function failureOf(error: unknown, fallback: ErrorCode = 'internal'): ApiFailure {
  if (error instanceof AppError) return error.toFailure();
  return { code: fallback, message: error instanceof Error ? error.message : String(error) };
}

/** Result envelope on every transport (IPC, HTTP, in-memory). */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiFailure };
