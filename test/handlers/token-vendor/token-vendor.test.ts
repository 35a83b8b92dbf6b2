import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import {
  AccessDeniedException, CreateChatTokenCommand, IvschatClient, ResourceNotFoundException, ThrottlingException,
} from '@aws-sdk/client-ivschat';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  ChatTokenResult, configFromEnvironment, createConfig, handleEvent, HttpResponse, MAX_BODY_BYTES,
  TokenVendorConfig, TokenVendorError, TokenVendorSettings,
} from '../../../src/handlers/token-vendor/token-vendor';
import { handler } from '../../../src/handlers/token-vendor/token-vendor.lambda';
import { TOKEN_VENDOR_ENV as ENV } from '../../../src/private/token-vendor-contract';
import { IvsChatStandIn } from 'cdk-ivs-chat/testing';

const ivschat = mockClient(IvschatClient);
const client = new IvschatClient({ region: 'us-east-1' });

const ROOM_A = 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456';
const ROOM_B = 'arn:aws:ivschat:us-east-1:123456789012:room/ZyXwVu654321';
const TOKEN = 'SECRET-chat-token-0123456789abcdef';
const TOKEN_EXPIRES = new Date('2030-01-01T00:01:00.000Z');
const SESSION_EXPIRES = new Date('2030-01-01T01:00:00.000Z');
const SUB = 'cognito-sub-1111';
const ORIGIN = 'https://app.example.com';

function config(overrides: Partial<TokenVendorSettings> = {}): TokenVendorConfig {
  return createConfig({
    roomArns: [ROOM_A],
    capabilities: ['SEND_MESSAGE'],
    maxSessionMinutes: 60,
    allowUnauthenticatedUsers: false,
    allowedOrigins: [],
    ...overrides,
  });
}

interface EventOptions {
  readonly body?: unknown;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly authorizer?: Record<string, unknown>;
  readonly identity?: Record<string, unknown>;
}

/** API Gateway REST API (payload 1.0) proxy event. */
function restEvent(options: EventOptions = {}): Record<string, unknown> {
  return {
    resource: '/token',
    path: '/token',
    httpMethod: options.method ?? 'POST',
    headers: options.headers ?? { 'Content-Type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    requestContext: {
      accountId: '123456789012',
      stage: 'prod',
      httpMethod: options.method ?? 'POST',
      identity: { sourceIp: '192.0.2.1', userArn: null, ...options.identity },
      ...(options.authorizer ? { authorizer: options.authorizer } : {}),
    },
    body: bodyOf(options.body),
    isBase64Encoded: false,
  };
}

/** HTTP API / function URL (payload 2.0) event. */
function httpEvent(options: EventOptions = {}): Record<string, unknown> {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: options.headers ?? { 'content-type': 'application/json' },
    requestContext: {
      accountId: '123456789012',
      http: { method: options.method ?? 'POST', path: '/', sourceIp: '192.0.2.1' },
      ...(options.authorizer ? { authorizer: options.authorizer } : {}),
    },
    body: bodyOf(options.body),
    isBase64Encoded: false,
  };
}

function bodyOf(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  return typeof body === 'string' ? body : JSON.stringify(body);
}

const JWT_V1 = { claims: { sub: SUB, email: 'a@example.com' } };
const JWT_V2 = { jwt: { claims: { sub: SUB }, scopes: [] } };

async function http(cfg: TokenVendorConfig, event: Record<string, unknown>): Promise<HttpResponse> {
  return (await handleEvent(client, cfg, event)) as HttpResponse;
}

function json(response: HttpResponse): Record<string, unknown> {
  return JSON.parse(response.body);
}

let logSpy: jest.SpyInstance;

beforeEach(() => {
  ivschat.reset();
  ivschat.on(CreateChatTokenCommand).resolves({
    token: TOKEN, tokenExpirationTime: TOKEN_EXPIRES, sessionExpirationTime: SESSION_EXPIRES,
  });
  logSpy = jest.spyOn(console, 'log').mockImplementation(() => {});
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('event shapes', () => {
  test('REST API (v1) with a Cognito authorizer: 200, the token as JSON, the caller\'s sub as userId', async () => {
    // WHEN
    const response = await http(config(), restEvent({ authorizer: JWT_V1, body: { roomArn: ROOM_A } }));

    // THEN
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({
      token: TOKEN,
      tokenExpirationTime: '2030-01-01T00:01:00.000Z',
      sessionExpirationTime: '2030-01-01T01:00:00.000Z',
    });
    expect(response.headers).toEqual(expect.objectContaining({
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
    }));
    expect(ivschat).toHaveReceivedCommandTimes(CreateChatTokenCommand, 1);
    expect(ivschat).toHaveReceivedCommandWith(CreateChatTokenCommand, {
      roomIdentifier: ROOM_A, userId: SUB, capabilities: ['SEND_MESSAGE'], sessionDurationInMinutes: 60,
    });
  });

  test('HTTP API (v2) with a JWT authorizer', async () => {
    // WHEN
    const response = await http(config(), httpEvent({ authorizer: JWT_V2, body: {} }));

    // THEN
    expect(response.statusCode).toBe(200);
    expect(json(response).token).toBe(TOKEN);
    expect(ivschat).toHaveReceivedCommandWith(CreateChatTokenCommand, { roomIdentifier: ROOM_A, userId: SUB });
  });

  test('function URL (v2) with AWS_IAM auth and trustIamPrincipals: the signer\'s ARN is the userId', async () => {
    // GIVEN
    const userArn = 'arn:aws:sts::123456789012:assumed-role/Viewer/session';

    // WHEN
    const response = await http(config({ trustIamPrincipals: true }), httpEvent({
      authorizer: { iam: { accessKey: 'AKIA', accountId: '123456789012', userArn, userId: 'AROA' } },
    }));

    // THEN
    expect(response.statusCode).toBe(200);
    expect(ivschat).toHaveReceivedCommandWith(CreateChatTokenCommand, { userId: userArn });
  });

  test('a base64-encoded body is decoded', async () => {
    // GIVEN
    const event = httpEvent({ authorizer: JWT_V2 });
    event.body = Buffer.from(JSON.stringify({ sessionDurationInMinutes: 5 })).toString('base64');
    event.isBase64Encoded = true;

    // WHEN
    const response = await http(config(), event);

    // THEN
    expect(response.statusCode).toBe(200);
    expect(ivschat).toHaveReceivedCommandWith(CreateChatTokenCommand, { sessionDurationInMinutes: 5 });
  });

  test('an empty body asks for the defaults', async () => {
    // WHEN
    const response = await http(config({ maxSessionMinutes: 30 }), restEvent({ authorizer: JWT_V1 }));

    // THEN
    expect(response.statusCode).toBe(200);
    expect(ivschat).toHaveReceivedCommandWith(CreateChatTokenCommand, {
      roomIdentifier: ROOM_A, userId: SUB, capabilities: ['SEND_MESSAGE'], sessionDurationInMinutes: 30,
    });
  });

  test('direct invocation: the payload is the body, its userId is trusted, the answer is the plain token object', async () => {
    // WHEN
    const result = await handleEvent(client, config({ trustDirectInvocation: true, clientAttributes: ['name'] }), { userId: 'service-user', attributes: { name: 'Ann' } });

    // THEN
    expect(result).toEqual({
      token: TOKEN,
      tokenExpirationTime: '2030-01-01T00:01:00.000Z',
      sessionExpirationTime: '2030-01-01T01:00:00.000Z',
    });
    expect(ivschat).toHaveReceivedCommandWith(CreateChatTokenCommand, {
      roomIdentifier: ROOM_A, userId: 'service-user', attributes: { name: 'Ann' },
    });
  });

  test('direct invocation: a refusal throws an error named after the status', async () => {
    // WHEN
    const trusted = config({ trustDirectInvocation: true });
    const call = handleEvent(client, trusted, { userId: 'u', capabilities: ['DELETE_MESSAGE'] });

    // THEN
    await expect(call).rejects.toBeInstanceOf(TokenVendorError);
    await expect(handleEvent(client, trusted, { userId: 'u', capabilities: ['DELETE_MESSAGE'] }))
      .rejects.toMatchObject({ name: 'Forbidden', statusCode: 403 });
    await expect(handleEvent(client, trusted, {})).rejects.toMatchObject({ name: 'BadRequest', statusCode: 400 });
    expect(ivschat).not.toHaveReceivedCommand(CreateChatTokenCommand);
  });

  test('direct invocation without trustDirectInvocation: refused (403) whatever the payload says, the service is not called', async () => {
    await expect(handleEvent(client, config(), { userId: 'admin' })).rejects.toMatchObject({
      name: 'Forbidden', statusCode: 403, message: expect.stringContaining('set trustDirectInvocation'),
    });
    await expect(handleEvent(client, config({ allowUnauthenticatedUsers: true }), { userId: 'admin' })).rejects.toMatchObject({ statusCode: 403 });
    expect(ivschat).not.toHaveReceivedCommand(CreateChatTokenCommand);
  });

  test.each([[null], ['{"userId":"u"}'], [[{ userId: 'u' }]], [42]])('direct invocation of %j is refused', async (payload) => {
    await expect(handleEvent(client, config(), payload)).rejects.toMatchObject({ name: 'BadRequest' });
    expect(ivschat).not.toHaveReceivedCommand(CreateChatTokenCommand);
  });

  test('an HTTP-like payload without a method is never trusted as a direct invocation', async () => {
    // WHEN: a body-only envelope with a userId
    const response = await http(config(), { body: JSON.stringify({ userId: 'admin' }) });

    // THEN
    expect(response.statusCode).toBe(405);
    expect(ivschat).not.toHaveReceivedCommand(CreateChatTokenCommand);
  });

  test('an envelope without authorizer and a userId in the body is unauthenticated, not trusted', async () => {
    // WHEN
    const response = await http(config(), { requestContext: {}, httpMethod: 'POST', body: '{"userId":"admin"}' });

    // THEN
    expect(response.statusCode).toBe(401);
    expect(ivschat).not.toHaveReceivedCommand(CreateChatTokenCommand);
  });

  test('ALB with multi-value headers: answers in multiValueHeaders, with a status description', async () => {
    // GIVEN
    const event = {
      requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/1' } },
      httpMethod: 'POST',
      path: '/token',
      multiValueHeaders: { origin: [ORIGIN] },
      body: '{"userId":"guest"}',
      isBase64Encoded: false,
    };

    // WHEN
    const response = await http(config({ allowUnauthenticatedUsers: true, allowedOrigins: [ORIGIN] }), event);

    // THEN
    expect(response.statusCode).toBe(200);
    expect(response.statusDescription).toBe('200 OK');
    expect(response.headers).toBeUndefined();
    expect(response.multiValueHeaders).toEqual(expect.objectContaining({
      'Cache-Control': ['no-store'],
      'Access-Control-Allow-Origin': [ORIGIN],
    }));
  });
});

describe('identity', () => {
  test.each([
    ['v1 JWT sub over Lambda authorizer and IAM', 'v1', { claims: { sub: 'jwt-sub' }, principalId: 'p', userId: 'u' }, 'arn:iam', 'jwt-sub'],
    ['v1 Lambda authorizer userId over principalId', 'v1', { principalId: 'principal', userId: 'context-user' }, 'arn:iam', 'context-user'],
    ['v1 Lambda authorizer principalId over IAM', 'v1', { principalId: 'principal' }, 'arn:iam', 'principal'],
    ['v1 IAM caller ARN', 'v1', undefined, 'arn:aws:iam::123456789012:user/alice', 'arn:aws:iam::123456789012:user/alice'],
    ['v1 HTTP API payload 1.0 JWT claims', 'v1', { jwt: { claims: { sub: 'jwt-sub' } } }, undefined, 'jwt-sub'],
    ['v2 JWT sub over Lambda authorizer and IAM', 'v2',
      { jwt: { claims: { sub: 'jwt-sub' } }, lambda: { userId: 'u' }, iam: { userArn: 'arn:iam' } }, undefined, 'jwt-sub'],
    ['v2 Lambda authorizer userId over principalId', 'v2', { lambda: { userId: 'context-user', principalId: 'p' } }, undefined, 'context-user'],
    ['v2 Lambda authorizer principalId', 'v2', { lambda: { principalId: 'principal' }, iam: { userArn: 'arn:iam' } }, undefined, 'principal'],
    ['v2 Lambda authorizer numeric userId', 'v2', { lambda: { userId: 42 } }, undefined, '42'],
    ['v2 IAM caller ARN', 'v2', { iam: { userArn: 'arn:aws:iam::123456789012:user/bob' } }, undefined, 'arn:aws:iam::123456789012:user/bob'],
  ])('%s', async (_name, version, authorizer, userArn, expected) => {
    // GIVEN
    const event = version === 'v1'
      ? restEvent({ authorizer, identity: { userArn: userArn ?? null } })
      : httpEvent({ authorizer });

    // WHEN
    const response = await http(config({ trustIamPrincipals: true }), event);

    // THEN
    expect(response.statusCode).toBe(200);
    expect(ivschat).toHaveReceivedCommandWith(CreateChatTokenCommand, { userId: expected });
  });

  test('a body userId equal to the caller\'s identity is accepted', async () => {
    const response = await http(config(), restEvent({ authorizer: JWT_V1, body: { userId: SUB } }));
    expect(response.statusCode).toBe(200);
  });

  test.each([['v1'], ['v2']])('%s: a body userId other than the caller\'s identity is 403', async (version) => {
    // WHEN
    const body = { userId: 'someone-else' };
    const response = await http(config(), version === 'v1'
      ? restEvent({ authorizer: JWT_V1, body })
      : httpEvent({ authorizer: JWT_V2, body }));

    // THEN
    expect(response.statusCode).toBe(403);
    expect(json(response)).toEqual({ message: expect.stringContaining('userId') });
    expect(ivschat).not.toHaveReceivedCommand(CreateChatTokenCommand);
  });

  test.each([['v1'], ['v2']])('%s: no authenticated caller is 401 by default, whatever the body says', async (version) => {
    // WHEN
    const body = { userId: 'admin' };
    const response = await http(config(), version === 'v1' ? restEvent({ body }) : httpEvent({ body }));

    // THEN
    expect(response.statusCode).toBe(401);
    expect(response.headers?.['Cache-Control']).toBe('no-store');
    expect(ivschat).not.toHaveReceivedCommand(CreateChatTokenCommand);
  });

  test('401 comes before the body is read', async () => {
    const response = await http(config(), restEvent({ body: '{not json' }));
    expect(response.statusCode).toBe(401);
  });

  test('allowUnauthenticatedUsers: the body\'s userId is used', async () => {
    // WHEN
    const response = await http(config({ allowUnauthenticatedUsers: true }), httpEvent({ body: { userId: 'guest-7' } }));

    // THEN
    expect(response.statusCode).toBe(200);
    expect(ivschat).toHaveReceivedCommandWith(CreateChatTokenCommand, { userId: 'guest-7' });
  });

  test('allowUnauthenticatedUsers: an authenticated caller still cannot pick another userId', async () => {
    const response = await http(config({ allowUnauthenticatedUsers: true }), httpEvent({ authorizer: JWT_V2, body: { userId: 'x' } }));
    expect(response.statusCode).toBe(403);
  });

  test('allowUnauthenticatedUsers: no userId is 400', async () => {
    const response = await http(config({ allowUnauthenticatedUsers: true }), httpEvent({ body: {} }));
    expect(response.statusCode).toBe(400);
    expect(json(response).message).toBe('userId is required');
  });
});

describe('refusals', () => {
  const twoRooms = (overrides: Partial<TokenVendorSettings> = {}) => config({ roomArns: [ROOM_A, ROOM_B], capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE'], maxSessionMinutes: 30, ...overrides });

  test.each<[string, number, unknown, string]>([
    ['malformed JSON', 400, '{"roomArn": ', 'The body must be JSON'],
    ['a JSON array', 400, '[1]', 'The body must be a JSON object'],
    ['a JSON string', 400, '"x"', 'The body must be a JSON object'],
    ['an unknown field', 400, { roomArn: ROOM_A, sessionDurationMinutes: 5 }, 'Unknown field "sessionDurationMinutes"'],
    ['no roomArn with two rooms', 400, {}, 'roomArn is required'],
    ['a roomArn that is no string', 400, { roomArn: 7 }, 'roomArn must be a string'],
    ['a room the vendor does not serve', 403, { roomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/Other1234567' },
      'This vendor does not issue tokens for that room'],
    ['a capability outside the vendor\'s set', 403, { roomArn: ROOM_A, capabilities: ['SEND_MESSAGE', 'DISCONNECT_USER'] },
      'This vendor does not grant DISCONNECT_USER'],
    ['a capability that does not exist', 400, { roomArn: ROOM_A, capabilities: ['ADMIN'] }, 'capabilities may hold'],
    ['capabilities that are no list', 400, { roomArn: ROOM_A, capabilities: 'SEND_MESSAGE' }, 'capabilities must be a list'],
    ['a session above the vendor\'s maximum', 400, { roomArn: ROOM_A, sessionDurationInMinutes: 31 },
      'sessionDurationInMinutes must be at most 30'],
    ['a session of 0 minutes', 400, { roomArn: ROOM_A, sessionDurationInMinutes: 0 }, 'between 1 and 180'],
    ['a session of 181 minutes', 400, { roomArn: ROOM_A, sessionDurationInMinutes: 181 }, 'between 1 and 180'],
    ['a fractional session', 400, { roomArn: ROOM_A, sessionDurationInMinutes: 1.5 }, 'between 1 and 180'],
    ['a session given as a string', 400, { roomArn: ROOM_A, sessionDurationInMinutes: '10' }, 'between 1 and 180'],
    ['attributes that are a list', 400, { roomArn: ROOM_A, attributes: ['a'] }, 'attributes must be a map of strings'],
    ['attributes with a number', 400, { roomArn: ROOM_A, attributes: { level: 3 } }, 'attributes must be a map of strings'],
    ['attributes over 1 KB', 400, { roomArn: ROOM_A, attributes: { k: 'x'.repeat(1024) } }, 'at most 1024 bytes'],
    ['attributes over 1 KB in UTF-8 bytes', 400, { roomArn: ROOM_A, attributes: { name: 'é'.repeat(511) } }, 'at most 1024 bytes'],
    ['a userId that is no string', 400, { roomArn: ROOM_A, userId: 12 }, 'userId must be a string'],
  ])('%s: %d', async (_name, status, body, message) => {
    // WHEN
    const response = await http(twoRooms({ clientAttributes: ['k', 'name', 'level'] }), httpEvent({ authorizer: JWT_V2, body }));

    // THEN
    expect(response.statusCode).toBe(status);
    expect(json(response).message).toContain(message);
    expect(response.headers?.['Content-Type']).toBe('application/json');
    expect(response.headers?.['Cache-Control']).toBe('no-store');
    expect(ivschat).not.toHaveReceivedCommand(CreateChatTokenCommand);
  });

  test('attributes of exactly 1 KB in UTF-8 pass', async () => {
    // GIVEN: 4 + 510 * 2 = 1024 bytes
    const attributes = { name: 'é'.repeat(510) };

    // WHEN
    const response = await http(config({ clientAttributes: ['name'] }), httpEvent({ authorizer: JWT_V2, body: { attributes } }));

    // THEN
    expect(response.statusCode).toBe(200);
    expect(ivschat).toHaveReceivedCommandWith(CreateChatTokenCommand, { attributes });
  });

  test.each<[string, number, string]>([
    ['empty', 400, ''],
    ['129 characters', 400, 'u'.repeat(129)],
    ['128 characters', 200, 'u'.repeat(128)],
    ['128 astral code points (256 UTF-16 units)', 200, '😀'.repeat(128)],
    ['129 astral code points', 400, '😀'.repeat(129)],
  ])('a userId of %s: %d', async (_name, status, userId) => {
    const response = await http(config({ allowUnauthenticatedUsers: true }), httpEvent({ body: { userId } }));
    expect(response.statusCode).toBe(status);
  });

  test('an authenticated identity longer than 128 characters is 400', async () => {
    const response = await http(config({ trustIamPrincipals: true }), httpEvent({ authorizer: { iam: { userArn: `arn:aws:sts::123456789012:assumed-role/${'r'.repeat(120)}/s` } } }));
    expect(response.statusCode).toBe(400);
    expect(json(response).message).toContain('1-128 characters');
  });

  test('a body over the size limit is 413 and is not parsed', async () => {
    const response = await http(config(), httpEvent({ authorizer: JWT_V2, body: `{"userId":"${'x'.repeat(MAX_BODY_BYTES)}"}` }));
    expect(response.statusCode).toBe(413);
  });

  test('GET is 405 with an Allow header', async () => {
    const response = await http(config(), restEvent({ method: 'GET', authorizer: JWT_V1 }));
    expect(response.statusCode).toBe(405);
    expect(response.headers?.Allow).toBe('POST, OPTIONS');
  });
});

describe('capabilities and session length', () => {
  test('a subset is passed as asked, never widened', async () => {
    // GIVEN
    const cfg = config({ capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'] });

    // WHEN
    await http(cfg, httpEvent({ authorizer: JWT_V2, body: { capabilities: ['DELETE_MESSAGE'], sessionDurationInMinutes: 15 } }));

    // THEN
    expect(ivschat).toHaveReceivedCommandWith(CreateChatTokenCommand, { capabilities: ['DELETE_MESSAGE'], sessionDurationInMinutes: 15 });
  });

  test('no capabilities asked means the vendor\'s full set', async () => {
    await http(config({ capabilities: ['SEND_MESSAGE', 'DISCONNECT_USER'] }), httpEvent({ authorizer: JWT_V2 }));
    expect(ivschat).toHaveReceivedCommandWith(CreateChatTokenCommand, { capabilities: ['SEND_MESSAGE', 'DISCONNECT_USER'] });
  });

  test('an empty list asked means a view-only token', async () => {
    await http(config(), httpEvent({ authorizer: JWT_V2, body: { capabilities: [] } }));
    expect(ivschat).toHaveReceivedCommandWith(CreateChatTokenCommand, { capabilities: [] });
  });

  test('a view-only vendor issues view-only tokens and refuses any capability', async () => {
    // GIVEN
    const cfg = config({ capabilities: [] });

    // WHEN
    const ok = await http(cfg, httpEvent({ authorizer: JWT_V2 }));
    const refused = await http(cfg, httpEvent({ authorizer: JWT_V2, body: { capabilities: ['SEND_MESSAGE'] } }));

    // THEN
    expect(ok.statusCode).toBe(200);
    expect(ivschat).toHaveReceivedCommandWith(CreateChatTokenCommand, { capabilities: [] });
    expect(refused.statusCode).toBe(403);
    expect(ivschat).toHaveReceivedCommandTimes(CreateChatTokenCommand, 1);
  });

  test('a repeated capability is asked once', async () => {
    await http(config(), httpEvent({ authorizer: JWT_V2, body: { capabilities: ['SEND_MESSAGE', 'SEND_MESSAGE'] } }));
    expect(ivschat).toHaveReceivedCommandWith(CreateChatTokenCommand, { capabilities: ['SEND_MESSAGE'] });
  });

  test('the second room of a vendor is served when named', async () => {
    const response = await http(config({ roomArns: [ROOM_A, ROOM_B] }), httpEvent({ authorizer: JWT_V2, body: { roomArn: ROOM_B } }));
    expect(response.statusCode).toBe(200);
    expect(ivschat).toHaveReceivedCommandWith(CreateChatTokenCommand, { roomIdentifier: ROOM_B });
  });
});

describe('CORS', () => {
  test('an allowed origin is echoed, with Vary: Origin', async () => {
    // WHEN
    const response = await http(config({ allowedOrigins: [ORIGIN, 'https://other.example.com'] }),
      restEvent({ authorizer: JWT_V1, headers: { Origin: ORIGIN } }));

    // THEN
    expect(response.headers).toEqual(expect.objectContaining({ 'Access-Control-Allow-Origin': ORIGIN, 'Vary': 'Origin' }));
  });

  test('an origin not on the list gets no Allow-Origin, still Vary: Origin', async () => {
    // WHEN
    const response = await http(config({ allowedOrigins: [ORIGIN] }),
      httpEvent({ authorizer: JWT_V2, headers: { origin: 'https://evil.example.com' } }));

    // THEN
    expect(response.headers).not.toHaveProperty('Access-Control-Allow-Origin');
    expect(response.headers?.Vary).toBe('Origin');
  });

  test('`*` allows any origin', async () => {
    const response = await http(config({ allowedOrigins: ['*'] }), httpEvent({ authorizer: JWT_V2, headers: { origin: 'https://x.example' } }));
    expect(response.headers?.['Access-Control-Allow-Origin']).toBe('*');
  });

  test('without allowed origins there are no CORS headers', async () => {
    const response = await http(config(), httpEvent({ authorizer: JWT_V2, headers: { origin: ORIGIN } }));
    expect(Object.keys(response.headers ?? {}).filter((h) => h.startsWith('Access-Control') || h === 'Vary')).toEqual([]);
  });

  test('error answers carry the CORS headers too, so the browser can read the message', async () => {
    const response = await http(config({ allowedOrigins: [ORIGIN] }), httpEvent({ headers: { origin: ORIGIN } }));
    expect(response.statusCode).toBe(401);
    expect(response.headers?.['Access-Control-Allow-Origin']).toBe(ORIGIN);
  });

  test('a preflight is answered without authentication and without calling IVS Chat', async () => {
    // WHEN
    const response = await http(config({ allowedOrigins: [ORIGIN] }), httpEvent({ method: 'OPTIONS', headers: { origin: ORIGIN } }));

    // THEN
    expect(response.statusCode).toBe(204);
    expect(response.headers).toEqual(expect.objectContaining({
      'Access-Control-Allow-Origin': ORIGIN,
      'Access-Control-Allow-Methods': 'POST, OPTIONS',
      'Access-Control-Allow-Headers': expect.stringContaining('authorization'),
    }));
    expect(ivschat).not.toHaveReceivedCommand(CreateChatTokenCommand);
  });
});

describe('service failures', () => {
  const throttling = () => new ThrottlingException({ message: 'Rate exceeded', $metadata: {}, resourceId: ROOM_A, resourceType: 'ROOM', limit: 200 });

  test('ThrottlingException with no wait left is 429 with Retry-After, readable cross-origin', async () => {
    // GIVEN
    ivschat.on(CreateChatTokenCommand).rejects(throttling());

    // WHEN
    const response = await http(config({ throttleWaitMs: 0, allowedOrigins: [ORIGIN] }),
      httpEvent({ authorizer: JWT_V2, headers: { origin: ORIGIN } }));

    // THEN
    expect(response.statusCode).toBe(429);
    expect(response.headers).toEqual(expect.objectContaining({
      'Retry-After': '1', 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': ORIGIN, 'Access-Control-Expose-Headers': 'retry-after',
    }));
    expect(json(response)).toEqual({ message: 'Too many requests: try again shortly' });
    expect(ivschat).toHaveReceivedCommandTimes(CreateChatTokenCommand, 1);
  });

  test('an ALB 429 carries Retry-After in multiValueHeaders', async () => {
    ivschat.on(CreateChatTokenCommand).rejects(throttling());
    const event = { ...restEvent({ authorizer: JWT_V1 }), headers: undefined, multiValueHeaders: { 'content-type': ['application/json'] } };
    const response = await http(config({ throttleWaitMs: 0 }), event);
    expect(response).toMatchObject({ statusCode: 429, multiValueHeaders: { 'Retry-After': ['1'] } });
  });

  test('a short throttle is waited out: the vendor retries and the caller gets its token', async () => {
    // GIVEN: two throttles, then the token
    ivschat.on(CreateChatTokenCommand).rejectsOnce(throttling()).rejectsOnce(throttling())
      .resolves({ token: TOKEN, tokenExpirationTime: TOKEN_EXPIRES, sessionExpirationTime: SESSION_EXPIRES });

    // WHEN
    const response = await http(config({ throttleWaitMs: 25_000 }), httpEvent({ authorizer: JWT_V2 }));

    // THEN
    expect(response.statusCode).toBe(200);
    expect(json(response).token).toBe(TOKEN);
    expect(ivschat).toHaveReceivedCommandTimes(CreateChatTokenCommand, 3);
    expect(response.headers).not.toHaveProperty('Retry-After');
  });

  test('a server fault is retried within the wait; a client fault is not', async () => {
    const serverFault = Object.assign(new Error('internal'), { name: 'InternalServerException', $fault: 'server' });
    ivschat.on(CreateChatTokenCommand).rejectsOnce(serverFault)
      .resolves({ token: TOKEN, tokenExpirationTime: TOKEN_EXPIRES, sessionExpirationTime: SESSION_EXPIRES });
    expect((await http(config({ throttleWaitMs: 25_000 }), httpEvent({ authorizer: JWT_V2 }))).statusCode).toBe(200);
    expect(ivschat).toHaveReceivedCommandTimes(CreateChatTokenCommand, 2);

    ivschat.reset();
    ivschat.on(CreateChatTokenCommand).rejects(new AccessDeniedException({ message: 'no', $metadata: {} }));
    expect((await http(config(), httpEvent({ authorizer: JWT_V2 }))).statusCode).toBe(502);
    expect(ivschat).toHaveReceivedCommandTimes(CreateChatTokenCommand, 1);
  });

  test('the wait never passes the function\'s remaining time less 1 second to answer', async () => {
    // GIVEN: throttled on every attempt, a 25-second wait, but the function has only 1 second left
    ivschat.on(CreateChatTokenCommand).rejects(throttling());

    // WHEN
    const response = await handleEvent(client, config({ throttleWaitMs: 25_000 }), httpEvent({ authorizer: JWT_V2 }),
      { getRemainingTimeInMillis: () => 1_000 }) as HttpResponse;

    // THEN: one attempt, then 429
    expect(response.statusCode).toBe(429);
    expect(ivschat).toHaveReceivedCommandTimes(CreateChatTokenCommand, 1);
  });

  test('a wait outside 0-25 s is a configuration error', () => {
    expect(() => config({ throttleWaitMs: 25_001 })).toThrow(`${ENV.throttleWaitMs} must be an integer between 0 and 25000`);
    expect(() => config({ throttleWaitMs: -1 })).toThrow(ENV.throttleWaitMs);
  });

  test.each([
    ['AccessDeniedException', new AccessDeniedException({ message: 'User arn:aws:sts::123456789012:assumed-role/internal is not authorized', $metadata: {} })],
    ['ResourceNotFoundException', new ResourceNotFoundException({
      message: 'room internal-detail not found', $metadata: {}, resourceId: 'x', resourceType: 'ROOM',
    })],
    ['a network error', new Error('connect ECONNREFUSED 10.0.0.1:443 internal-detail')],
  ])('%s is 502 and reveals nothing', async (_name, error) => {
    // GIVEN
    ivschat.on(CreateChatTokenCommand).rejects(error);

    // WHEN
    const response = await http(config(), httpEvent({ authorizer: JWT_V2 }));

    // THEN
    expect(response.statusCode).toBe(502);
    expect(json(response)).toEqual({ message: 'The chat service could not issue a token' });
    expect(response.body).not.toMatch(/internal|arn:|ECONNREFUSED/);
  });

  test('an answer without a token is 502', async () => {
    ivschat.on(CreateChatTokenCommand).resolves({});
    const response = await http(config(), httpEvent({ authorizer: JWT_V2 }));
    expect(response.statusCode).toBe(502);
  });

  test('direct invocation: throttling throws TooManyRequests', async () => {
    ivschat.on(CreateChatTokenCommand).rejects(new ThrottlingException({
      message: 'Rate exceeded', $metadata: {}, resourceId: ROOM_A, resourceType: 'ROOM', limit: 200,
    }));
    await expect(handleEvent(client, config({ trustDirectInvocation: true, throttleWaitMs: 0 }), { userId: 'u' }))
      .rejects.toMatchObject({ name: 'TooManyRequests', statusCode: 429 });
  });
});

describe('logging', () => {
  test('logs one line per request with status, room and identity source; never the token or the userId', async () => {
    // GIVEN
    const spies = (['info', 'error', 'warn', 'debug'] as const).map((level) => jest.spyOn(console, level).mockImplementation(() => {}));
    const userId = 'user-PII-9876';

    // WHEN: a success, a refusal and a service failure
    await http(config({ allowUnauthenticatedUsers: true }), httpEvent({ body: { userId } }));
    await http(config(), httpEvent({ authorizer: { lambda: { userId } }, body: { userId: 'other' } }));
    ivschat.on(CreateChatTokenCommand).rejects(new AccessDeniedException({ message: 'denied', $metadata: {} }));
    await handleEvent(client, config({ trustDirectInvocation: true }), { userId }).catch(() => undefined);

    // THEN
    const printed = [logSpy, ...spies].flatMap((spy) => spy.mock.calls.flat()).map((arg) => String(arg)).join('\n');
    expect(printed).not.toContain(TOKEN);
    expect(printed).not.toContain(userId);
    expect(logSpy.mock.calls.map(([line]) => JSON.parse(line))).toEqual([
      { status: 200, identity: 'unauthenticated', room: ROOM_A, userIdLength: userId.length },
      { status: 403, identity: 'lambda-authorizer', room: ROOM_A },
      { status: 502, identity: 'direct', room: ROOM_A, userIdLength: userId.length, error: 'AccessDeniedException' },
    ]);
  });
});

describe('configuration', () => {
  test('configFromEnvironment reads what the construct writes', () => {
    // WHEN
    const cfg = configFromEnvironment({
      [ENV.roomArns]: JSON.stringify([ROOM_A, ROOM_B]),
      [ENV.capabilities]: '["SEND_MESSAGE","DISCONNECT_USER"]',
      [ENV.maxSessionMinutes]: '45',
      [ENV.allowUnauthenticatedUsers]: 'false',
      [ENV.allowedOrigins]: `["${ORIGIN}"]`,
    });

    // THEN
    expect(cfg).toEqual(expect.objectContaining({
      roomArns: new Set([ROOM_A, ROOM_B]),
      onlyRoomArn: undefined,
      capabilities: ['SEND_MESSAGE', 'DISCONNECT_USER'],
      maxSessionMinutes: 45,
      allowUnauthenticatedUsers: false,
      allowAnyOrigin: false,
      allowedOrigins: new Set([ORIGIN]),
    }));
  });

  test.each([
    ['no rooms', { [ENV.roomArns]: '[]' }, ENV.roomArns],
    ['rooms that are no JSON', { [ENV.roomArns]: ROOM_A }, ENV.roomArns],
    ['an unknown capability', { [ENV.capabilities]: '["ADMIN"]' }, 'unknown capability'],
    ['a session above 180', { [ENV.maxSessionMinutes]: '181' }, ENV.maxSessionMinutes],
    ['a missing session length', { [ENV.maxSessionMinutes]: undefined }, ENV.maxSessionMinutes],
  ])('refuses %s', (_name, overrides, message) => {
    const env = {
      [ENV.roomArns]: JSON.stringify([ROOM_A]),
      [ENV.capabilities]: '[]',
      [ENV.maxSessionMinutes]: '60',
      [ENV.allowUnauthenticatedUsers]: 'false',
      ...overrides,
    };
    expect(() => configFromEnvironment(env)).toThrow(message);
  });

  test('allowUnauthenticatedUsers is on only for "true"', () => {
    const env = { [ENV.roomArns]: JSON.stringify([ROOM_A]), [ENV.capabilities]: '[]', [ENV.maxSessionMinutes]: '60' };
    expect(configFromEnvironment({ ...env, [ENV.allowUnauthenticatedUsers]: 'true' }).allowUnauthenticatedUsers).toBe(true);
    expect(configFromEnvironment({ ...env, [ENV.allowUnauthenticatedUsers]: 'TRUE' }).allowUnauthenticatedUsers).toBe(false);
    expect(configFromEnvironment(env).allowUnauthenticatedUsers).toBe(false);
  });
});

describe('Lambda entry', () => {
  const saved = { ...process.env };
  beforeAll(() => {
    // The entry reads these on its first invocation only.
    process.env[ENV.roomArns] = JSON.stringify([ROOM_B]);
    process.env[ENV.capabilities] = '["SEND_MESSAGE"]';
    process.env[ENV.maxSessionMinutes] = '20';
    process.env[ENV.allowUnauthenticatedUsers] = 'false';
    process.env[ENV.allowedOrigins] = '[]';
    process.env[ENV.trustDirectInvocation] = 'true';
    process.env.AWS_REGION = 'us-east-1';
  });
  afterAll(() => {
    process.env = saved;
  });

  test('reads the environment and makes the client once per container', async () => {
    // WHEN
    const first = (await handler(httpEvent({ authorizer: JWT_V2 }))) as HttpResponse;
    process.env[ENV.roomArns] = JSON.stringify([ROOM_A]);
    const second = (await handler(httpEvent({ authorizer: JWT_V2 }))) as HttpResponse;

    // THEN: the configuration was read once, and both calls used one client
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(ivschat).toHaveReceivedNthCommandWith(1, CreateChatTokenCommand, { roomIdentifier: ROOM_B, sessionDurationInMinutes: 20 });
    expect(ivschat).toHaveReceivedNthCommandWith(2, CreateChatTokenCommand, { roomIdentifier: ROOM_B });
    const clients = ivschat.send.getCalls().map((call) => call.thisValue);
    expect(clients[0]).toBe(clients[1]);
    expect(clients[0]).not.toBe(client);
  });

  test('a direct invocation through the entry returns the plain token object', async () => {
    const result = (await handler({ userId: 'service' })) as ChatTokenResult;
    expect(result.token).toBe(TOKEN);
  });
});

describe('the bundle against the IVS Chat stand-in (real SDK, separate process)', () => {
  const BUNDLE = path.join(__dirname, '..', '..', '..', 'assets', 'handlers', 'token-vendor', 'token-vendor.lambda', 'index.js');
  // Creates a room, then invokes the bundled handler as Lambda would; prints each answer on a RESULT line.
  const SCRIPT = `
    const { IvschatClient, CreateRoomCommand } = require('@aws-sdk/client-ivschat');
    const { handler } = require(${JSON.stringify(BUNDLE)});
    (async () => {
      const room = await new IvschatClient({}).send(new CreateRoomCommand({ name: 'lobby' }));
      process.env.${ENV.roomArns} = JSON.stringify([room.arn]);
      const event = (body) => ({
        version: '2.0', headers: { origin: '${ORIGIN}' }, isBase64Encoded: false, body: JSON.stringify(body),
        requestContext: { http: { method: 'POST' }, authorizer: { jwt: { claims: { sub: 'viewer-1' } } } },
      });
      for (const body of JSON.parse(process.argv[1])) {
        console.log('RESULT ' + JSON.stringify(await handler(event(body))));
      }
    })().catch((err) => { console.error(err); process.exit(1); });
  `;
  let standIn: IvsChatStandIn;

  beforeAll(async () => {
    standIn = await IvsChatStandIn.start();
  });
  afterAll(async () => {
    await standIn.stop();
  });

  async function run(bodies: unknown[], env: Record<string, string> = {}): Promise<{ results: HttpResponse[]; logs: string }> {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['-e', SCRIPT, JSON.stringify(bodies)], {
      env: {
        PATH: process.env.PATH,
        ...standIn.environment(),
        [ENV.capabilities]: '["SEND_MESSAGE","DELETE_MESSAGE"]',
        [ENV.maxSessionMinutes]: '30',
        [ENV.allowUnauthenticatedUsers]: 'false',
        [ENV.allowedOrigins]: JSON.stringify([ORIGIN]),
        [ENV.clientAttributes]: '["displayName"]',
        ...env,
      },
    });
    const lines = stdout.split('\n');
    return {
      results: lines.filter((l) => l.startsWith('RESULT ')).map((l) => JSON.parse(l.slice('RESULT '.length))),
      logs: lines.filter((l) => !l.startsWith('RESULT ')).join('\n') + stderr,
    };
  }

  test('issues a token through AWS_ENDPOINT_URL_IVSCHAT; refusals never reach the service; the token is not logged', async () => {
    // WHEN
    const { results, logs } = await run([
      { capabilities: ['DELETE_MESSAGE'], sessionDurationInMinutes: 10, attributes: { displayName: 'Ann' } },
      { capabilities: ['DISCONNECT_USER'] },
    ]);

    // THEN
    const issued = standIn.issuedTokens();
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatchObject({
      userId: 'viewer-1', capabilities: ['DELETE_MESSAGE'], sessionDurationInMinutes: 10, attributes: { displayName: 'Ann' },
    });
    expect(results.map((r) => r.statusCode)).toEqual([200, 403]);
    expect(JSON.parse(results[0].body)).toEqual({
      token: issued[0].token,
      tokenExpirationTime: issued[0].tokenExpirationTime.toISOString(),
      sessionExpirationTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/),
    });
    expect(results[0].headers).toEqual(expect.objectContaining({ 'Access-Control-Allow-Origin': ORIGIN, 'Cache-Control': 'no-store' }));
    expect(logs).toContain('"status":200');
    expect(logs).not.toContain(issued[0].token);
    expect(logs).not.toContain('viewer-1');
  });

  test('throttling within the wait is ridden out by the vendor\'s own retries, one service call per attempt', async () => {
    // GIVEN: three throttles (the SDK's default attempts would all be spent)
    standIn.reset();
    standIn.failNext('CreateChatToken', 3, 'throttling');

    // WHEN: a long wait, so a loaded machine's slow calls never reach its end
    const { results } = await run([{}], { [ENV.throttleWaitMs]: '25000' });

    // THEN
    expect(results[0].statusCode).toBe(200);
    expect(standIn.calls('CreateChatToken').map((c) => c.status)).toEqual([429, 429, 429, 200]);
  });

  test('throttling with no wait configured is 429 with Retry-After after one call', async () => {
    standIn.reset();
    standIn.failNext('CreateChatToken', 1, 'throttling');
    const { results } = await run([{}], { [ENV.throttleWaitMs]: '0' });
    expect(results[0]).toMatchObject({ statusCode: 429, headers: { 'Retry-After': '1' } });
    expect(JSON.parse(results[0].body)).toEqual({ message: 'Too many requests: try again shortly' });
    expect(standIn.calls('CreateChatToken').map((c) => c.status)).toEqual([429]);
  });
});
