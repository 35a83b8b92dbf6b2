/**
 * The chat token vendor through its BUNDLED handler (assets/handlers/token-vendor/token-vendor.lambda/index.js), configured
 * by the environment variables the ChatTokenVendor construct sets, with the real SDK against the IVS Chat
 * stand-in: each event shape, the token the service issued, refusals that never reach the service, and
 * throttling. Run `npx projen bundle` first.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { loadBundle, useLifecycleSuite } from './harness';
import { KeyServer, LOAD_BALANCER_ARN, TestLoadBalancer, TestUserPool, USER_POOL_ID } from './token-keys';
import { TOKEN_VENDOR_ENV as ENV } from '../../src/private/token-vendor-contract';
import { IssuedToken, RoomSnapshot } from 'cdk-ivs-chat/testing';

const suite = useLifecycleSuite();

const ORIGIN = 'https://chat.example.com';

interface HttpResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}
interface TokenResult {
  token: string;
  tokenExpirationTime: string;
  sessionExpirationTime: string;
}
interface VendorBundle {
  handler(event: unknown): Promise<HttpResponse | TokenResult>;
}

interface VendorSettings {
  readonly rooms: readonly RoomSnapshot[];
  readonly capabilities?: readonly string[];
  readonly maxSessionMinutes?: number;
  readonly allowUnauthenticatedUsers?: boolean;
  readonly allowedOrigins?: readonly string[];
  /** The construct's other settings, by environment name. */
  readonly env?: Record<string, string>;
}

/**
 * A fresh container of the vendor configured as the construct would (src/chat-token-vendor.ts): the bundle
 * reads its client settings and CHAT_* configuration from the environment on first use.
 */
function vendor(settings: VendorSettings): VendorBundle {
  const env: Record<string, string> = {
    ...suite.standIn.environment(),
    [ENV.roomArns]: JSON.stringify(settings.rooms.map((room) => room.arn)),
    [ENV.capabilities]: JSON.stringify(settings.capabilities ?? ['SEND_MESSAGE']),
    [ENV.maxSessionMinutes]: String(settings.maxSessionMinutes ?? 60),
    [ENV.allowUnauthenticatedUsers]: String(settings.allowUnauthenticatedUsers ?? false),
    [ENV.allowedOrigins]: JSON.stringify(settings.allowedOrigins ?? []),
    ...settings.env,
  };
  // Containers share this process's environment and read it on first use: each sets exactly its own before a call.
  const useEnvironment = () => {
    for (const name of Object.values(ENV)) delete process.env[name];
    Object.assign(process.env, env);
  };
  useEnvironment();
  const bundle = loadBundle<VendorBundle>('token-vendor/token-vendor.lambda', env);
  return {
    handler: async (event) => {
      useEnvironment();
      return bundle.handler(event);
    },
  };
}

/** An API Gateway REST API (v1) proxy event behind a Cognito user pool authorizer. */
function restApiEvent(body: unknown, sub: string | undefined) {
  return {
    resource: '/token',
    path: '/token',
    httpMethod: 'POST',
    headers: { 'Content-Type': 'application/json', 'Origin': ORIGIN },
    multiValueHeaders: { 'Content-Type': ['application/json'], 'Origin': [ORIGIN] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      httpMethod: 'POST',
      path: '/prod/token',
      stage: 'prod',
      requestId: randomUUID(),
      resourceId: 'abc123',
      resourcePath: '/token',
      identity: { sourceIp: '203.0.113.10', userAgent: 'jest', userArn: null },
      ...(sub ? { authorizer: { claims: { 'sub': sub, 'cognito:username': 'ada' } } } : {}),
    },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

/** A payload 2.0 event as an HTTP API (`api`) or a function URL (`url`) sends it. */
function payloadV2Event(via: 'api' | 'url', options: { body?: string; base64?: boolean; authorizer?: Record<string, unknown> }) {
  const routeKey = via === 'api' ? 'POST /token' : '$default';
  const rawPath = via === 'api' ? '/token' : '/';
  const apiId = via === 'api' ? 'abcdef1234' : 'urlid';
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'origin': ORIGIN },
    requestContext: {
      accountId: '123456789012',
      apiId,
      domainName: via === 'api' ? `${apiId}.execute-api.us-east-1.amazonaws.com` : `${apiId}.lambda-url.us-east-1.on.aws`,
      http: { method: 'POST', path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'jest' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: '15/Jan/2025:12:00:00 +0000',
      timeEpoch: 1736942400000,
      ...(options.authorizer ? { authorizer: options.authorizer } : {}),
    },
    ...(options.body === undefined ? {} : { body: options.body }),
    isBase64Encoded: options.base64 ?? false,
  };
}

/** An HTTP API (payload 2.0) event behind a JWT authorizer, body base64-encoded as HTTP APIs may send it. */
function httpApiEvent(body: unknown, sub: string) {
  return payloadV2Event('api', {
    body: Buffer.from(JSON.stringify(body)).toString('base64'), base64: true, authorizer: { jwt: { claims: { sub }, scopes: null } },
  });
}

/** A Lambda function URL (payload 2.0) event with AWS_IAM auth. */
function functionUrlEvent(body: string | undefined, userArn: string) {
  return payloadV2Event('url', {
    body, authorizer: { iam: { accessKey: 'AKIAEXAMPLE', accountId: '123456789012', callerId: 'AIDAEXAMPLE', userArn, userId: 'AIDAEXAMPLE' } },
  });
}

function seedRooms(count: number): RoomSnapshot[] {
  const rooms = Array.from({ length: count }, (_, i) => suite.standIn.seedRoom({ name: `room-${i}` }));
  suite.expectRemaining({ rooms: rooms.map((room) => room.arn) });
  return rooms;
}

/** The one token the stand-in issued, which must be the one the vendor returned. */
function theIssuedToken(token: string): IssuedToken {
  const issued = suite.standIn.issuedTokens();
  expect(issued).toHaveLength(1);
  expect(issued[0].token).toBe(token);
  return issued[0];
}

function expectNothingLogged(...secrets: string[]): void {
  expect(suite.logs.length).toBeGreaterThan(0);
  for (const line of suite.logs) for (const secret of secrets) expect(line).not.toContain(secret);
}

describe('each event shape, end to end', () => {
  test('REST API (v1 proxy) with Cognito claims: 200 with the token the service issued for that room, user, capabilities and duration', async () => {
    const [lobby, stage] = seedRooms(2);
    const fn = vendor({
      rooms: [lobby, stage],
      capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE'],
      maxSessionMinutes: 120,
      allowedOrigins: [ORIGIN],
      env: { [ENV.clientAttributes]: '["displayName"]' },
    });

    const response = await fn.handler(restApiEvent({
      roomArn: stage.arn, capabilities: ['SEND_MESSAGE'], sessionDurationInMinutes: 15, attributes: { displayName: 'Ada' },
    }, 'user-0001')) as HttpResponse;

    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': ORIGIN });
    const body = JSON.parse(response.body) as TokenResult;
    const issued = theIssuedToken(body.token);
    expect(issued).toMatchObject({
      roomArn: stage.arn, userId: 'user-0001', capabilities: ['SEND_MESSAGE'], sessionDurationInMinutes: 15, attributes: { displayName: 'Ada' },
    });
    expect(new Date(body.tokenExpirationTime).getTime()).toBe(issued.tokenExpirationTime.getTime());
    expect(new Date(body.sessionExpirationTime).getTime()).toBe(issued.sessionExpirationTime.getTime());
    expect(suite.standIn.calls('CreateChatToken')[0].input).toEqual({
      roomIdentifier: stage.arn, userId: 'user-0001', capabilities: ['SEND_MESSAGE'], sessionDurationInMinutes: 15, attributes: { displayName: 'Ada' },
    });
    expectNothingLogged(body.token, 'user-0001');
  });

  test('HTTP API (payload 2.0, JWT, base64 body): the defaults are the vendor\'s capabilities and longest session', async () => {
    const [lobby, stage] = seedRooms(2);
    const fn = vendor({ rooms: [lobby, stage], capabilities: ['SEND_MESSAGE', 'DISCONNECT_USER'], maxSessionMinutes: 30 });

    const response = await fn.handler(httpApiEvent({ roomArn: lobby.arn }, 'user-0002')) as HttpResponse;

    expect(response.statusCode).toBe(200);
    // no allowed origins: no CORS headers
    expect(response.headers?.['Access-Control-Allow-Origin']).toBeUndefined();
    const body = JSON.parse(response.body) as TokenResult;
    expect(theIssuedToken(body.token)).toMatchObject({
      roomArn: lobby.arn, userId: 'user-0002', capabilities: ['SEND_MESSAGE', 'DISCONNECT_USER'], sessionDurationInMinutes: 30, attributes: {},
    });
    expectNothingLogged(body.token, 'user-0002');
  });

  test('function URL (payload 2.0, AWS_IAM) with an empty body and trustIamPrincipals: the only room and the caller\'s IAM ARN', async () => {
    const [lobby] = seedRooms(1);
    const fn = vendor({ rooms: [lobby], allowedOrigins: ['*'], env: { [ENV.trustIamPrincipals]: 'true' } });
    const alice = 'arn:aws:iam::123456789012:user/alice';

    const response = await fn.handler(functionUrlEvent(undefined, alice)) as HttpResponse;

    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Access-Control-Allow-Origin']).toBe('*');
    const body = JSON.parse(response.body) as TokenResult;
    expect(theIssuedToken(body.token)).toMatchObject({ roomArn: lobby.arn, userId: alice, capabilities: ['SEND_MESSAGE'], sessionDurationInMinutes: 60 });
  });

  test('direct invocation: the payload is the request, the result the plain token; [] capabilities is a view-only token', async () => {
    const [lobby] = seedRooms(1);
    const fn = vendor({ rooms: [lobby], capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE'], maxSessionMinutes: 180, env: { [ENV.trustDirectInvocation]: 'true' } });

    const result = await fn.handler({ userId: 'backend-user', capabilities: [], sessionDurationInMinutes: 180 }) as TokenResult;

    expect(Object.keys(result).sort()).toEqual(['sessionExpirationTime', 'token', 'tokenExpirationTime']);
    const issued = theIssuedToken(result.token);
    expect(issued).toMatchObject({ roomArn: lobby.arn, userId: 'backend-user', capabilities: [], sessionDurationInMinutes: 180 });
    expect(issued.sessionExpirationTime.getTime() - issued.issuedAt.getTime()).toBe(180 * 60_000);
    expect(new Date(result.sessionExpirationTime).getTime()).toBe(issued.sessionExpirationTime.getTime());
  });
});

describe('refusals never reach the service', () => {
  test('403 for a capability the vendor does not grant, a room it does not serve, or another user\'s id; 401 without identity', async () => {
    const [lobby, other] = seedRooms(2);
    const fn = vendor({ rooms: [lobby], capabilities: ['SEND_MESSAGE'], env: { [ENV.trustDirectInvocation]: 'true' } });

    const cases: Array<[unknown, number, string]> = [
      [restApiEvent({ capabilities: ['DISCONNECT_USER'] }, 'user-1'), 403, 'This vendor does not grant DISCONNECT_USER'],
      [httpApiEvent({ capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE'] }, 'user-1'), 403, 'This vendor does not grant DELETE_MESSAGE'],
      [restApiEvent({ roomArn: other.arn }, 'user-1'), 403, 'This vendor does not issue tokens for that room'],
      [restApiEvent({ userId: 'someone-else' }, 'user-1'), 403, 'userId must be the authenticated caller\'s identity'],
      [restApiEvent({}, undefined), 401, 'Authentication required'],
      [restApiEvent({ sessionDurationInMinutes: 61 }, 'user-1'), 400, 'sessionDurationInMinutes must be at most 60'],
    ];
    for (const [event, status, message] of cases) {
      const response = await fn.handler(event) as HttpResponse;
      expect({ status: response.statusCode, body: JSON.parse(response.body) }).toEqual({ status, body: { message } });
    }

    // a direct invoker gets the refusal as an error whose name carries the status
    await expect(fn.handler({ userId: 'backend-user', capabilities: ['DISCONNECT_USER'] }))
      .rejects.toMatchObject({ name: 'Forbidden', message: 'This vendor does not grant DISCONNECT_USER' });

    expect(suite.standIn.calls('CreateChatToken')).toEqual([]);
    expect(suite.standIn.issuedTokens()).toEqual([]);
  });
});

describe('service faults', () => {
  test('one ThrottlingException: the vendor retries and the caller gets its token', async () => {
    const [lobby] = seedRooms(1);
    const fn = vendor({ rooms: [lobby], env: { [ENV.throttleWaitMs]: '25000' } });
    suite.standIn.failNext('CreateChatToken', 1, 'throttling');

    const response = await fn.handler(restApiEvent({}, 'user-1')) as HttpResponse;

    expect(response.statusCode).toBe(200);
    expect(suite.standIn.calls('CreateChatToken').map((c) => c.status)).toEqual([429, 200]);
    theIssuedToken((JSON.parse(response.body) as TokenResult).token);
  });

  test('throttled more often than the SDK would retry: the vendor waits it out, one service call per attempt', async () => {
    const [lobby] = seedRooms(1);
    // a long wait, so a loaded machine's slow calls never reach its end
    const fn = vendor({ rooms: [lobby], env: { [ENV.throttleWaitMs]: '25000' } });
    suite.standIn.failNext('CreateChatToken', 4, 'throttling');

    const response = await fn.handler(restApiEvent({}, 'user-1')) as HttpResponse;

    expect(response.statusCode).toBe(200);
    expect(suite.standIn.calls('CreateChatToken').map((c) => c.status)).toEqual([429, 429, 429, 429, 200]);
    theIssuedToken((JSON.parse(response.body) as TokenResult).token);
  });

  test('throttled past the wait: 429 with Retry-After, readable by the page, no token', async () => {
    const [lobby] = seedRooms(1);
    const fn = vendor({ rooms: [lobby], allowedOrigins: [ORIGIN], env: { [ENV.throttleWaitMs]: '0' } });
    suite.standIn.failNext('CreateChatToken', 1, 'throttling');

    const response = await fn.handler(httpApiEvent({}, 'user-1')) as HttpResponse;

    expect(response.statusCode).toBe(429);
    expect(JSON.parse(response.body)).toEqual({ message: 'Too many requests: try again shortly' });
    // CORS headers on errors too, or the browser hides the status from the page; Retry-After exposed to it
    expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': ORIGIN, 'Retry-After': '1', 'Access-Control-Expose-Headers': 'retry-after' });
    expect(suite.standIn.calls('CreateChatToken').map((c) => c.status)).toEqual([429]);
    expect(suite.standIn.issuedTokens()).toEqual([]);
    expect(suite.logs.some((line) => line.includes('ThrottlingException'))).toBe(true);
  });

  test('a room deleted behind the vendor\'s back: 502 that reveals nothing of the service error', async () => {
    const [lobby] = seedRooms(1);
    const fn = vendor({ rooms: [lobby] });
    suite.standIn.reset();

    const response = await fn.handler(restApiEvent({}, 'user-1')) as HttpResponse;

    expect(response.statusCode).toBe(502);
    expect(JSON.parse(response.body)).toEqual({ message: 'The chat service could not issue a token' });
    expect(suite.standIn.calls('CreateChatToken').map((c) => [c.status, c.errorType])).toEqual([[404, 'ResourceNotFoundException']]);
    suite.expectRemaining({});
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Identity sources, attributes and groups, through the bundle. Tokens are signed with local test keys; the vendor
// fetches the keys from a local HTTPS server (CHAT_USER_POOL_JWKS_URI, CHAT_LOAD_BALANCER_KEYS_URI).

/** A payload 2.0 event (HTTP API or function URL) with the given authorizer context and headers. */
function v2Event(body: unknown, authorizer: Record<string, unknown> | undefined, headers: Record<string, string> = {}) {
  const event = payloadV2Event('api', { body: JSON.stringify(body), authorizer });
  return { ...event, headers: { ...event.headers, ...headers } };
}

/** A REST API (v1) proxy event with the given authorizer and IAM identity. */
function v1Event(body: unknown, options: { authorizer?: Record<string, unknown>; identity?: Record<string, unknown> }) {
  const event = restApiEvent(body, undefined);
  return {
    ...event,
    requestContext: {
      ...event.requestContext,
      identity: { ...event.requestContext.identity, ...options.identity },
      ...(options.authorizer ? { authorizer: options.authorizer } : {}),
    },
  };
}

/** A function URL / HTTP API event signed with Cognito identity-pool credentials (AWS_IAM). */
function identityPoolEvent(body: unknown, identityId: string, guest = false) {
  return v2Event(body, {
    iam: {
      accessKey: 'ASIAEXAMPLE',
      accountId: '123456789012',
      callerId: 'AROAEXAMPLE:CognitoIdentityCredentials',
      userArn: `arn:aws:sts::123456789012:assumed-role/${guest ? 'Guest' : 'Authenticated'}Role/CognitoIdentityCredentials`,
      userId: 'AROAEXAMPLE:CognitoIdentityCredentials',
      principalOrgId: null,
      cognitoIdentity: {
        identityId,
        identityPoolId: 'us-east-1:00000000-1111-2222-3333-444444444444',
        amr: guest ? ['unauthenticated'] : ['authenticated', 'cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1',
          'cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1:CognitoSignIn:sub-1'],
      },
    },
  });
}

/** An ALB event (multi-value headers off or on) carrying the load balancer's sign-in headers. */
function albEvent(body: unknown, headers: Record<string, string>, multiValue = false) {
  const all = { 'content-type': 'application/json', 'origin': ORIGIN, ...headers };
  return {
    requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/chat/73e2d6bc24d8a067' } },
    httpMethod: 'POST',
    path: '/token',
    queryStringParameters: {},
    ...(multiValue
      ? { multiValueHeaders: Object.fromEntries(Object.entries(all).map(([k, v]) => [k, [v]])) }
      : { headers: all }),
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

async function answer(fn: VendorBundle, event: unknown): Promise<{ status: number; message?: string }> {
  const response = await fn.handler(event) as HttpResponse;
  const body = JSON.parse(response.body);
  return response.statusCode === 200 ? { status: 200 } : { status: response.statusCode, message: body.message };
}

/** The userIds the stand-in issued tokens to, in order. */
const issuedUserIds = () => suite.standIn.issuedTokens().map((t) => t.userId);

describe('identity sources through the bundle', () => {
  const pool = new TestUserPool();
  const loadBalancer = new TestLoadBalancer();
  let keys: KeyServer;
  beforeAll(async () => { keys = await KeyServer.start(pool, loadBalancer); });
  afterAll(async () => { await keys.stop(); });

  const CLIENT = 'webclient123';
  const poolEnv = (extra: Record<string, string> = {}) => ({
    [ENV.userPoolId]: USER_POOL_ID,
    [ENV.userPoolClientIds]: JSON.stringify([CLIENT]),
    [ENV.userPoolJwksUri]: keys.userPoolJwksUri,
    ...extra,
  });
  const albEnv = (extra: Record<string, string> = {}) => ({
    [ENV.loadBalancerArn]: LOAD_BALANCER_ARN,
    [ENV.loadBalancerKeysUri]: keys.loadBalancerKeysUri,
    ...extra,
  });

  test('JWT claims from REST and HTTP APIs: `sub` by default, `userIdClaim` picks another claim', async () => {
    const [lobby] = seedRooms(1);
    const bySub = vendor({ rooms: [lobby] });
    const byEmail = vendor({ rooms: [lobby], env: { [ENV.userIdClaim]: 'email' } });
    const claims = { 'sub': 'sub-1', 'email': 'ada@example.com', 'email_verified': 'true', 'cognito:username': 'ada' };

    expect(await answer(bySub, v1Event({}, { authorizer: { claims } }))).toEqual({ status: 200 });
    expect(await answer(bySub, v2Event({}, { jwt: { claims, scopes: null } }))).toEqual({ status: 200 });
    expect(await answer(byEmail, v1Event({}, { authorizer: { claims } }))).toEqual({ status: 200 });
    expect(await answer(byEmail, v2Event({}, { jwt: { claims, scopes: null } }))).toEqual({ status: 200 });
    // a token without the claim identifies nobody
    expect(await answer(byEmail, v2Event({}, { jwt: { claims: { sub: 'sub-2' }, scopes: null } })))
      .toEqual({ status: 401, message: 'The caller\'s token has no "email" claim to use as userId' });

    // an address not verified is nobody's
    expect(await answer(byEmail, v2Event({}, { jwt: { claims: { ...claims, email_verified: 'false' } } })))
      .toEqual({ status: 403, message: 'The caller\'s "email" is not verified (email_verified is not true), so it cannot be the userId' });

    expect(issuedUserIds()).toEqual(['sub-1', 'sub-1', 'ada@example.com', 'ada@example.com']);
  });

  test('Lambda authorizer: its userId, else its principalId (REST and HTTP APIs)', async () => {
    const [lobby] = seedRooms(1);
    const fn = vendor({ rooms: [lobby] });

    expect(await answer(fn, v1Event({}, { authorizer: { principalId: 'principal-1', userId: 'context-user-1' } }))).toEqual({ status: 200 });
    expect(await answer(fn, v1Event({}, { authorizer: { principalId: 'principal-2' } }))).toEqual({ status: 200 });
    expect(await answer(fn, v2Event({}, { lambda: { userId: 'context-user-3' } }))).toEqual({ status: 200 });

    expect(issuedUserIds()).toEqual(['context-user-1', 'principal-2', 'context-user-3']);
  });

  test('identity pool: each user gets their identity id, two users two ids; a guest gets 401 unless allowed', async () => {
    const [lobby] = seedRooms(1);
    const fn = vendor({ rooms: [lobby] });
    const alice = 'us-east-1:aaaaaaaa-0000-0000-0000-000000000001';
    const bob = 'us-east-1:bbbbbbbb-0000-0000-0000-000000000002';

    expect(await answer(fn, identityPoolEvent({}, alice))).toEqual({ status: 200 });
    expect(await answer(fn, identityPoolEvent({}, bob))).toEqual({ status: 200 });
    // REST API with AWS_IAM auth: the same identity from `identity.cognitoIdentityId`
    expect(await answer(fn, v1Event({}, {
      identity: {
        userArn: 'arn:aws:sts::123456789012:assumed-role/AuthenticatedRole/CognitoIdentityCredentials',
        cognitoIdentityId: alice,
        cognitoIdentityPoolId: 'us-east-1:00000000-1111-2222-3333-444444444444',
        cognitoAuthenticationType: 'authenticated',
      },
    }))).toEqual({ status: 200 });
    // the role session name is the same for everyone and never becomes the userId
    expect(issuedUserIds()).toEqual([alice, bob, alice]);

    const guest = 'us-east-1:cccccccc-0000-0000-0000-000000000003';
    expect(await answer(fn, identityPoolEvent({}, guest, true))).toMatchObject({ status: 401 });
    expect(await answer(fn, v1Event({}, { identity: { userArn: 'arn:aws:sts::123456789012:assumed-role/GuestRole/CognitoIdentityCredentials', cognitoIdentityId: guest, cognitoAuthenticationType: 'unauthenticated' } })))
      .toMatchObject({ status: 401 });
    // a guest may not name another user even when guests are allowed
    const guests = vendor({ rooms: [lobby], allowUnauthenticatedUsers: true });
    expect(await answer(guests, identityPoolEvent({ userId: 'admin' }, guest, true))).toMatchObject({ status: 403 });
    expect(await answer(guests, identityPoolEvent({}, guest, true))).toEqual({ status: 200 });
    expect(issuedUserIds()).toEqual([alice, bob, alice, guest]);
  });

  test('other IAM callers: 403 saying how to allow them; with trustIamPrincipals their ARN', async () => {
    const [lobby] = seedRooms(1);
    const role = 'arn:aws:sts::123456789012:assumed-role/Backend/any-session-name';
    const iamEvent = v2Event({}, { iam: { accessKey: 'ASIA', accountId: '123456789012', callerId: 'AROA:any', userArn: role, userId: 'AROA:any', cognitoIdentity: null } });

    expect(await answer(vendor({ rooms: [lobby] }), iamEvent)).toEqual({
      status: 403, message: expect.stringContaining('set trustIamPrincipals'),
    });
    expect(await answer(vendor({ rooms: [lobby] }), v1Event({}, { identity: { userArn: role } }))).toMatchObject({ status: 403 });
    expect(issuedUserIds()).toEqual([]);

    expect(await answer(vendor({ rooms: [lobby], env: { [ENV.trustIamPrincipals]: 'true' } }), iamEvent)).toEqual({ status: 200 });
    expect(issuedUserIds()).toEqual([role]);
  });

  test('ALB: the verified x-amzn-oidc-data gives the userId; another key, signer or an expired token is 401', async () => {
    const [lobby] = seedRooms(1);
    const fn = vendor({ rooms: [lobby], allowedOrigins: [ORIGIN], env: albEnv() });
    const claims = { sub: 'alb-user-1', email: 'ada@example.com', email_verified: 'true' };

    const ok = await fn.handler(albEvent({}, { 'x-amzn-oidc-data': loadBalancer.oidcData(claims), 'x-amzn-oidc-identity': 'alb-user-1' })) as HttpResponse;
    expect(ok).toMatchObject({ statusCode: 200, statusDescription: '200 OK' });
    const multi = await fn.handler(albEvent({}, { 'x-amzn-oidc-data': loadBalancer.oidcData({ sub: 'alb-user-2' }) }, true)) as HttpResponse & { multiValueHeaders: object };
    expect(multi.statusCode).toBe(200);
    expect(multi.multiValueHeaders).toMatchObject({ 'Access-Control-Allow-Origin': [ORIGIN] });
    const byEmail = vendor({ rooms: [lobby], env: albEnv({ [ENV.userIdClaim]: 'email' }) });
    expect(await answer(byEmail, albEvent({}, { 'x-amzn-oidc-data': loadBalancer.oidcData(claims) }))).toEqual({ status: 200 });
    expect(issuedUserIds()).toEqual(['alb-user-1', 'alb-user-2', 'ada@example.com']);

    const refused = { status: 401, message: 'The load balancer\'s sign-in data is not valid' };
    expect(await answer(fn, albEvent({}, { 'x-amzn-oidc-data': loadBalancer.oidcData(claims, { forged: true }) }))).toEqual(refused);
    expect(await answer(fn, albEvent({}, {
      'x-amzn-oidc-data': loadBalancer.oidcData(claims, { signer: LOAD_BALANCER_ARN.replace('50dc6c495c0c9188', '0000000000000000') }),
    }))).toEqual(refused);
    expect(await answer(fn, albEvent({}, { 'x-amzn-oidc-data': loadBalancer.oidcData(claims, { expiresIn: -60 }) }))).toEqual(refused);
    // the identity header alone is not signed: never trusted
    expect(await answer(fn, albEvent({}, { 'x-amzn-oidc-identity': 'alb-user-1' }))).toEqual({ status: 401, message: 'Authentication required' });
    // without a configured load balancer, an ALB event is unauthenticated whatever it carries
    expect(await answer(vendor({ rooms: [lobby] }), albEvent({}, { 'x-amzn-oidc-data': loadBalancer.oidcData(claims) })))
      .toEqual({ status: 401, message: 'Authentication required' });
    expect(issuedUserIds()).toHaveLength(3);
    // one key fetch, then the warm cache
    expect(keys.requests.filter((r) => r.startsWith('/alb/'))).toEqual([`/alb/${loadBalancer.kid}`, `/alb/${loadBalancer.kid}`]);
  });

  test('self-verified bearer token (function URL, no authorizer): id and access tokens of the pool\'s client; another key, client or an expired token is 401', async () => {
    const [lobby] = seedRooms(1);
    const fn = vendor({ rooms: [lobby], env: poolEnv() });
    const bearer = (token: string) => v2Event({}, undefined, { authorization: `Bearer ${token}` });

    expect(await answer(fn, bearer(pool.idToken(CLIENT, { sub: 'pool-user-1' })))).toEqual({ status: 200 });
    expect(await answer(fn, bearer(pool.accessToken(CLIENT, { sub: 'pool-user-2' })))).toEqual({ status: 200 });
    // REST API events carry the header in the client's case
    const rest = v1Event({}, {});
    expect(await answer(fn, { ...rest, headers: { ...rest.headers, Authorization: `Bearer ${pool.idToken(CLIENT, { sub: 'pool-user-3' })}` } }))
      .toEqual({ status: 200 });
    expect(issuedUserIds()).toEqual(['pool-user-1', 'pool-user-2', 'pool-user-3']);

    const refused = { status: 401, message: 'The bearer token is not valid' };
    expect(await answer(fn, bearer(pool.idToken(CLIENT, { sub: 'x' }, { forged: true })))).toEqual(refused);
    expect(await answer(fn, bearer(pool.idToken('otherclient456', { sub: 'x' })))).toEqual(refused);
    expect(await answer(fn, bearer(pool.idToken(CLIENT, { sub: 'x' }, { expiresIn: -60 })))).toEqual(refused);
    expect(await answer(fn, bearer('not-a-jwt'))).toEqual(refused);
    // a bad token never falls back to a name the body chooses
    const open = vendor({ rooms: [lobby], allowUnauthenticatedUsers: true, env: poolEnv() });
    expect(await answer(open, v2Event({ userId: 'admin' }, undefined, { authorization: `Bearer ${pool.idToken(CLIENT, { sub: 'x' }, { expiresIn: -60 })}` })))
      .toEqual(refused);
    // without a pool, a bearer token is not read
    expect(await answer(vendor({ rooms: [lobby] }), bearer(pool.idToken(CLIENT, { sub: 'pool-user-1' }))))
      .toEqual({ status: 401, message: 'Authentication required' });
    expect(issuedUserIds()).toHaveLength(3);
    // the JWKS was fetched once per container
    expect(keys.requests.filter((r) => r === '/pool/jwks.json').length).toBeLessThanOrEqual(2);
  });

  test('direct invocation: never a token without trustDirectInvocation', async () => {
    const [lobby] = seedRooms(1);

    await expect(vendor({ rooms: [lobby] }).handler({ userId: 'admin' })).rejects.toMatchObject({
      name: 'Forbidden', message: expect.stringContaining('trustDirectInvocation'),
    });
    await expect(vendor({ rooms: [lobby], allowUnauthenticatedUsers: true }).handler({ userId: 'admin' })).rejects.toMatchObject({ name: 'Forbidden' });
    expect(suite.standIn.calls('CreateChatToken')).toEqual([]);

    const result = await vendor({ rooms: [lobby], env: { [ENV.trustDirectInvocation]: 'true' } }).handler({ userId: 'backend-user' }) as TokenResult;
    expect(theIssuedToken(result.token).userId).toBe('backend-user');
  });

  describe('attributes', () => {
    // authorizer claims count only for a vendor that verifies nothing itself
    const env = (extra: Record<string, string> = {}) => ({
      [ENV.attributesFromClaims]: JSON.stringify({ displayName: 'name', avatar: 'picture', verified: 'email_verified' }),
      [ENV.clientAttributes]: JSON.stringify(['color']),
      ...extra,
    });

    test('claims fill them, missing claims are left out, the body adds its allowed keys', async () => {
      const [lobby] = seedRooms(1);
      const fn = vendor({ rooms: [lobby], env: poolEnv(env()) });
      const behindAuthorizer = vendor({ rooms: [lobby], env: env() });

      expect(await answer(fn, v2Event({ attributes: { color: 'teal' } }, undefined, {
        authorization: `Bearer ${pool.idToken(CLIENT, { sub: 'u1', name: 'Ada', email_verified: true })}`,
      }))).toEqual({ status: 200 });
      // the same map from an HTTP API JWT authorizer's claims
      expect(await answer(behindAuthorizer, v2Event({}, { jwt: { claims: { sub: 'u2', name: 'Bob', picture: 'https://example.com/b.png' } } })))
        .toEqual({ status: 200 });

      expect(suite.standIn.issuedTokens().map((t) => t.attributes)).toEqual([
        { displayName: 'Ada', verified: 'true', color: 'teal' },
        { displayName: 'Bob', avatar: 'https://example.com/b.png' },
      ]);
    });

    test('a body key a claim sets, or one outside clientAttributes, is 400; so is the merged map over 1 KB', async () => {
      const [lobby] = seedRooms(1);
      const fn = vendor({ rooms: [lobby], env: env() });
      const claims = (extra: Record<string, unknown> = {}) => ({ jwt: { claims: { sub: 'u1', name: 'Ada', ...extra } } });

      expect(await answer(fn, v2Event({ attributes: { displayName: 'Admin' } }, claims()))).toEqual({
        status: 400, message: 'attributes may not set "displayName": the vendor sets it from the caller\'s identity',
      });
      // even when the claim is missing
      expect(await answer(fn, v2Event({ attributes: { avatar: 'x' } }, claims()))).toMatchObject({ status: 400 });
      expect(await answer(fn, v2Event({ attributes: { role: 'admin' } }, claims()))).toEqual({ status: 400, message: 'attributes may set only color' });
      // each part fits, the merged map does not: 11 + 500 + 5 + 509 = 1025 bytes
      expect(await answer(fn, v2Event({ attributes: { color: 'c'.repeat(509) } }, claims({ name: 'n'.repeat(500) }))))
        .toEqual({ status: 400, message: expect.stringContaining('at most 1024 bytes') });
      expect(await answer(fn, v2Event({ attributes: { color: 'c'.repeat(508) } }, claims({ name: 'n'.repeat(500) })))).toEqual({ status: 200 });
      // default: no client attributes at all
      expect(await answer(vendor({ rooms: [lobby] }), v2Event({ attributes: { color: 'teal' } }, claims())))
        .toEqual({ status: 400, message: 'This vendor takes no attributes from the request' });
      expect(suite.standIn.issuedTokens()).toHaveLength(1);
    });
  });

  describe('capabilities by group', () => {
    const env = (extra: Record<string, string> = {}) => ({
      [ENV.groupCapabilities]: JSON.stringify({ moderators: ['DELETE_MESSAGE', 'DISCONNECT_USER'], hosts: ['DISCONNECT_USER'] }),
      ...extra,
    });

    test('a member of moderators gets the union, from a verified token, a REST "a,b" claim and an HTTP API "[a b]" claim', async () => {
      const [lobby] = seedRooms(1);
      const fn = vendor({ rooms: [lobby], env: env() });

      expect(await answer(vendor({ rooms: [lobby], env: poolEnv(env()) }), v2Event({}, undefined, {
        authorization: `Bearer ${pool.accessToken(CLIENT, { 'sub': 'mod-1', 'cognito:groups': ['moderators'] })}`,
      }))).toEqual({ status: 200 });
      expect(await answer(fn, v1Event({}, { authorizer: { claims: { 'sub': 'mod-2', 'cognito:groups': 'viewers,moderators' } } }))).toEqual({ status: 200 });
      expect(await answer(fn, v2Event({}, { jwt: { claims: { 'sub': 'host-1', 'cognito:groups': '[viewers hosts]' } } }))).toEqual({ status: 200 });
      // a request may ask for fewer
      expect(await answer(fn, v2Event({ capabilities: ['SEND_MESSAGE'] }, { jwt: { claims: { 'sub': 'mod-3', 'cognito:groups': '[moderators]' } } })))
        .toEqual({ status: 200 });
      // groupsClaim names another claim
      const custom = vendor({ rooms: [lobby], env: env({ [ENV.groupsClaim]: 'roles' }) });
      expect(await answer(custom, v2Event({}, { jwt: { claims: { sub: 'mod-4', roles: '[moderators]' } } }))).toEqual({ status: 200 });

      expect(suite.standIn.issuedTokens().map((t) => [t.userId, t.capabilities])).toEqual([
        ['mod-1', ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER']],
        ['mod-2', ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER']],
        ['host-1', ['SEND_MESSAGE', 'DISCONNECT_USER']],
        ['mod-3', ['SEND_MESSAGE']],
        ['mod-4', ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER']],
      ]);
    });

    test('a non-member asking for DELETE_MESSAGE gets 403', async () => {
      const [lobby] = seedRooms(1);
      const fn = vendor({ rooms: [lobby], env: env() });

      expect(await answer(fn, v2Event({ capabilities: ['DELETE_MESSAGE'] }, { jwt: { claims: { 'sub': 'viewer-1', 'cognito:groups': '[viewers]' } } })))
        .toEqual({ status: 403, message: 'This vendor does not grant DELETE_MESSAGE' });
      expect(await answer(fn, v2Event({ capabilities: ['DELETE_MESSAGE'] }, { jwt: { claims: { sub: 'viewer-2' } } })))
        .toEqual({ status: 403, message: 'This vendor does not grant DELETE_MESSAGE' });
      expect(suite.standIn.issuedTokens()).toEqual([]);
    });
  });
});

describe('forged events against a vendor that verifies', () => {
  const pool = new TestUserPool();
  const loadBalancer = new TestLoadBalancer();
  let keys: KeyServer;
  beforeAll(async () => { keys = await KeyServer.start(pool, loadBalancer); });
  afterAll(async () => { await keys.stop(); });

  const CLIENT = 'webclient123';
  const VICTIM_CLAIMS = { 'sub': 'victim', 'name': 'Admin', 'cognito:groups': '[moderators]' };
  /** The reproduction: a user pool and its client, moderators, display names from claims, no direct invokers. */
  const verifying = (lobby: RoomSnapshot, extra: Record<string, string> = {}) => vendor({
    rooms: [lobby],
    env: {
      [ENV.userPoolId]: USER_POOL_ID,
      [ENV.userPoolClientIds]: JSON.stringify([CLIENT]),
      [ENV.userPoolJwksUri]: keys.userPoolJwksUri,
      [ENV.groupCapabilities]: JSON.stringify({ moderators: ['DELETE_MESSAGE', 'DISCONNECT_USER'] }),
      [ENV.attributesFromClaims]: JSON.stringify({ displayName: 'name' }),
      ...extra,
    },
  });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const otherPoolIssuer = `https://cognito-idp.us-east-1.amazonaws.com/${USER_POOL_ID}Other`;

  test.each<[string, () => object, { status: number; message?: string }]>([
    ['HTTP API shape with JWT claims', () => v2Event({}, { jwt: { claims: VICTIM_CLAIMS } }), { status: 401, message: 'Authentication required' }],
    ['HTTP API shape with JWT claims and a bearer signed by an unknown key',
      () => v2Event({}, { jwt: { claims: VICTIM_CLAIMS } }, bearer(pool.idToken(CLIENT, { sub: 'victim' }, { forged: true }))),
      { status: 401, message: 'The bearer token is not valid' }],
    ['REST shape with Cognito claims', () => v1Event({}, { authorizer: { claims: { 'sub': 'victim', 'cognito:groups': 'moderators' } } }),
      { status: 401, message: 'Authentication required' }],
    ['REST shape with a Lambda authorizer context', () => v1Event({}, { authorizer: { principalId: 'victim', userId: 'victim' } }),
      { status: 401, message: 'Authentication required' }],
    ['HTTP API shape with a Lambda authorizer context', () => v2Event({}, { lambda: { userId: 'victim' } }), { status: 401, message: 'Authentication required' }],
    ['function URL shape with someone else\'s identity-pool id', () => identityPoolEvent({}, 'us-east-1:aaaaaaaa-0000-0000-0000-00000000000a'),
      { status: 401, message: 'Authentication required' }],
    ['function URL shape with an IAM role ARN', () => v2Event({}, { iam: { userArn: 'arn:aws:sts::123456789012:assumed-role/Admin/victim' } }),
      { status: 401, message: 'Authentication required' }],
    ['ALB shape with x-amzn-oidc-data the vendor has no load balancer for', () => albEvent({}, { 'x-amzn-oidc-data': loadBalancer.oidcData({ sub: 'victim' }) }),
      { status: 401, message: 'Authentication required' }],
    ['ALB shape with only the unsigned x-amzn-oidc-identity', () => albEvent({}, { 'x-amzn-oidc-identity': 'victim' }),
      { status: 401, message: 'Authentication required' }],
    ['bearer signed by an unknown key', () => v2Event({}, undefined, bearer(pool.idToken(CLIENT, { sub: 'victim' }, { forged: true }))),
      { status: 401, message: 'The bearer token is not valid' }],
    ['bearer of another app client', () => v2Event({}, undefined, bearer(pool.idToken('otherclient456', { sub: 'victim' }))),
      { status: 401, message: 'The bearer token is not valid' }],
    ['expired bearer', () => v2Event({}, undefined, bearer(pool.idToken(CLIENT, { sub: 'victim' }, { expiresIn: -60 }))),
      { status: 401, message: 'The bearer token is not valid' }],
    ['bearer of another issuer (same key, another pool\'s iss)', () => v2Event({}, undefined, bearer(pool.idToken(CLIENT, { sub: 'victim', iss: otherPoolIssuer }))),
      { status: 401, message: 'The bearer token is not valid' }],
    ['a genuine bearer beside HTTP API claims naming another user', () => v2Event({}, { jwt: { claims: VICTIM_CLAIMS } }, bearer(pool.idToken(CLIENT, { sub: 'ana' }))),
      { status: 403, message: 'The authorizer\'s claims in the event name another user than the verified token' }],
  ])('%s: no token, no CreateChatToken call', async (_name, event, expected) => {
    const [lobby] = seedRooms(1);
    expect(await answer(verifying(lobby), event())).toEqual(expected);
    expect(suite.standIn.calls('CreateChatToken')).toEqual([]);
  });

  test('a genuine bearer beside REST claims naming another user: 403, no call', async () => {
    const [lobby] = seedRooms(1);
    const rest = v1Event({}, { authorizer: { claims: { sub: 'victim' } } });
    const event = { ...rest, headers: { ...rest.headers, Authorization: `Bearer ${pool.idToken(CLIENT, { sub: 'ana' })}` } };
    expect(await answer(verifying(lobby), event)).toMatchObject({ status: 403 });
    expect(suite.standIn.calls('CreateChatToken')).toEqual([]);
  });

  test('bare payloads (direct invocation) with a userId and moderator capabilities: Forbidden, no call', async () => {
    const [lobby] = seedRooms(1);
    await expect(verifying(lobby).handler({ userId: 'victim', capabilities: ['DELETE_MESSAGE'] })).rejects.toMatchObject({ name: 'Forbidden' });
    // an HTTP-like payload without a method is never a trusted direct invocation either
    expect(await answer(verifying(lobby, { [ENV.trustDirectInvocation]: 'true' }), { requestContext: { authorizer: { claims: VICTIM_CLAIMS } } }))
      .toMatchObject({ status: 405 });
    expect(suite.standIn.calls('CreateChatToken')).toEqual([]);
  });

  test('event claims equal to a genuine bearer\'s add no group and no attribute', async () => {
    const [lobby] = seedRooms(1);
    const event = v2Event({}, { jwt: { claims: { ...VICTIM_CLAIMS, sub: 'ana' } } }, bearer(pool.idToken(CLIENT, { sub: 'ana' })));
    expect(await answer(verifying(lobby), event)).toEqual({ status: 200 });
    const [issued] = suite.standIn.issuedTokens();
    expect(issued).toMatchObject({ userId: 'ana', capabilities: ['SEND_MESSAGE'] });
    expect(issued.attributes ?? {}).toEqual({});
  });

  test('an OIDC issuer\'s tokens: its issuer and audience pass; another audience, issuer or key is 401', async () => {
    const [lobby] = seedRooms(1);
    const issuer = 'https://login.example.com/tenant-1/';
    const fn = vendor({
      rooms: [lobby],
      env: { [ENV.oidcIssuer]: issuer, [ENV.oidcAudience]: JSON.stringify(['api://chat']), [ENV.oidcJwksUri]: keys.userPoolJwksUri },
    });
    const token = (claims: Record<string, unknown>) => pool.accessToken('x', { iss: issuer, aud: 'api://chat', ...claims });
    expect(await answer(fn, v2Event({}, undefined, bearer(token({ sub: 'okta-user-1' }))))).toEqual({ status: 200 });
    expect(await answer(fn, v2Event({}, { jwt: { claims: { sub: 'victim' } } }))).toEqual({ status: 401, message: 'Authentication required' });
    expect(await answer(fn, v2Event({}, undefined, bearer(token({ sub: 'x', aud: 'other-api' }))))).toMatchObject({ status: 401 });
    expect(await answer(fn, v2Event({}, undefined, bearer(token({ sub: 'x', iss: 'https://login.example.com/tenant-2/' }))))).toMatchObject({ status: 401 });
    expect(await answer(fn, v2Event({}, undefined, bearer(pool.idToken('api://chat', { sub: 'x', iss: issuer }, { forged: true })))))
      .toMatchObject({ status: 401 });
    expect(issuedUserIds()).toEqual(['okta-user-1']);
  });
});

describe('identity-pool callers the vendor cannot tell apart', () => {
  test('a CognitoIdentityCredentials session without its identity id is 403, even with trustIamPrincipals; no amr is 401', async () => {
    const [lobby] = seedRooms(1);
    const fn = vendor({ rooms: [lobby], env: { [ENV.trustIamPrincipals]: 'true' } });
    const session = 'arn:aws:sts::123456789012:assumed-role/AuthenticatedRole/CognitoIdentityCredentials';
    expect(await answer(fn, v2Event({}, { iam: { userArn: session, cognitoIdentity: null } })))
      .toEqual({ status: 403, message: 'The caller signs with Cognito identity-pool credentials but the event carries no identity id' });
    const noAmr = identityPoolEvent({}, 'us-east-1:aaaaaaaa-0000-0000-0000-000000000001');
    (noAmr.requestContext as any).authorizer.iam.cognitoIdentity.amr = [];
    expect(await answer(fn, noAmr)).toMatchObject({ status: 401, message: expect.stringContaining('no amr') });
    expect(suite.standIn.calls('CreateChatToken')).toEqual([]);
  });
});

describe('the bundle', () => {
  test('carries aws-jwt-verify inside: it requires only the SDK (from the Lambda runtime) and Node.js built-ins', () => {
    const source = fs.readFileSync(path.join(__dirname, '..', '..', 'assets', 'handlers', 'token-vendor', 'token-vendor.lambda', 'index.js'), 'utf8');
    const required = [...new Set([...source.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))];
    expect(required.filter((name) => !name.startsWith('@aws-sdk/') && !builtinModules.includes(name.replace(/^node:/, '')))).toEqual([]);
    expect(required).not.toContain('aws-jwt-verify');
    // the library's code is in the bundle: its Cognito issuer and ALB key endpoint
    expect(source).toContain('issuer-cognito-idp');
    expect(source).toContain('public-keys.auth.elb');
  });
});
