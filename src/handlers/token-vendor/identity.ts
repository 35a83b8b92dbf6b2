// Who is asking: verified from a token the request carries or, for a vendor with nothing to verify, read from the
// event's request context. Every source is explicit; anything this module does not recognise is an unauthenticated caller.
import { forbidden, unauthorized } from './error';

/** Where the caller's identity came from (logged; never the id itself). */
export type IdentitySource =
  | 'jwt' // API Gateway Cognito / JWT authorizer claims
  | 'lambda-authorizer'
  | 'identity-pool' // IAM-signed with Cognito identity-pool credentials
  | 'identity-pool-guest'
  | 'iam' // any other IAM principal, with trustIamPrincipals
  | 'alb' // x-amzn-oidc-data verified against the configured load balancer
  | 'bearer' // Authorization: Bearer, verified against the configured user pool or OIDC issuer
  | 'unauthenticated'
  | 'direct';

/** Claims of a caller: a JWT's payload, or a Lambda authorizer's context. */
export type Claims = Readonly<Record<string, unknown>>;

/** Who is asking. */
export interface Caller {
  /** The userId the caller's identity gives; undefined when the caller has none (unauthenticated, direct). */
  readonly userId: string | undefined;
  readonly source: IdentitySource;
  /** The claims attributes and groups are read from; empty for IAM and unauthenticated callers. */
  readonly claims: Claims;
}

/** Checks a JWT and returns its payload; rejects on any invalid token. */
export type JwtCheck = (jwt: string) => Promise<Claims>;

/** What the identity rules depend on. */
export interface IdentityOptions {
  /** The claim that is the userId of a token-bearing caller. */
  readonly userIdClaim: string;
  readonly trustIamPrincipals: boolean;
  readonly allowUnauthenticatedUsers: boolean;
  /** Verifies `x-amzn-oidc-data` against the configured load balancer; undefined: ALB sign-in is not read. */
  readonly loadBalancer?: JwtCheck;
  /** Verifies a bearer token against the configured user pool or OIDC issuer; undefined: bearer tokens are not read. */
  readonly bearer?: JwtCheck;
}

/** What the identity is read from: the request context, and the request's headers by lower-case name. */
export interface HttpRequestView {
  readonly requestContext: Record<string, any> | undefined;
  /** Payload 2.0 (HTTP API, function URL) rather than 1.0 (REST API, ALB). */
  readonly v2: boolean;
  readonly header: (lowerCaseName: string) => string | undefined;
}

const NO_CLAIMS: Claims = Object.freeze({});

/** OIDC standard claims that may name a user only when their `<claim>_verified` companion is true. */
const VERIFIED_COMPANIONS: ReadonlyMap<string, string> = new Map([['email', 'email_verified'], ['phone_number', 'phone_number_verified']]);

/**
 * The caller of an HTTP event. A vendor that can verify (a load balancer, a user pool or an OIDC issuer) takes the
 * identity only from what it verifies itself, on every request: the event's shape proves nothing about who sent it.
 * Otherwise, in this order: API Gateway JWT / Cognito claims, a Lambda authorizer, IAM (identity-pool users, then
 * other principals), else unauthenticated; for these the invoke permission is the trust boundary. Throws 401 / 403
 * for an identity that is present but refused, so a bad token never falls back to "unauthenticated".
 */
export async function identifyHttpCaller(request: HttpRequestView, options: IdentityOptions): Promise<Caller> {
  const context = request.requestContext;
  const authorizer = isObject(context?.authorizer) ? context!.authorizer : undefined;
  // REST APIs put Cognito claims under `claims`; HTTP APIs (both payload versions) under `jwt.claims`.
  const claims = isObject(authorizer?.claims) ? authorizer!.claims : isObject(authorizer?.jwt?.claims) ? authorizer!.jwt.claims : undefined;

  if (options.loadBalancer || options.bearer) return identifyVerified(request, options, claims);

  if (claims) return fromClaims(claims, 'jwt', options.userIdClaim);

  // HTTP APIs put a Lambda authorizer's context under `lambda`; REST APIs put it on the authorizer itself.
  const lambdaContext = isObject(authorizer?.lambda) ? authorizer!.lambda : request.v2 ? undefined : authorizer;
  if (isObject(lambdaContext)) {
    const userId = idOf(lambdaContext.userId) ?? idOf(lambdaContext.principalId);
    if (userId) return { userId, source: 'lambda-authorizer', claims: lambdaContext };
  }

  const iam = iamCallerOf(context, authorizer, request.v2);
  if (iam) return fromIam(iam, options);

  return { userId: undefined, source: 'unauthenticated', claims: NO_CLAIMS };
}

/**
 * Only verified tokens name the caller: the load balancer's signed sign-in data (ALB events), else the bearer token.
 * Authorizer claims in the event never name the user nor add groups or attributes; when they name another user
 * than the verified token they are refused (403): an authorizer in front checks the same header, so a disagreement
 * is a forged or mis-wired event.
 */
async function identifyVerified(request: HttpRequestView, options: IdentityOptions, eventClaims: Claims | undefined): Promise<Caller> {
  let caller: Caller | undefined;
  if (options.loadBalancer && isObject(request.requestContext?.elb)) {
    const data = request.header('x-amzn-oidc-data');
    if (data) caller = await fromToken(options.loadBalancer, data, 'alb', options.userIdClaim, 'The load balancer\'s sign-in data is not valid');
  }
  if (!caller && options.bearer) {
    const token = bearerToken(request.header('authorization') ?? '');
    if (token) caller = await fromToken(options.bearer, token, 'bearer', options.userIdClaim, 'The bearer token is not valid');
  }
  if (!caller) return { userId: undefined, source: 'unauthenticated', claims: NO_CLAIMS };
  const claimed = eventClaims ? idOf(eventClaims[options.userIdClaim]) : undefined;
  if (claimed !== undefined && claimed !== caller.userId) {
    throw forbidden('The authorizer\'s claims in the event name another user than the verified token');
  }
  return caller;
}

/**
 * The token of `Authorization: Bearer <token>`, or of a bare JWT (what REST API Cognito authorizers take, so
 * clients often send it so). A SigV4 signature is neither.
 */
function bearerToken(authorization: string): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (bearer) return bearer[1];
  return /^[\w-]+\.[\w-]+\.[\w-]*$/.test(authorization.trim()) ? authorization.trim() : undefined;
}

/** What an IAM-authenticated request says of its signer. */
interface IamCaller {
  readonly userArn: string | undefined;
  readonly identityId: string | undefined;
  /** How the identity pool authenticated the caller: signed in, a guest, or not said (no `amr`). */
  readonly signIn: 'authenticated' | 'unauthenticated' | 'unknown';
}

/** An identity pool's credentials are a session of its role with this fixed name, the same for every user. */
const IDENTITY_POOL_SESSION = /:assumed-role\/[^/]+\/CognitoIdentityCredentials$/;

function iamCallerOf(context: Record<string, any> | undefined, authorizer: Record<string, any> | undefined, v2: boolean): IamCaller | undefined {
  if (v2) {
    // HTTP API and function URL with AWS_IAM: `authorizer.iam`, `cognitoIdentity` for identity-pool credentials.
    const iam = authorizer?.iam;
    if (!isObject(iam)) return undefined;
    const cognito = isObject(iam.cognitoIdentity) ? iam.cognitoIdentity : undefined;
    const amr: unknown[] = Array.isArray(cognito?.amr) ? cognito!.amr : [];
    const signIn = amr.includes('authenticated') ? 'authenticated' : amr.includes('unauthenticated') ? 'unauthenticated' : 'unknown';
    const caller: IamCaller = { userArn: idOf(iam.userArn), identityId: idOf(cognito?.identityId), signIn };
    return caller.userArn || caller.identityId ? caller : undefined;
  }
  // REST API with AWS_IAM: `identity`, whose Cognito fields are null for other principals.
  const identity = context?.identity;
  if (!isObject(identity)) return undefined;
  const type = identity.cognitoAuthenticationType;
  const caller: IamCaller = {
    userArn: idOf(identity.userArn),
    identityId: idOf(identity.cognitoIdentityId),
    signIn: type === 'authenticated' || type === 'unauthenticated' ? type : 'unknown',
  };
  return caller.userArn || caller.identityId ? caller : undefined;
}

function fromIam(iam: IamCaller, options: IdentityOptions): Caller {
  if (iam.identityId) {
    // The identity id is per person (per device for guests); the role session name is the same for everyone.
    if (iam.signIn === 'authenticated') return { userId: iam.identityId, source: 'identity-pool', claims: NO_CLAIMS };
    if (!options.allowUnauthenticatedUsers) {
      throw unauthorized(iam.signIn === 'unauthenticated'
        ? 'Guest identity-pool users are refused: sign in, or set allowUnauthenticatedUsers on the vendor'
        : 'The identity-pool caller\'s event does not say it signed in (no amr): refused as a possible guest unless allowUnauthenticatedUsers');
    }
    return { userId: iam.identityId, source: 'identity-pool-guest', claims: NO_CLAIMS };
  }
  if (iam.userArn && IDENTITY_POOL_SESSION.test(iam.userArn)) {
    // Its ARN is shared by every user of the pool: never a chat identity, whatever trustIamPrincipals says.
    throw forbidden('The caller signs with Cognito identity-pool credentials but the event carries no identity id');
  }
  if (!options.trustIamPrincipals) {
    throw forbidden('IAM callers other than Cognito identity-pool users are refused: set trustIamPrincipals on the vendor ' +
      'to accept them, with their ARN as the userId');
  }
  return { userId: iam.userArn, source: 'iam', claims: NO_CLAIMS };
}

async function fromToken(check: JwtCheck, jwt: string, source: IdentitySource, userIdClaim: string, invalid: string): Promise<Caller> {
  let payload: Claims;
  try {
    payload = await check(jwt);
  } catch {
    // Why it failed (expired, other key, other signer or client) is not the caller's business.
    throw unauthorized(invalid);
  }
  return fromClaims(payload, source, userIdClaim);
}

function fromClaims(claims: Claims, source: IdentitySource, userIdClaim: string): Caller {
  const userId = idOf(claims[userIdClaim]);
  if (!userId) throw unauthorized(`The caller's token has no ${JSON.stringify(userIdClaim)} claim to use as userId`);
  const companion = VERIFIED_COMPANIONS.get(userIdClaim);
  // An unverified address may be anyone's: a user who may change it could take another user's chat identity.
  if (companion && claims[companion] !== true && claims[companion] !== 'true') {
    throw forbidden(`The caller's ${JSON.stringify(userIdClaim)} is not verified (${companion} is not true), so it cannot be the userId`);
  }
  return { userId, source, claims };
}

/**
 * The groups a claim lists: a JSON list (verified tokens), or as API Gateway flattens it: `"a,b"` (REST API
 * Cognito authorizers), `"[a b]"` (HTTP API JWT authorizers), or a JSON list in a string (Lambda authorizer context).
 */
export function groupsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string' && g !== '');
  if (typeof value !== 'string') return [];
  const text = value.trim();
  if (text.startsWith('[') && text.endsWith(']')) {
    if (text.startsWith('["')) {
      try {
        return groupsOf(JSON.parse(text));
      } catch { /* not JSON: read it as the HTTP API form */ }
    }
    return text.slice(1, -1).split(/\s+/).filter((g) => g !== '');
  }
  return text.split(',').map((g) => g.trim()).filter((g) => g !== '');
}

/** A claim as an attribute value: strings as they are, numbers and booleans spelt out, anything else left out. */
export function attributeValueOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return String(value);
  return undefined;
}

/** An identity value: a non-empty string (authorizer contexts may carry numbers). */
function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value || undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function isObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
