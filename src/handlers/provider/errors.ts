/** A failure whose message is already the one-line reason CloudFormation shows. */
export class ReasonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReasonError';
  }
}

/** Name and message of an SDK error (or anything thrown), on one line. */
export function describeError(err: unknown): string {
  if (err instanceof ReasonError) return err.message;
  if (err instanceof Error) {
    const message = err.message.replace(/\s+/g, ' ').trim();
    return err.name && err.name !== 'Error' ? `${err.name}: ${message}` : message;
  }
  return String(err);
}

/** The one-line reason for a failed service call, naming the operation. */
export function operationFailed(operation: string, err: unknown): ReasonError {
  if (err instanceof ReasonError) return err;
  return new ReasonError(`${operation} failed: ${describeError(err)}`);
}

/** Runs a service call and turns its failure into a reason naming the operation. */
export async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw operationFailed(operation, err);
  }
}

/** True when the SDK error has this exception name. */
export function isError(err: unknown, name: string): boolean {
  return err instanceof Error && err.name === name;
}
