// The Lambda runtime provides the SDK v3 and the bundle leaves it external: a dev dependency is right here.
// eslint-disable-next-line import/no-extraneous-dependencies
import { CreateChatTokenCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import { badRequest, forbidden, STATUS_NAMES, TokenVendorError } from './error';
import { attributeValueOf, Caller, groupsOf, identifyHttpCaller, IdentityOptions, IdentitySource, isObject } from './identity';
import { createVerifiers, TokenVerifiers, VerifierSettings } from './verifiers';
import type { ChatTokenCapability } from '../../chat-token-capability';
import {
  CORS_ALLOWED_HEADERS, CORS_ALLOWED_METHODS, CORS_EXPOSED_HEADERS, CORS_MAX_AGE_SECONDS, DEFAULT_CLAIMS, THROTTLE_WAIT, TOKEN_CAPABILITIES,
  TOKEN_LIMITS, TOKEN_VENDOR_ENV as ENV,
} from '../../private/token-vendor-contract';

export { TokenVendorError } from './error';

// The request logic of the chat token vendor: a pure function over a client and a configuration,
// so tests call it without environment variables. `token-vendor.lambda.ts` wires the environment in.
//
// Decisions (the README and the construct's docs repeat them):
// - Identity: see `identity.ts`; a different `userId` in the body is 403.
// - Throttling: retried with full-jitter backoff for up to `throttleWaitMs` (never past the function's remaining
//   time less a reserve to answer), then 429 with `Retry-After`.
// - Direct invocation (no HTTP envelope) only with trustDirectInvocation: then the body's `userId` is
//   taken as is. Success returns the plain `{ token, tokenExpirationTime, sessionExpirationTime }`;
//   a failure throws a `TokenVendorError` whose name says the status.
// - A caller may have the vendor's capabilities plus those of its groups; no `capabilities` in the
//   request means all of them, `[]` a view-only token.
// - Attributes: claims fill `attributesFromClaims`; the body may set only `clientAttributes`.
// - No `sessionDurationInMinutes` means the vendor's maximum.

export type Capability = ChatTokenCapability;
const KNOWN_CAPABILITIES: ReadonlySet<string> = new Set(TOKEN_CAPABILITIES);

/** A body larger than this is refused before parsing; a valid request is far smaller. */
export const MAX_BODY_BYTES = 16 * 1024;

const BODY_FIELDS: ReadonlySet<string> = new Set(['roomArn', 'userId', 'attributes', 'capabilities', 'sessionDurationInMinutes']);

/** What the vendor may hand out and whom it trusts, as plain values (what the environment holds). */
export interface TokenVendorSettings extends VerifierSettings {
  readonly roomArns: readonly string[];
  readonly capabilities: readonly string[];
  readonly maxSessionMinutes: number;
  readonly allowUnauthenticatedUsers: boolean;
  /** Origins allowed by CORS; `*` allows any. Empty: no CORS headers. */
  readonly allowedOrigins: readonly string[];
  /** Default `sub`. */
  readonly userIdClaim?: string;
  /** Default false. */
  readonly trustIamPrincipals?: boolean;
  /** Default false. */
  readonly trustDirectInvocation?: boolean;
  /** Token attribute to claim name. Default none. */
  readonly attributesFromClaims?: Readonly<Record<string, string>>;
  /** Attribute keys the body may set. Default none. */
  readonly clientAttributes?: readonly string[];
  /** Group name to the capabilities its members get on top of `capabilities`. Default none. */
  readonly groupCapabilities?: Readonly<Record<string, readonly string[]>>;
  /** Default `cognito:groups`. */
  readonly groupsClaim?: string;
  /** How long to wait out throttling before answering 429, in ms. Default THROTTLE_WAIT.defaultMs. */
  readonly throttleWaitMs?: number;
}

/** The settings, checked once and shaped for the hot path. */
export interface TokenVendorConfig {
  readonly roomArns: ReadonlySet<string>;
  /** The room when the vendor has exactly one, so `roomArn` may be left out. */
  readonly onlyRoomArn: string | undefined;
  readonly capabilities: readonly Capability[];
  readonly maxSessionMinutes: number;
  readonly allowUnauthenticatedUsers: boolean;
  readonly allowAnyOrigin: boolean;
  readonly allowedOrigins: ReadonlySet<string>;
  readonly identity: IdentityOptions;
  readonly trustDirectInvocation: boolean;
  readonly attributesFromClaims: ReadonlyArray<readonly [attribute: string, claim: string]>;
  readonly clientAttributes: ReadonlySet<string>;
  readonly groupCapabilities: ReadonlyMap<string, readonly Capability[]>;
  readonly groupsClaim: string;
  readonly throttleWaitMs: number;
}

/**
 * Checks the settings and builds the configuration; throws on anything the construct would not render.
 * `verifiers` replaces the ones the settings call for (tests).
 */
export function createConfig(settings: TokenVendorSettings, verifiers: TokenVerifiers = createVerifiers(settings)): TokenVendorConfig {
  if (settings.roomArns.length === 0 || settings.roomArns.some((arn) => typeof arn !== 'string' || !arn)) {
    throw new Error(`Token vendor configuration: ${ENV.roomArns} must list at least one room ARN`);
  }
  const capabilities = checkCapabilities(settings.capabilities, ENV.capabilities);
  const { min, max } = TOKEN_LIMITS.sessionDurationMinutes;
  if (!Number.isInteger(settings.maxSessionMinutes) || settings.maxSessionMinutes < min || settings.maxSessionMinutes > max) {
    throw new Error(`Token vendor configuration: ${ENV.maxSessionMinutes} must be an integer between ${min} and ${max}`);
  }
  const groupCapabilities = new Map<string, readonly Capability[]>();
  for (const [group, caps] of Object.entries(settings.groupCapabilities ?? {})) {
    groupCapabilities.set(group, checkCapabilities(caps, ENV.groupCapabilities));
  }
  const attributesFromClaims = Object.entries(settings.attributesFromClaims ?? {});
  const clientAttributes = new Set(settings.clientAttributes ?? []);
  for (const [attribute] of attributesFromClaims) {
    if (clientAttributes.has(attribute)) {
      throw new Error(`Token vendor configuration: attribute ${JSON.stringify(attribute)} is in both ${ENV.attributesFromClaims} and ${ENV.clientAttributes}`);
    }
  }
  const allowUnauthenticatedUsers = settings.allowUnauthenticatedUsers;
  const throttleWaitMs = settings.throttleWaitMs ?? THROTTLE_WAIT.defaultMs;
  if (!Number.isInteger(throttleWaitMs) || throttleWaitMs < 0 || throttleWaitMs > THROTTLE_WAIT.maxMs) {
    throw new Error(`Token vendor configuration: ${ENV.throttleWaitMs} must be an integer between 0 and ${THROTTLE_WAIT.maxMs}`);
  }
  return {
    roomArns: new Set(settings.roomArns),
    onlyRoomArn: settings.roomArns.length === 1 ? settings.roomArns[0] : undefined,
    capabilities,
    maxSessionMinutes: settings.maxSessionMinutes,
    allowUnauthenticatedUsers,
    allowAnyOrigin: settings.allowedOrigins.includes('*'),
    allowedOrigins: new Set(settings.allowedOrigins),
    identity: {
      userIdClaim: settings.userIdClaim || DEFAULT_CLAIMS.userId,
      trustIamPrincipals: settings.trustIamPrincipals ?? false,
      allowUnauthenticatedUsers,
      loadBalancer: verifiers.loadBalancer,
      bearer: verifiers.bearer,
    },
    trustDirectInvocation: settings.trustDirectInvocation ?? false,
    attributesFromClaims,
    clientAttributes,
    groupCapabilities,
    groupsClaim: settings.groupsClaim || DEFAULT_CLAIMS.groups,
    throttleWaitMs,
  };
}

function checkCapabilities(capabilities: readonly string[], name: string): Capability[] {
  if (!Array.isArray(capabilities)) throw new Error(`Token vendor configuration: ${name} must list capabilities`);
  for (const capability of capabilities) {
    if (!KNOWN_CAPABILITIES.has(capability)) {
      throw new Error(`Token vendor configuration: unknown capability ${JSON.stringify(capability)} in ${name}`);
    }
  }
  return [...new Set(capabilities)] as Capability[];
}

/** Reads the configuration the construct put in the function's environment; settings it leaves out take their defaults. */
export function configFromEnvironment(env: Record<string, string | undefined>): TokenVendorConfig {
  const optional = (name: string) => env[name] || undefined;
  return createConfig({
    roomArns: readList(env, ENV.roomArns),
    capabilities: readList(env, ENV.capabilities),
    maxSessionMinutes: Number(env[ENV.maxSessionMinutes]),
    allowUnauthenticatedUsers: env[ENV.allowUnauthenticatedUsers] === 'true',
    allowedOrigins: env[ENV.allowedOrigins] ? readList(env, ENV.allowedOrigins) : [],
    userIdClaim: optional(ENV.userIdClaim),
    trustIamPrincipals: env[ENV.trustIamPrincipals] === 'true',
    trustDirectInvocation: env[ENV.trustDirectInvocation] === 'true',
    loadBalancerArn: optional(ENV.loadBalancerArn),
    loadBalancerKeysUri: optional(ENV.loadBalancerKeysUri),
    userPoolId: optional(ENV.userPoolId),
    userPoolClientIds: env[ENV.userPoolClientIds] ? readList(env, ENV.userPoolClientIds) : [],
    userPoolJwksUri: optional(ENV.userPoolJwksUri),
    oidcIssuer: optional(ENV.oidcIssuer),
    oidcAudience: env[ENV.oidcAudience] ? readList(env, ENV.oidcAudience) : [],
    oidcJwksUri: optional(ENV.oidcJwksUri),
    throttleWaitMs: env[ENV.throttleWaitMs] ? Number(env[ENV.throttleWaitMs]) : undefined,
    attributesFromClaims: env[ENV.attributesFromClaims] ? readMap(env, ENV.attributesFromClaims, (v) => typeof v === 'string') as Record<string, string> : {},
    clientAttributes: env[ENV.clientAttributes] ? readList(env, ENV.clientAttributes) : [],
    groupCapabilities: env[ENV.groupCapabilities]
      ? readMap(env, ENV.groupCapabilities, (v) => Array.isArray(v) && v.every((c) => typeof c === 'string')) as Record<string, string[]>
      : {},
    groupsClaim: optional(ENV.groupsClaim),
  });
}

function readJson(env: Record<string, string | undefined>, name: string, what: string): unknown {
  try {
    return JSON.parse(env[name] ?? '');
  } catch {
    throw new Error(`Token vendor configuration: ${name} must be ${what}`);
  }
}

function readList(env: Record<string, string | undefined>, name: string): string[] {
  const value = readJson(env, name, 'a JSON list of strings');
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new Error(`Token vendor configuration: ${name} must be a JSON list of strings`);
  }
  return value;
}

function readMap(env: Record<string, string | undefined>, name: string, valid: (value: unknown) => boolean): Record<string, unknown> {
  const value = readJson(env, name, 'a JSON object');
  if (!isObject(value) || !Object.values(value).every(valid)) {
    throw new Error(`Token vendor configuration: ${name} must be a JSON object of the right values`);
  }
  return value;
}

/** What a direct invocation gets back, and the body of a 200. */
export interface ChatTokenResult {
  readonly token: string;
  readonly tokenExpirationTime: string | undefined;
  readonly sessionExpirationTime: string | undefined;
}

/** The proxy response API Gateway (REST and HTTP APIs), function URLs and ALB take. */
export interface HttpResponse {
  statusCode: number;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
  statusDescription?: string;
}

/** What the handler learnt about the request; logged once. */
interface Outcome {
  status: number;
  room?: string;
  identity?: IdentitySource;
  userIdLength?: number;
  error?: string;
  /** CreateChatToken calls made, when more than one (throttling retried). */
  attempts?: number;
}

/** What the handler reads of the Lambda context: how long the invocation may still run. */
export interface InvocationContext {
  getRemainingTimeInMillis?(): number;
}

/**
 * Answers one invocation: an API Gateway REST (v1) or HTTP API / function URL (v2) event, an ALB
 * event, or a direct invocation whose payload is the request body.
 */
export async function handleEvent(
  client: IvschatClient, config: TokenVendorConfig, event: unknown, context?: InvocationContext,
): Promise<HttpResponse | ChatTokenResult> {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    log({ status: 400, identity: 'direct' });
    throw badRequest('The payload must be a JSON object: the request body');
  }
  const record = event as Record<string, unknown>;
  const deadline = waitDeadline(config, context);
  return isHttpEvent(record) ? handleHttp(client, config, record, deadline) : handleDirect(client, config, record, deadline);
}

/** Until when throttling may be waited out: the vendor's wait, within the function's remaining time less a reserve. */
function waitDeadline(config: TokenVendorConfig, context: InvocationContext | undefined): number {
  const remaining = typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : Infinity;
  return Date.now() + Math.max(0, Math.min(config.throttleWaitMs, remaining - THROTTLE_WAIT.answerReserveMs));
}

/**
 * Anything that looks like an HTTP envelope takes the HTTP path, whose identity rules are the strict
 * ones: a malformed envelope can never pass for a trusted direct invocation.
 */
function isHttpEvent(event: Record<string, unknown>): boolean {
  return 'requestContext' in event || 'httpMethod' in event || 'headers' in event || 'multiValueHeaders' in event
    || 'body' in event || 'routeKey' in event || 'rawPath' in event || 'version' in event;
}

async function handleDirect(
  client: IvschatClient, config: TokenVendorConfig, payload: Record<string, unknown>, deadline: number,
): Promise<ChatTokenResult> {
  const outcome: Outcome = { status: 200, identity: 'direct' };
  try {
    if (!config.trustDirectInvocation) {
      // Anything that passes client JSON as the event (a non-proxy integration, AppSync, Step Functions) lands here.
      throw forbidden('This payload has no HTTP envelope, and the vendor does not trust direct invocations: call it through a ' +
        'proxy integration (API Gateway, function URL, ALB), or set trustDirectInvocation on the vendor');
    }
    return await vend(client, config, payload, { userId: undefined, source: 'direct', claims: {} }, outcome, deadline);
  } catch (err) {
    const error = toVendorError(err, outcome);
    outcome.status = error.statusCode;
    throw error;
  } finally {
    log(outcome);
  }
}

async function handleHttp(client: IvschatClient, config: TokenVendorConfig, event: Record<string, any>, deadline: number): Promise<HttpResponse> {
  const v2 = event.version === '2.0';
  const requestContext = isObject(event.requestContext) ? event.requestContext : undefined;
  const method: unknown = v2 ? requestContext?.http?.method : event.httpMethod;
  const multiValue = !isObject(event.headers) && isObject(event.multiValueHeaders);
  const origin = multiValue ? firstHeader(event.multiValueHeaders, 'origin') : header(event.headers, 'origin');
  const cors = corsHeaders(config, origin);
  const alb = isObject(requestContext?.elb);

  if (method === 'OPTIONS') {
    log({ status: 204 });
    return respond(204, '', cors && { ...cors, ...PREFLIGHT_HEADERS }, multiValue, alb);
  }

  const outcome: Outcome = { status: 200 };
  let body: string;
  try {
    if (method !== 'POST') {
      throw new TokenVendorError(405, 'Use POST');
    }
    const headerOf = multiValue
      ? (name: string) => firstHeader(event.multiValueHeaders, name)
      : (name: string) => header(event.headers, name);
    const caller = await identifyHttpCaller({ requestContext, v2, header: headerOf }, config.identity);
    outcome.identity = caller.source;
    if (caller.source === 'unauthenticated' && !config.allowUnauthenticatedUsers) {
      throw new TokenVendorError(401, 'Authentication required');
    }
    const result = await vend(client, config, parseBody(event.body, event.isBase64Encoded === true), caller, outcome, deadline);
    body = JSON.stringify(result);
  } catch (err) {
    const error = toVendorError(err, outcome);
    outcome.status = error.statusCode;
    body = JSON.stringify({ message: error.message });
  }
  log(outcome);
  const response = respond(outcome.status, body, cors, multiValue, alb);
  if (outcome.status === 405) addHeader(response, 'Allow', CORS_ALLOWED_METHODS.join(', '));
  if (outcome.status === 429) addHeader(response, 'Retry-After', String(THROTTLE_WAIT.retryAfterSeconds));
  return response;
}

/** Validates the request against the vendor's limits and calls CreateChatToken. */
async function vend(
  client: IvschatClient, config: TokenVendorConfig, body: Record<string, unknown>, caller: Caller, outcome: Outcome, deadline: number,
): Promise<ChatTokenResult> {
  for (const key in body) {
    if (!BODY_FIELDS.has(key)) {
      throw badRequest(`Unknown field ${JSON.stringify(key.slice(0, 64))}: the body takes roomArn, userId, attributes, capabilities and sessionDurationInMinutes`);
    }
  }

  const roomArn = readRoom(config, body.roomArn);
  outcome.room = roomArn;

  const userId = readUserId(caller, body.userId);
  outcome.userIdLength = userId.length;

  const capabilities = readCapabilities(callerCapabilities(config, caller), body.capabilities);
  const sessionDurationInMinutes = readSessionDuration(config, body.sessionDurationInMinutes);
  const attributes = readAttributes(config, caller, body.attributes);

  const command = new CreateChatTokenCommand({ roomIdentifier: roomArn, userId, capabilities, sessionDurationInMinutes, attributes });
  let response;
  for (let attempt = 1; ; attempt++) {
    try {
      response = await client.send(command);
      break;
    } catch (err) {
      const throttled = isThrottling(err);
      // Full jitter spreads a crowd of waiting requests over the bucket's refills instead of in waves.
      const delay = Math.random() * Math.min(THROTTLE_WAIT.backoffCapMs, THROTTLE_WAIT.backoffBaseMs * 2 ** (attempt - 1));
      if ((!throttled && !isServerFault(err)) || Date.now() + delay >= deadline) {
        outcome.error = err instanceof Error ? err.name : typeof err;
        throw throttled
          ? new TokenVendorError(429, 'Too many requests: try again shortly')
          : new TokenVendorError(502, 'The chat service could not issue a token');
      }
      outcome.attempts = attempt + 1;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  if (!response.token) {
    outcome.error = 'EmptyToken';
    throw new TokenVendorError(502, 'The chat service could not issue a token');
  }
  return {
    token: response.token,
    tokenExpirationTime: response.tokenExpirationTime?.toISOString(),
    sessionExpirationTime: response.sessionExpirationTime?.toISOString(),
  };
}

function readRoom(config: TokenVendorConfig, value: unknown): string {
  if (value === undefined || value === null) {
    if (config.onlyRoomArn) return config.onlyRoomArn;
    throw badRequest('roomArn is required: this vendor serves more than one room');
  }
  if (typeof value !== 'string') throw badRequest('roomArn must be a string');
  if (!config.roomArns.has(value)) throw forbidden('This vendor does not issue tokens for that room');
  return value;
}

function readUserId(caller: Caller, value: unknown): string {
  if (value !== undefined && value !== null && typeof value !== 'string') throw badRequest('userId must be a string');
  const requested = value as string | undefined | null;
  if (caller.userId !== undefined) {
    if (requested !== undefined && requested !== null && requested !== caller.userId) {
      throw forbidden('userId must be the authenticated caller\'s identity');
    }
    checkUserIdLength(caller.userId, 'The caller\'s identity');
    return caller.userId;
  }
  if (requested === undefined || requested === null) throw badRequest('userId is required');
  checkUserIdLength(requested, 'userId');
  return requested;
}

function checkUserIdLength(userId: string, what: string): void {
  const max = TOKEN_LIMITS.userIdMaxLength;
  // Code points, as the API counts them; UTF-16 length is an upper bound, so count only when needed.
  if (userId.length === 0 || (userId.length > max && codePoints(userId) > max)) {
    throw badRequest(`${what} must be 1-${max} characters`);
  }
}

function codePoints(s: string): number {
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** The vendor's capabilities, then those the caller's groups add. */
function callerCapabilities(config: TokenVendorConfig, caller: Caller): readonly Capability[] {
  if (config.groupCapabilities.size === 0) return config.capabilities;
  const allowed = new Set<Capability>(config.capabilities);
  for (const group of groupsOf(caller.claims[config.groupsClaim])) {
    for (const capability of config.groupCapabilities.get(group) ?? []) allowed.add(capability);
  }
  return [...allowed];
}

function readCapabilities(allowedList: readonly Capability[], value: unknown): Capability[] {
  if (value === undefined || value === null) return [...allowedList];
  const allowed: readonly string[] = allowedList;
  if (!Array.isArray(value)) throw badRequest('capabilities must be a list');
  for (const capability of value) {
    if (typeof capability !== 'string' || !KNOWN_CAPABILITIES.has(capability)) {
      throw badRequest(`capabilities may hold ${TOKEN_CAPABILITIES.join(', ')}`);
    }
    if (!allowed.includes(capability)) {
      throw forbidden(`This vendor does not grant ${capability}`);
    }
  }
  return value.length < 2 ? value : [...new Set(value as Capability[])];
}

function readSessionDuration(config: TokenVendorConfig, value: unknown): number {
  if (value === undefined || value === null) return config.maxSessionMinutes;
  const { min, max } = TOKEN_LIMITS.sessionDurationMinutes;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`sessionDurationInMinutes must be an integer between ${min} and ${max}`);
  }
  if (value > config.maxSessionMinutes) {
    throw badRequest(`sessionDurationInMinutes must be at most ${config.maxSessionMinutes}`);
  }
  return value;
}

/** The token's attributes: the caller's claims named by attributesFromClaims, then the body's allowed keys. */
function readAttributes(config: TokenVendorConfig, caller: Caller, value: unknown): Record<string, string> | undefined {
  const attributes: Record<string, string> = {};
  let count = 0;
  for (const [attribute, claim] of config.attributesFromClaims) {
    const claimed = attributeValueOf(caller.claims[claim]);
    if (claimed !== undefined) {
      attributes[attribute] = claimed;
      count++;
    }
  }
  if (value !== undefined && value !== null) {
    if (!isObject(value)) throw badRequest('attributes must be a map of strings');
    for (const key in value) {
      if (!config.clientAttributes.has(key)) {
        const name = JSON.stringify(key.slice(0, 64));
        throw badRequest(config.attributesFromClaims.some(([attribute]) => attribute === key)
          ? `attributes may not set ${name}: the vendor sets it from the caller's identity`
          : config.clientAttributes.size === 0
            ? 'This vendor takes no attributes from the request'
            : `attributes may set only ${[...config.clientAttributes].join(', ')}`);
      }
      if (typeof value[key] !== 'string') throw badRequest('attributes must be a map of strings');
      attributes[key] = value[key];
      count++;
    }
  }
  if (count === 0) return undefined;
  const max = TOKEN_LIMITS.attributesMaxBytes;
  let bytes = 0;
  for (const key in attributes) bytes += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(attributes[key], 'utf8');
  if (bytes > max) throw badRequest(`attributes must be at most ${max} bytes in total (UTF-8 keys and values, with those from the caller's identity)`);
  return attributes;
}

function parseBody(raw: unknown, base64: boolean): Record<string, unknown> {
  // An empty body asks for the defaults: the only room, the caller's identity, the full capabilities.
  if (raw === undefined || raw === null || raw === '') return {};
  if (typeof raw !== 'string') throw badRequest('The body must be JSON');
  if (raw.length > (base64 ? MAX_BODY_BYTES * 4 / 3 + 4 : MAX_BODY_BYTES)) {
    throw new TokenVendorError(413, `The body must be at most ${MAX_BODY_BYTES} bytes`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(base64 ? Buffer.from(raw, 'base64').toString('utf8') : raw);
  } catch {
    throw badRequest('The body must be JSON');
  }
  if (!isObject(parsed) || Array.isArray(parsed)) throw badRequest('The body must be a JSON object');
  return parsed;
}

const EXPOSED_HEADERS = CORS_EXPOSED_HEADERS.join(', ');

const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Methods': CORS_ALLOWED_METHODS.join(', '),
  'Access-Control-Allow-Headers': CORS_ALLOWED_HEADERS.join(', '),
  'Access-Control-Max-Age': String(CORS_MAX_AGE_SECONDS),
};

/** CORS headers for this origin, or undefined when the vendor has no allowed origins. */
function corsHeaders(config: TokenVendorConfig, origin: string | undefined): Record<string, string> | undefined {
  if (config.allowAnyOrigin) return { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': EXPOSED_HEADERS };
  if (config.allowedOrigins.size === 0) return undefined;
  // The answer depends on the Origin whether or not it is allowed: caches must key on it.
  return origin !== undefined && config.allowedOrigins.has(origin)
    ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': EXPOSED_HEADERS, 'Vary': 'Origin' }
    : { Vary: 'Origin' };
}

function respond(
  statusCode: number, body: string, cors: Record<string, string> | undefined, multiValue: boolean, alb: boolean,
): HttpResponse {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...cors,
  };
  const response: HttpResponse = { statusCode, body, isBase64Encoded: false };
  if (multiValue) {
    // An ALB target group with multi-value headers reads only `multiValueHeaders`.
    const values: Record<string, string[]> = {};
    for (const key in headers) values[key] = [headers[key]];
    response.multiValueHeaders = values;
  } else {
    response.headers = headers;
  }
  if (alb) response.statusDescription = `${statusCode} ${STATUS_NAMES[statusCode] ?? ''}`.trim();
  return response;
}

function addHeader(response: HttpResponse, name: string, value: string): void {
  if (response.multiValueHeaders) response.multiValueHeaders[name] = [value];
  else if (response.headers) response.headers[name] = value;
}

/** A header by name, whatever its case (REST APIs keep the client's case; HTTP APIs lower it). */
function header(headers: unknown, name: string): string | undefined {
  if (!isObject(headers)) return undefined;
  const exact = headers[name];
  if (typeof exact === 'string') return exact;
  for (const key in headers) {
    if (key.length === name.length && key.toLowerCase() === name) {
      const value = headers[key];
      return typeof value === 'string' ? value : undefined;
    }
  }
  return undefined;
}

function firstHeader(headers: Record<string, unknown>, name: string): string | undefined {
  for (const key in headers) {
    if (key.toLowerCase() === name) {
      const values = headers[key];
      return Array.isArray(values) && typeof values[0] === 'string' ? values[0] : undefined;
    }
  }
  return undefined;
}

/** A 5xx from the service: worth another attempt within the wait, as the SDK's own retries would make. */
function isServerFault(err: unknown): boolean {
  return err instanceof Error && (err as { $fault?: string }).$fault === 'server';
}

function isThrottling(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const retryable = (err as { $retryable?: { throttling?: boolean } }).$retryable;
  return err.name === 'ThrottlingException' || retryable?.throttling === true;
}

/** A refusal as is; anything else (a bug) becomes a 500 that reveals nothing. */
function toVendorError(err: unknown, outcome: Outcome): TokenVendorError {
  if (err instanceof TokenVendorError) return err;
  outcome.error ??= err instanceof Error ? err.name : typeof err;
  return new TokenVendorError(500, 'Internal error');
}


/** One line per request: status, room, identity source and userId length; never the token or the userId. */
function log(outcome: Outcome): void {
  console.log(JSON.stringify(outcome));
}
