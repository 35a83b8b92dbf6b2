// The Lambda runtime provides the SDK v3 and the bundle leaves it external: a dev dependency is right here.
// eslint-disable-next-line import/no-extraneous-dependencies
import { CreateChatTokenCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import { Caller, callerOf, IdentitySource, isObject } from './token-vendor-identity';
import type { ChatTokenCapability } from '../chat-token-capability';
import {
  CORS_ALLOWED_HEADERS, CORS_ALLOWED_METHODS, CORS_MAX_AGE_SECONDS, TOKEN_CAPABILITIES, TOKEN_LIMITS, TOKEN_VENDOR_ENV as ENV,
} from '../private/token-vendor-contract';

// The request logic of the chat token vendor: a pure function over a client and a configuration,
// so tests call it without environment variables. `token-vendor.lambda.ts` wires the environment in.
//
// Decisions (the README and the construct's docs repeat them):
// - Identity precedence: JWT / Cognito `sub`, then a Lambda authorizer's `userId`, then its
//   `principalId`, then the IAM caller ARN. The first non-empty one is the userId; a different
//   `userId` in the body is 403.
// - Direct invocation (no HTTP envelope): the invoker passed IAM (`lambda:InvokeFunction`), so the
//   body's `userId` is trusted. Success returns the plain `{ token, tokenExpirationTime,
//   sessionExpirationTime }`; a failure throws a `TokenVendorError` whose name says the status.
// - No `capabilities` in the request means the vendor's full set; `[]` means a view-only token.
// - No `sessionDurationInMinutes` means the vendor's maximum.

export type Capability = ChatTokenCapability;
const KNOWN_CAPABILITIES: ReadonlySet<string> = new Set(TOKEN_CAPABILITIES);

/** A body larger than this is refused before parsing; a valid request is far smaller. */
export const MAX_BODY_BYTES = 16 * 1024;

const BODY_FIELDS: ReadonlySet<string> = new Set(['roomArn', 'userId', 'attributes', 'capabilities', 'sessionDurationInMinutes']);

/** What the vendor may hand out, as plain lists (what the environment holds). */
export interface TokenVendorSettings {
  readonly roomArns: readonly string[];
  readonly capabilities: readonly string[];
  readonly maxSessionMinutes: number;
  readonly allowUnauthenticatedUsers: boolean;
  /** Origins allowed by CORS; `*` allows any. Empty: no CORS headers. */
  readonly allowedOrigins: readonly string[];
}

/** The settings, checked once and shaped for the hot path. */
export interface TokenVendorConfig {
  readonly roomArns: ReadonlySet<string>;
  /** The room when the vendor has exactly one, so `roomArn` may be left out. */
  readonly onlyRoomArn: string | undefined;
  readonly capabilities: readonly Capability[];
  readonly capabilitySet: ReadonlySet<string>;
  readonly maxSessionMinutes: number;
  readonly allowUnauthenticatedUsers: boolean;
  readonly allowAnyOrigin: boolean;
  readonly allowedOrigins: ReadonlySet<string>;
}

/** Checks the settings and builds the configuration; throws on anything the construct would not render. */
export function createConfig(settings: TokenVendorSettings): TokenVendorConfig {
  if (settings.roomArns.length === 0 || settings.roomArns.some((arn) => typeof arn !== 'string' || !arn)) {
    throw new Error(`Token vendor configuration: ${ENV.roomArns} must list at least one room ARN`);
  }
  for (const capability of settings.capabilities) {
    if (!KNOWN_CAPABILITIES.has(capability)) {
      throw new Error(`Token vendor configuration: unknown capability ${JSON.stringify(capability)} in ${ENV.capabilities}`);
    }
  }
  const { min, max } = TOKEN_LIMITS.sessionDurationMinutes;
  if (!Number.isInteger(settings.maxSessionMinutes) || settings.maxSessionMinutes < min || settings.maxSessionMinutes > max) {
    throw new Error(`Token vendor configuration: ${ENV.maxSessionMinutes} must be an integer between ${min} and ${max}`);
  }
  const capabilities = [...new Set(settings.capabilities)] as Capability[];
  return {
    roomArns: new Set(settings.roomArns),
    onlyRoomArn: settings.roomArns.length === 1 ? settings.roomArns[0] : undefined,
    capabilities,
    capabilitySet: new Set(capabilities),
    maxSessionMinutes: settings.maxSessionMinutes,
    allowUnauthenticatedUsers: settings.allowUnauthenticatedUsers,
    allowAnyOrigin: settings.allowedOrigins.includes('*'),
    allowedOrigins: new Set(settings.allowedOrigins),
  };
}

/** Reads the configuration the construct put in the function's environment. */
export function configFromEnvironment(env: Record<string, string | undefined>): TokenVendorConfig {
  return createConfig({
    roomArns: readList(env, ENV.roomArns),
    capabilities: readList(env, ENV.capabilities),
    maxSessionMinutes: Number(env[ENV.maxSessionMinutes]),
    allowUnauthenticatedUsers: env[ENV.allowUnauthenticatedUsers] === 'true',
    allowedOrigins: env[ENV.allowedOrigins] ? readList(env, ENV.allowedOrigins) : [],
  });
}

function readList(env: Record<string, string | undefined>, name: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(env[name] ?? '');
  } catch {
    throw new Error(`Token vendor configuration: ${name} must be a JSON list of strings`);
  }
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new Error(`Token vendor configuration: ${name} must be a JSON list of strings`);
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

const STATUS_NAMES: Record<number, string> = {
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

const badRequest = (message: string) => new TokenVendorError(400, message);
const forbidden = (message: string) => new TokenVendorError(403, message);

/** What the handler learnt about the request; logged once. */
interface Outcome {
  status: number;
  room?: string;
  identity?: IdentitySource;
  userIdLength?: number;
  error?: string;
}

/**
 * Answers one invocation: an API Gateway REST (v1) or HTTP API / function URL (v2) event, an ALB
 * event, or a direct invocation whose payload is the request body.
 */
export async function handleEvent(
  client: IvschatClient, config: TokenVendorConfig, event: unknown,
): Promise<HttpResponse | ChatTokenResult> {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    log({ status: 400, identity: 'direct' });
    throw badRequest('The payload must be a JSON object: the request body');
  }
  const record = event as Record<string, unknown>;
  return isHttpEvent(record) ? handleHttp(client, config, record) : handleDirect(client, config, record);
}

/**
 * Anything that looks like an HTTP envelope takes the HTTP path, whose identity rules are the strict
 * ones: a malformed envelope can never pass for a trusted direct invocation.
 */
function isHttpEvent(event: Record<string, unknown>): boolean {
  return 'requestContext' in event || 'httpMethod' in event || 'headers' in event || 'multiValueHeaders' in event
    || 'body' in event || 'routeKey' in event || 'rawPath' in event || 'version' in event;
}

async function handleDirect(client: IvschatClient, config: TokenVendorConfig, payload: Record<string, unknown>): Promise<ChatTokenResult> {
  const outcome: Outcome = { status: 200, identity: 'direct' };
  try {
    return await vend(client, config, payload, { userId: undefined, source: 'direct' }, outcome);
  } catch (err) {
    const error = toVendorError(err, outcome);
    outcome.status = error.statusCode;
    throw error;
  } finally {
    log(outcome);
  }
}

async function handleHttp(client: IvschatClient, config: TokenVendorConfig, event: Record<string, any>): Promise<HttpResponse> {
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
    const caller = callerOf(requestContext, v2);
    outcome.identity = caller.source;
    if (caller.source === 'unauthenticated' && !config.allowUnauthenticatedUsers) {
      throw new TokenVendorError(401, 'Authentication required');
    }
    const result = await vend(client, config, parseBody(event.body, event.isBase64Encoded === true), caller, outcome);
    body = JSON.stringify(result);
  } catch (err) {
    const error = toVendorError(err, outcome);
    outcome.status = error.statusCode;
    body = JSON.stringify({ message: error.message });
  }
  log(outcome);
  const response = respond(outcome.status, body, cors, multiValue, alb);
  if (outcome.status === 405) addHeader(response, 'Allow', CORS_ALLOWED_METHODS.join(', '));
  return response;
}

/** Validates the request against the vendor's limits and calls CreateChatToken. */
async function vend(
  client: IvschatClient, config: TokenVendorConfig, body: Record<string, unknown>, caller: Caller, outcome: Outcome,
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

  const capabilities = readCapabilities(config, body.capabilities);
  const sessionDurationInMinutes = readSessionDuration(config, body.sessionDurationInMinutes);
  const attributes = readAttributes(body.attributes);

  let response;
  try {
    response = await client.send(new CreateChatTokenCommand({
      roomIdentifier: roomArn,
      userId,
      capabilities,
      sessionDurationInMinutes,
      attributes,
    }));
  } catch (err) {
    outcome.error = err instanceof Error ? err.name : typeof err;
    throw isThrottling(err)
      ? new TokenVendorError(429, 'Too many requests: try again shortly')
      : new TokenVendorError(502, 'The chat service could not issue a token');
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

function readCapabilities(config: TokenVendorConfig, value: unknown): Capability[] {
  if (value === undefined || value === null) return config.capabilities as Capability[];
  if (!Array.isArray(value)) throw badRequest('capabilities must be a list');
  for (const capability of value) {
    if (typeof capability !== 'string' || !KNOWN_CAPABILITIES.has(capability)) {
      throw badRequest(`capabilities may hold ${TOKEN_CAPABILITIES.join(', ')}`);
    }
    if (!config.capabilitySet.has(capability)) {
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

function readAttributes(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value) || Array.isArray(value)) throw badRequest('attributes must be a map of strings');
  const max = TOKEN_LIMITS.attributesMaxBytes;
  let bytes = 0;
  for (const key in value) {
    const v = value[key];
    if (typeof v !== 'string') throw badRequest('attributes must be a map of strings');
    bytes += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(v, 'utf8');
    if (bytes > max) throw badRequest(`attributes must be at most ${max} bytes in total (UTF-8 keys and values)`);
  }
  return value as Record<string, string>;
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

const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Methods': CORS_ALLOWED_METHODS.join(', '),
  'Access-Control-Allow-Headers': CORS_ALLOWED_HEADERS.join(', '),
  'Access-Control-Max-Age': String(CORS_MAX_AGE_SECONDS),
};

/** CORS headers for this origin, or undefined when the vendor has no allowed origins. */
function corsHeaders(config: TokenVendorConfig, origin: string | undefined): Record<string, string> | undefined {
  if (config.allowAnyOrigin) return { 'Access-Control-Allow-Origin': '*' };
  if (config.allowedOrigins.size === 0) return undefined;
  // The answer depends on the Origin whether or not it is allowed: caches must key on it.
  return origin !== undefined && config.allowedOrigins.has(origin)
    ? { 'Access-Control-Allow-Origin': origin, 'Vary': 'Origin' }
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
