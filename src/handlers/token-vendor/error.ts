// A refused token request: the status the caller gets and a message safe to show it.

/** HTTP reason phrases, also the names of the errors a direct invoker sees. */
export const STATUS_NAMES: Readonly<Record<number, string>> = {
  200: 'OK',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};

/** A refused request: its status and a message safe to show the caller. */
export class TokenVendorError extends Error {
  constructor(public readonly statusCode: number, message: string) {
    super(message);
    // Lambda reports the name as `errorType` to direct invokers: it carries the status.
    this.name = (STATUS_NAMES[statusCode] ?? 'Error').replace(/ /g, '');
  }
}

export const badRequest = (message: string) => new TokenVendorError(400, message);
export const unauthorized = (message: string) => new TokenVendorError(401, message);
export const forbidden = (message: string) => new TokenVendorError(403, message);
