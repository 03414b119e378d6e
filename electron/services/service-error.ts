import type { ApiErrorCode, ApiErrorData } from '@shared/api/contract';

/** A failure of the outside world or of a request, with a code the UI can act on. */
export class ServiceError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** Turns anything thrown into data that can cross the IPC or HTTP boundary. */
export function toErrorData(error: unknown): ApiErrorData {
  if (error instanceof ServiceError) return { code: error.code, message: error.message, detail: error.detail };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Unexpected failure: ${message}. This is a bug; the log has details.` };
}
