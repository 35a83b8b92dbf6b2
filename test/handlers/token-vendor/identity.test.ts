import { attributeValueOf, groupsOf, HttpRequestView, identifyHttpCaller, IdentityOptions } from '../../../src/handlers/token-vendor/identity';

// Stand-ins for the verifiers: a token "good:<json claims>" passes with those claims, anything else is rejected.
// Real signature checks run through the bundle in test/lifecycle/token-vendor.test.ts.
const fakeCheck = (expected: string) => async (jwt: string) => {
  if (!jwt.startsWith(`${expected}:`)) throw new Error('invalid');
  return JSON.parse(jwt.slice(expected.length + 1));
};

const OPTIONS: IdentityOptions = {
  userIdClaim: 'sub',
  trustIamPrincipals: false,
  allowUnauthenticatedUsers: false,
};
const WITH_VERIFIERS: IdentityOptions = { ...OPTIONS, loadBalancer: fakeCheck('alb'), bearer: fakeCheck('pool') };
const WITH_BEARER: IdentityOptions = { ...OPTIONS, bearer: fakeCheck('pool') };

function request(v2: boolean, requestContext: Record<string, unknown> | undefined, headers: Record<string, string> = {}): HttpRequestView {
  return { v2, requestContext, header: (name) => headers[name] };
}
const v1 = (requestContext: Record<string, unknown>, headers?: Record<string, string>) => request(false, requestContext, headers);
const v2 = (requestContext: Record<string, unknown>, headers?: Record<string, string>) => request(true, requestContext, headers);

const ROLE = 'arn:aws:sts::123456789012:assumed-role/Backend/session';
const POOL_ROLE = 'arn:aws:sts::123456789012:assumed-role/AuthRole/CognitoIdentityCredentials';
const ID_1 = 'us-east-1:11111111-1111-1111-1111-111111111111';
const identityPool = (identityId: string, amr: string[]) =>
  ({ authorizer: { iam: { userArn: POOL_ROLE, cognitoIdentity: { identityId, identityPoolId: 'us-east-1:pool', amr } } } });
const ELB = { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/1' } };
const good = (prefix: string, claims: object) => `${prefix}:${JSON.stringify(claims)}`;

type Expected = { userId?: string; source: string } | { status: number; message?: string };

describe('identifyHttpCaller', () => {
  test.each<[string, HttpRequestView, IdentityOptions, Expected]>([
    // API Gateway JWT / Cognito authorizers
    ['REST Cognito claims: sub', v1({ authorizer: { claims: { sub: 's1', email: 'e@x' } } }), OPTIONS, { userId: 's1', source: 'jwt' }],
    ['REST Cognito claims: userIdClaim email, verified ("true" as API Gateway flattens it)',
      v1({ authorizer: { claims: { sub: 's1', email: 'e@x', email_verified: 'true' } } }), { ...OPTIONS, userIdClaim: 'email' },
      { userId: 'e@x', source: 'jwt' }],
    ['HTTP API JWT claims: sub', v2({ authorizer: { jwt: { claims: { sub: 's2' }, scopes: null } } }), OPTIONS, { userId: 's2', source: 'jwt' }],
    ['HTTP API payload 1.0 JWT claims', v1({ authorizer: { jwt: { claims: { sub: 's3' } } } }), OPTIONS, { userId: 's3', source: 'jwt' }],
    ['claims win over a Lambda context and IAM', v2({ authorizer: { jwt: { claims: { sub: 's4' } }, lambda: { userId: 'u' }, iam: { userArn: ROLE } } }),
      OPTIONS, { userId: 's4', source: 'jwt' }],
    ['claims without the claim: 401, no fallback', v1({ authorizer: { claims: { sub: '' }, principalId: 'p' } }), OPTIONS,
      { status: 401, message: 'The caller\'s token has no "sub" claim to use as userId' }],
    ['claims without userIdClaim: 401', v2({ authorizer: { jwt: { claims: { sub: 's5' } } } }), { ...OPTIONS, userIdClaim: 'cognito:username' },
      { status: 401, message: 'The caller\'s token has no "cognito:username" claim to use as userId' }],
    // Lambda authorizers
    ['REST Lambda authorizer: userId over principalId', v1({ authorizer: { principalId: 'p', userId: 'u1' } }), OPTIONS,
      { userId: 'u1', source: 'lambda-authorizer' }],
    ['REST Lambda authorizer: principalId', v1({ authorizer: { principalId: 'p2' }, identity: { userArn: ROLE } }), OPTIONS,
      { userId: 'p2', source: 'lambda-authorizer' }],
    ['HTTP API Lambda authorizer: numeric userId', v2({ authorizer: { lambda: { userId: 42 } } }), OPTIONS, { userId: '42', source: 'lambda-authorizer' }],
    ['HTTP API Lambda authorizer: principalId', v2({ authorizer: { lambda: { principalId: 'p3' } } }), OPTIONS, { userId: 'p3', source: 'lambda-authorizer' }],
    // Cognito identity pools
    ['HTTP API / function URL identity-pool user: the identity id', v2(identityPool(ID_1, ['authenticated', 'cognito-idp...'])), OPTIONS,
      { userId: ID_1, source: 'identity-pool' }],
    ['REST identity-pool user: the identity id',
      v1({ identity: { userArn: POOL_ROLE, cognitoIdentityId: ID_1, cognitoAuthenticationType: 'authenticated' } }), OPTIONS,
      { userId: ID_1, source: 'identity-pool' }],
    ['identity-pool guest (amr): 401', v2(identityPool(ID_1, ['unauthenticated'])), OPTIONS, { status: 401 }],
    ['identity-pool guest (REST): 401', v1({ identity: { userArn: POOL_ROLE, cognitoIdentityId: ID_1, cognitoAuthenticationType: 'unauthenticated' } }),
      OPTIONS, { status: 401 }],
    ['identity-pool guest with allowUnauthenticatedUsers: the identity id', v2(identityPool(ID_1, ['unauthenticated'])),
      { ...OPTIONS, allowUnauthenticatedUsers: true }, { userId: ID_1, source: 'identity-pool-guest' }],
    ['identity-pool session without cognitoIdentity: 403 naming the missing identity id, even with trustIamPrincipals',
      v2({ authorizer: { iam: { userArn: POOL_ROLE, cognitoIdentity: null } } }), { ...OPTIONS, trustIamPrincipals: true },
      { status: 403, message: 'The caller signs with Cognito identity-pool credentials but the event carries no identity id' }],
    ['REST identity-pool session without cognitoIdentityId: 403', v1({ identity: { userArn: POOL_ROLE, cognitoIdentityId: null } }),
      { ...OPTIONS, trustIamPrincipals: true }, { status: 403, message: expect.stringContaining('no identity id') }],
    ['identity-pool caller without amr: 401, it may be a guest', v2(identityPool(ID_1, [])), OPTIONS,
      { status: 401, message: expect.stringContaining('no amr') }],
    ['identity-pool caller with no amr field: 401', v2({ authorizer: { iam: { userArn: POOL_ROLE, cognitoIdentity: { identityId: ID_1 } } } }), OPTIONS,
      { status: 401 }],
    ['REST identity-pool caller without cognitoAuthenticationType: 401', v1({ identity: { userArn: POOL_ROLE, cognitoIdentityId: ID_1 } }), OPTIONS,
      { status: 401 }],
    ['identity-pool caller without amr and allowUnauthenticatedUsers: a guest', v2(identityPool(ID_1, [])),
      { ...OPTIONS, allowUnauthenticatedUsers: true }, { userId: ID_1, source: 'identity-pool-guest' }],
    ['identity-pool user even with trustIamPrincipals: the identity id, not the role ARN', v2(identityPool(ID_1, ['authenticated'])),
      { ...OPTIONS, trustIamPrincipals: true }, { userId: ID_1, source: 'identity-pool' }],
    // other IAM principals
    ['HTTP API / function URL IAM role: 403', v2({ authorizer: { iam: { userArn: ROLE, cognitoIdentity: null } } }), OPTIONS,
      { status: 403, message: expect.stringContaining('set trustIamPrincipals') }],
    ['REST IAM role: 403', v1({ identity: { userArn: ROLE, cognitoIdentityId: null } }), OPTIONS, { status: 403 }],
    ['IAM role with trustIamPrincipals: the ARN', v2({ authorizer: { iam: { userArn: ROLE } } }), { ...OPTIONS, trustIamPrincipals: true },
      { userId: ROLE, source: 'iam' }],
    ['REST IAM user with trustIamPrincipals: the ARN', v1({ identity: { userArn: 'arn:aws:iam::123456789012:user/alice' } }),
      { ...OPTIONS, trustIamPrincipals: true }, { userId: 'arn:aws:iam::123456789012:user/alice', source: 'iam' }],
    // ALB sign-in
    ['ALB with a valid x-amzn-oidc-data: its sub', v1(ELB, { 'x-amzn-oidc-data': good('alb', { sub: 'a1' }) }), WITH_VERIFIERS,
      { userId: 'a1', source: 'alb' }],
    ['ALB with userIdClaim email', v1(ELB, { 'x-amzn-oidc-data': good('alb', { sub: 'a1', email: 'a@x', email_verified: true }) }),
      { ...WITH_VERIFIERS, userIdClaim: 'email' }, { userId: 'a@x', source: 'alb' }],
    ['ALB with an invalid x-amzn-oidc-data: 401', v1(ELB, { 'x-amzn-oidc-data': 'forged' }), WITH_VERIFIERS,
      { status: 401, message: 'The load balancer\'s sign-in data is not valid' }],
    ['ALB without a configured load balancer: unauthenticated', v1(ELB, { 'x-amzn-oidc-data': good('alb', { sub: 'a1' }) }), OPTIONS,
      { userId: undefined, source: 'unauthenticated' }],
    ['x-amzn-oidc-data outside an ALB event: not read', v2({}, { 'x-amzn-oidc-data': good('alb', { sub: 'a1' }) }), WITH_VERIFIERS,
      { userId: undefined, source: 'unauthenticated' }],
    ['ALB with only x-amzn-oidc-identity (unsigned): unauthenticated', v1(ELB, { 'x-amzn-oidc-identity': 'a1' }), WITH_VERIFIERS,
      { userId: undefined, source: 'unauthenticated' }],
    // bearer tokens the vendor verifies
    ['function URL with a valid bearer token: its sub', v2({}, { authorization: `Bearer ${good('pool', { sub: 'b1' })}` }), WITH_VERIFIERS,
      { userId: 'b1', source: 'bearer' }],
    ['ALB event with a bearer token and no sign-in data', v1(ELB, { authorization: `bearer ${good('pool', { sub: 'b2' })}` }), WITH_VERIFIERS,
      { userId: 'b2', source: 'bearer' }],
    ['an invalid bearer token: 401', v2({}, { authorization: 'Bearer forged' }), WITH_VERIFIERS,
      { status: 401, message: 'The bearer token is not valid' }],
    ['an invalid bearer token with allowUnauthenticatedUsers: still 401', v2({}, { authorization: 'Bearer forged' }),
      { ...WITH_VERIFIERS, allowUnauthenticatedUsers: true }, { status: 401 }],
    ['a bearer token without a configured pool: unauthenticated', v2({}, { authorization: `Bearer ${good('pool', { sub: 'b1' })}` }), OPTIONS,
      { userId: undefined, source: 'unauthenticated' }],
    ['a bare JWT in Authorization (as REST API Cognito authorizers take it) is verified like a bearer token',
      v1({}, { authorization: 'pool.eyJzdWIiOiJiMyJ9.sig' }), { ...OPTIONS, bearer: async (jwt) => (jwt === 'pool.eyJzdWIiOiJiMyJ9.sig' ? { sub: 'b3' } : {}) },
      { userId: 'b3', source: 'bearer' }],
    ['a bare JWT that fails verification: 401', v1({}, { authorization: 'aaa.bbb.ccc' }), WITH_BEARER, { status: 401 }],
    ['a SigV4 Authorization header is no bearer token', v2({}, { authorization: 'AWS4-HMAC-SHA256 Credential=...' }), WITH_VERIFIERS,
      { userId: undefined, source: 'unauthenticated' }],
    // a vendor that verifies: the event's shape names nobody
    ['verifying vendor: a forged bearer with HTTP API claims is 401, the claims never count',
      v2({ authorizer: { jwt: { claims: { sub: 'gw' } } } }, { authorization: 'Bearer forged' }), WITH_VERIFIERS,
      { status: 401, message: 'The bearer token is not valid' }],
    ['verifying vendor: HTTP API JWT claims alone are unauthenticated', v2({ authorizer: { jwt: { claims: { sub: 'victim' } } } }), WITH_BEARER,
      { userId: undefined, source: 'unauthenticated' }],
    ['verifying vendor: REST Cognito claims alone are unauthenticated', v1({ authorizer: { claims: { sub: 'victim' } } }), WITH_BEARER,
      { userId: undefined, source: 'unauthenticated' }],
    ['verifying vendor: a Lambda authorizer context alone is unauthenticated', v2({ authorizer: { lambda: { userId: 'victim' } } }), WITH_BEARER,
      { userId: undefined, source: 'unauthenticated' }],
    ['verifying vendor: another user\'s identity-pool id alone is unauthenticated', v2(identityPool(ID_1, ['authenticated'])), WITH_BEARER,
      { userId: undefined, source: 'unauthenticated' }],
    ['verifying vendor: IAM alone is unauthenticated, even with trustIamPrincipals', v2({ authorizer: { iam: { userArn: ROLE } } }),
      { ...WITH_BEARER, trustIamPrincipals: true }, { userId: undefined, source: 'unauthenticated' }],
    ['verifying vendor: claims equal to the verified bearer\'s', v2({ authorizer: { jwt: { claims: { sub: 'b1' } } } },
      { authorization: `Bearer ${good('pool', { sub: 'b1' })}` }), WITH_BEARER, { userId: 'b1', source: 'bearer' }],
    ['verifying vendor: claims naming another user than the verified bearer: 403', v2({ authorizer: { jwt: { claims: { sub: 'victim' } } } },
      { authorization: `Bearer ${good('pool', { sub: 'b1' })}` }), WITH_BEARER,
    { status: 403, message: 'The authorizer\'s claims in the event name another user than the verified token' }],
    ['verifying vendor: REST claims naming another user than the verified bearer: 403', v1({ authorizer: { claims: { sub: 'victim' } } },
      { authorization: `Bearer ${good('pool', { sub: 'b1' })}` }), WITH_BEARER, { status: 403 }],
    ['verifying vendor: a Lambda authorizer context never counts, even beside a bearer', v2({ authorizer: { lambda: { userId: 'victim' } } },
      { authorization: `Bearer ${good('pool', { sub: 'b1' })}` }), WITH_BEARER, { userId: 'b1', source: 'bearer' }],
    ['verifying vendor (ALB only): forged HTTP API claims are unauthenticated', v2({ authorizer: { jwt: { claims: { sub: 'victim' } } } }),
      { ...OPTIONS, loadBalancer: fakeCheck('alb') }, { userId: undefined, source: 'unauthenticated' }],
    ['verifying vendor: a forged ALB event with sign-in data the vendor cannot verify is unauthenticated', v1(ELB, { 'x-amzn-oidc-data': good('alb', { sub: 'a1' }) }),
      WITH_BEARER, { userId: undefined, source: 'unauthenticated' }],
    // claims that name a user only when verified
    ['email with email_verified false: 403', v2({}, { authorization: `Bearer ${good('pool', { sub: 'b1', email: 'e@x', email_verified: false })}` }),
      { ...WITH_BEARER, userIdClaim: 'email' }, { status: 403, message: expect.stringContaining('email_verified is not true') }],
    ['email without email_verified: 403', v2({}, { authorization: `Bearer ${good('pool', { sub: 'b1', email: 'e@x' })}` }),
      { ...WITH_BEARER, userIdClaim: 'email' }, { status: 403 }],
    ['email with email_verified "false" (API Gateway claims): 403', v1({ authorizer: { claims: { sub: 's', email: 'e@x', email_verified: 'false' } } }),
      { ...OPTIONS, userIdClaim: 'email' }, { status: 403 }],
    ['email with email_verified true: the address', v2({}, { authorization: `Bearer ${good('pool', { sub: 'b1', email: 'e@x', email_verified: true })}` }),
      { ...WITH_BEARER, userIdClaim: 'email' }, { userId: 'e@x', source: 'bearer' }],
    ['phone_number with phone_number_verified "true"', v1({ authorizer: { claims: { sub: 's', phone_number: '+15550100', phone_number_verified: 'true' } } }),
      { ...OPTIONS, userIdClaim: 'phone_number' }, { userId: '+15550100', source: 'jwt' }],
    ['phone_number unverified: 403', v1({ authorizer: { claims: { sub: 's', phone_number: '+15550100', phone_number_verified: 'false' } } }),
      { ...OPTIONS, userIdClaim: 'phone_number' }, { status: 403, message: expect.stringContaining('phone_number_verified') }],
    ['a claim without a companion (cognito:username) needs none', v1({ authorizer: { claims: { 'sub': 's', 'cognito:username': 'ada' } } }),
      { ...OPTIONS, userIdClaim: 'cognito:username' }, { userId: 'ada', source: 'jwt' }],
    // nobody
    ['no authorizer, no IAM: unauthenticated', v1({ identity: { sourceIp: '192.0.2.1', userArn: null } }), OPTIONS,
      { userId: undefined, source: 'unauthenticated' }],
    ['no request context: unauthenticated', request(true, undefined), OPTIONS, { userId: undefined, source: 'unauthenticated' }],
  ])('%s', async (_name, req, options, expected) => {
    const result = identifyHttpCaller(req, options);
    if ('status' in expected) {
      await expect(result).rejects.toMatchObject({ statusCode: expected.status, ...(expected.message ? { message: expected.message } : {}) });
    } else {
      await expect(result).resolves.toMatchObject(expected);
    }
  });

  test('a verifying vendor keeps only the verified token\'s claims: event claims add no group and no attribute', async () => {
    const caller = await identifyHttpCaller(v2({ authorizer: { jwt: { claims: { 'sub': 'b1', 'name': 'Admin', 'cognito:groups': '[moderators]' } } } },
      { authorization: `Bearer ${good('pool', { sub: 'b1' })}` }), WITH_BEARER);
    expect(caller).toEqual({ userId: 'b1', source: 'bearer', claims: { sub: 'b1' } });
  });

  test('the claims of a token-bearing caller, and of a Lambda authorizer, are kept for attributes and groups', async () => {
    const fromBearer = await identifyHttpCaller(v2({}, { authorization: `Bearer ${good('pool', { 'sub': 'b1', 'name': 'Ada', 'cognito:groups': ['m'] })}` }), WITH_VERIFIERS);
    expect(fromBearer.claims).toEqual({ 'sub': 'b1', 'name': 'Ada', 'cognito:groups': ['m'] });
    const fromLambda = await identifyHttpCaller(v2({ authorizer: { lambda: { userId: 'u', displayName: 'Bob' } } }), OPTIONS);
    expect(fromLambda.claims).toEqual({ userId: 'u', displayName: 'Bob' });
    const fromIdentityPool = await identifyHttpCaller(v2(identityPool(ID_1, ['authenticated'])), OPTIONS);
    expect(fromIdentityPool.claims).toEqual({});
  });
});

describe('groupsOf', () => {
  test.each<[string, unknown, string[]]>([
    ['a real list', ['moderators', 'viewers'], ['moderators', 'viewers']],
    ['REST API Cognito authorizer "a,b"', 'moderators,viewers', ['moderators', 'viewers']],
    ['one group', 'moderators', ['moderators']],
    ['HTTP API JWT authorizer "[a b]"', '[moderators viewers]', ['moderators', 'viewers']],
    ['HTTP API one group "[a]"', '[moderators]', ['moderators']],
    ['a JSON list in a string', '["moderators","viewers"]', ['moderators', 'viewers']],
    ['empty', '', []],
    ['empty brackets', '[]', []],
    ['no claim', undefined, []],
    ['a number', 3, []],
    ['non-strings in a list are dropped', ['m', 3, null, ''], ['m']],
  ])('%s', (_name, value, expected) => {
    expect(groupsOf(value)).toEqual(expected);
  });
});

describe('attributeValueOf', () => {
  test.each<[unknown, string | undefined]>([
    ['Ada', 'Ada'], ['', ''], [true, 'true'], [3, '3'], [Number.NaN, undefined], [null, undefined], [undefined, undefined], [['a'], undefined], [{}, undefined],
  ])('%j -> %j', (value, expected) => {
    expect(attributeValueOf(value)).toBe(expected);
  });
});
