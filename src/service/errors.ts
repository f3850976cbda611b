/**
 * The one error vocabulary of the service. Use cases throw AppError with a code; the API maps
 * each code to an HTTP status in one place (api/errors.ts). Clinical outcomes are values, never errors.
 */
export type ErrorCode =
  | "validation_failed"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "unauthorized"
  | "forbidden"
  | "rate_limited"
  | "unsupported_media_type"
  | "internal";

export interface FieldIssue {
  /** JSON path of the offending field, e.g. `observations[2].longAxisMm`. */
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what: string): AppError => new AppError("not_found", `${what} not found`);
export const invalid = (path: string, message: string): AppError =>
  new AppError("validation_failed", `${path}: ${message}`, [{ path, message }]);
