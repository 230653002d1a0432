/**
 * Errors with a stable code, so the API, the WebSocket and the CLI can report them the same way
 * and tests can assert on the code rather than on wording.
 */
export class LabError extends Error {
  override readonly name = 'LabError';
  constructor(
    /** Stable, machine-readable, e.g. `EXPERIMENT_UNKNOWN`, `PARAMS_INVALID`, `RUN_TIMEOUT`. */
    readonly code: string,
    message: string,
    /** HTTP status when this reaches a client. */
    readonly statusCode = 400,
    /** The message in each language the page speaks, when it is one a student acts on. */
    readonly messages?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }
}

export function isLabError(err: unknown): err is LabError {
  return err instanceof LabError;
}
