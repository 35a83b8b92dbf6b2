/**
 * The chat token vendor through its BUNDLED handler (assets/handlers/token-vendor.lambda/index.js), configured
 * by the environment variables the ChatTokenVendor construct sets, with the real SDK against the IVS Chat
 * stand-in: each event shape, the token the service issued, refusals that never reach the service, and
 * throttling. Run `npx projen bundle` first.
 */
import { randomUUID } from 'node:crypto';
import { loadBundle, useLifecycleSuite } from './harness';
import { TOKEN_VENDOR_ENV as ENV } from '../../src/private/token-vendor-contract';
import { IssuedToken, RoomSnapshot } from '../standin/ivschat-standin';

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
  return loadBundle<VendorBundle>('token-vendor.lambda', {
    ...suite.standIn.environment(),
    [ENV.roomArns]: JSON.stringify(settings.rooms.map((room) => room.arn)),
    [ENV.capabilities]: JSON.stringify(settings.capabilities ?? ['SEND_MESSAGE']),
    [ENV.maxSessionMinutes]: String(settings.maxSessionMinutes ?? 60),
    [ENV.allowUnauthenticatedUsers]: String(settings.allowUnauthenticatedUsers ?? false),
    [ENV.allowedOrigins]: JSON.stringify(settings.allowedOrigins ?? []),
    ...settings.env,
  });
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

/** An HTTP API (payload 2.0) event behind a JWT authorizer, body base64-encoded as HTTP APIs may send it. */
function httpApiEvent(body: unknown, sub: string) {
  return {
    version: '2.0',
    routeKey: 'POST /token',
    rawPath: '/token',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'origin': ORIGIN },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      domainName: 'abcdef1234.execute-api.us-east-1.amazonaws.com',
      http: { method: 'POST', path: '/token', protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'jest' },
      requestId: randomUUID(),
      routeKey: 'POST /token',
      stage: '$default',
      time: '15/Jan/2025:12:00:00 +0000',
      timeEpoch: 1736942400000,
      authorizer: { jwt: { claims: { sub }, scopes: null } },
    },
    body: Buffer.from(JSON.stringify(body)).toString('base64'),
    isBase64Encoded: true,
  };
}

/** A Lambda function URL (payload 2.0) event with AWS_IAM auth. */
function functionUrlEvent(body: string | undefined, userArn: string) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'origin': ORIGIN },
    requestContext: {
      accountId: '123456789012',
      apiId: 'urlid',
      domainName: 'urlid.lambda-url.us-east-1.on.aws',
      http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'jest' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: '15/Jan/2025:12:00:00 +0000',
      timeEpoch: 1736942400000,
      authorizer: { iam: { accessKey: 'AKIAEXAMPLE', accountId: '123456789012', callerId: 'AIDAEXAMPLE', userArn, userId: 'AIDAEXAMPLE' } },
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
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
      rooms: [lobby, stage], capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE'], maxSessionMinutes: 120, allowedOrigins: [ORIGIN],
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
  test('one ThrottlingException: the SDK retries and the caller gets its token', async () => {
    const [lobby] = seedRooms(1);
    const fn = vendor({ rooms: [lobby] });
    suite.standIn.failNext('CreateChatToken', 1, 'throttling');

    const response = await fn.handler(restApiEvent({}, 'user-1')) as HttpResponse;

    expect(response.statusCode).toBe(200);
    expect(suite.standIn.calls('CreateChatToken').map((c) => c.status)).toEqual([429, 200]);
    theIssuedToken((JSON.parse(response.body) as TokenResult).token);
  });

  test('throttled on every attempt: 429 asking to try again, no token', async () => {
    const [lobby] = seedRooms(1);
    const fn = vendor({ rooms: [lobby], allowedOrigins: [ORIGIN] });
    suite.standIn.failNext('CreateChatToken', 3, 'throttling');

    const response = await fn.handler(httpApiEvent({}, 'user-1')) as HttpResponse;

    expect(response.statusCode).toBe(429);
    expect(JSON.parse(response.body)).toEqual({ message: 'Too many requests: try again shortly' });
    // CORS headers on errors too, or the browser hides the status from the page
    expect(response.headers?.['Access-Control-Allow-Origin']).toBe(ORIGIN);
    // the SDK's default 3 attempts
    expect(suite.standIn.calls('CreateChatToken').map((c) => c.status)).toEqual([429, 429, 429]);
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
