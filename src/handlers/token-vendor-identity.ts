// Who is asking: the caller's identity read from the event's request context. A pure function of the event.

/** Where the caller's identity came from (logged; never the id itself). */
export type IdentitySource = 'jwt' | 'lambda-authorizer' | 'iam' | 'unauthenticated' | 'direct';

/** Who is asking, and from where the identity came. */
export interface Caller {
  readonly userId: string | undefined;
  readonly source: IdentitySource;
}

/**
 * The authenticated caller, in this order: JWT / Cognito `sub`, a Lambda authorizer's `userId`,
 * its `principalId`, the IAM caller ARN.
 */
export function callerOf(requestContext: Record<string, any> | undefined, v2: boolean): Caller {
  const authorizer = isObject(requestContext?.authorizer) ? requestContext!.authorizer : undefined;
  let userId: string | undefined;
  if (v2) {
    if ((userId = idOf(authorizer?.jwt?.claims?.sub))) return { userId, source: 'jwt' };
    const lambda = authorizer?.lambda;
    if ((userId = idOf(lambda?.userId) ?? idOf(lambda?.principalId))) return { userId, source: 'lambda-authorizer' };
    if ((userId = idOf(authorizer?.iam?.userArn))) return { userId, source: 'iam' };
  } else {
    // REST APIs put Cognito claims under `claims`; HTTP APIs on payload 1.0 under `jwt.claims`.
    if ((userId = idOf(authorizer?.claims?.sub) ?? idOf(authorizer?.jwt?.claims?.sub))) return { userId, source: 'jwt' };
    if ((userId = idOf(authorizer?.userId) ?? idOf(authorizer?.principalId))) return { userId, source: 'lambda-authorizer' };
    if ((userId = idOf(requestContext?.identity?.userArn))) return { userId, source: 'iam' };
  }
  return { userId: undefined, source: 'unauthenticated' };
}

/** An identity value: a non-empty string (authorizer contexts may carry numbers). */
function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value || undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function isObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object';
}
