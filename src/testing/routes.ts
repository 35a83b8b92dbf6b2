import { validationError } from './errors';
import { OperationName, POST_OPERATIONS, TAG_OPERATION_BY_METHOD, TAG_ROUTE_PREFIX } from './model';
import { isJsonObject, JsonObject } from './validation';

export interface RouteMatch {
  readonly operation: OperationName;
  /** The request members carried by the body, the path label and the query string, merged. */
  readonly buildInput: (body: string) => JsonObject;
}

/**
 * restJson1 routes of the implemented operations: `POST /<Operation>` with a JSON body, and
 * `GET|POST|DELETE /tags/{resourceArn}` with the ARN URL-encoded and `tagKeys` repeated in the query.
 */
export function matchRoute(method: string, url: URL): RouteMatch | undefined {
  if (url.pathname.startsWith(TAG_ROUTE_PREFIX)) {
    const operation = TAG_OPERATION_BY_METHOD[method];
    const resourceArn = safeDecode(url.pathname.slice(TAG_ROUTE_PREFIX.length));
    if (!operation || !resourceArn) return undefined;
    return {
      operation,
      buildInput: (body) => {
        const input: JsonObject = { ...parseBody(body), resourceArn };
        if (operation === 'UntagResource' && url.searchParams.has('tagKeys')) input.tagKeys = url.searchParams.getAll('tagKeys');
        return input;
      },
    };
  }
  const operation = POST_OPERATIONS.find((op) => url.pathname === `/${op}`);
  if (method !== 'POST' || !operation) return undefined;
  return { operation, buildInput: parseBody };
}

/** The SDK always sends a JSON object (at least `{}`); anything else is a malformed request. */
function parseBody(body: string): JsonObject {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw validationError('OTHER', 'Request body is not valid JSON');
  }
  if (!isJsonObject(parsed)) throw validationError('OTHER', 'Request body must be a JSON object');
  return parsed;
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
