import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations as AssertionAnnotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ChatTokenCapability, ChatTokenVendor, ChatTokenVendorProps, IRoom, Room } from '../src';
import { KeyServer, LOAD_BALANCER_ARN, TestLoadBalancer, TestUserPool, USER_POOL_ID } from './lifecycle/token-keys';
import { configFromEnvironment } from '../src/handlers/token-vendor/token-vendor';
import { TOKEN_VENDOR_ENV as ENV } from '../src/private/token-vendor-contract';

const ROOM_ARN = 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456';
const OTHER_ROOM_ARN = 'arn:aws:ivschat:us-east-1:123456789012:room/ZyXwVu654321';
const ORIGIN = 'https://app.example.com';

function newStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
}

function vendor(stack: Stack, props: Partial<ChatTokenVendorProps> = {}): ChatTokenVendor {
  return new ChatTokenVendor(stack, 'Vendor', {
    rooms: props.rooms ?? [Room.fromRoomArn(stack, 'Imported', ROOM_ARN)],
    ...props,
  });
}

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as lambda.CfnFunction);
}

/** Every statement of every policy attached to the vendor's role. */
function roleStatements(template: Template, roleLogicalId: string): Array<Record<string, unknown>> {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleLogicalId }]) },
  });
  return Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

function vendorRoleId(template: Template): string {
  const roles = template.findResources('AWS::IAM::Role', {
    Properties: { Description: 'IVS Chat token vendor (cdk-ivs-chat)' },
  });
  expect(Object.keys(roles)).toHaveLength(1);
  return Object.keys(roles)[0];
}

function environment(template: Template): Record<string, unknown> {
  const fns = template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler', Runtime: 'nodejs24.x' } });
  const vendorFns = Object.values(fns).filter((f) => f.Properties.Environment?.Variables?.[ENV.roomArns] !== undefined);
  expect(vendorFns).toHaveLength(1);
  return vendorFns[0].Properties.Environment.Variables;
}

describe('defaults', () => {
  test('an ARM Node.js 24 function with the configuration in its environment', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    vendor(stack);

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 256,
      Timeout: 10,
      Environment: {
        Variables: {
          [ENV.roomArns]: JSON.stringify([ROOM_ARN]),
          [ENV.capabilities]: '["SEND_MESSAGE"]',
          [ENV.maxSessionMinutes]: '60',
          [ENV.allowUnauthenticatedUsers]: 'false',
          [ENV.allowedOrigins]: '[]',
        },
      },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^VendorLogGroup') } },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.resourceCountIs('AWS::Lambda::Url', 0);
  });

  test('the environment is what the handler reads', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    vendor(stack, {
      rooms: [Room.fromRoomArn(stack, 'A', ROOM_ARN), Room.fromRoomArn(stack, 'B', OTHER_ROOM_ARN)],
      capabilities: [ChatTokenCapability.DELETE_MESSAGE, ChatTokenCapability.DISCONNECT_USER],
      sessionDuration: Duration.hours(2),
      allowUnauthenticatedUsers: true,
      allowedOrigins: [ORIGIN],
    });

    // THEN
    const config = configFromEnvironment(environment(Template.fromStack(stack)) as Record<string, string>);
    expect(config.roomArns).toEqual(new Set([ROOM_ARN, OTHER_ROOM_ARN]));
    expect(config.capabilities).toEqual(['DELETE_MESSAGE', 'DISCONNECT_USER']);
    expect(config.maxSessionMinutes).toBe(120);
    expect(config.allowUnauthenticatedUsers).toBe(true);
    expect(config.allowedOrigins).toEqual(new Set([ORIGIN]));
  });

  test('an empty capability list is rendered as view-only', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    vendor(stack, { capabilities: [] });

    // THEN
    expect(environment(Template.fromStack(stack))[ENV.capabilities]).toBe('[]');
  });

  test('an owned room\'s ARN reaches the environment through its attribute', () => {
    // GIVEN
    const stack = newStack();
    const room = new Room(stack, 'Room');

    // WHEN
    vendor(stack, { rooms: [room] });

    // THEN
    expect(environment(Template.fromStack(stack))[ENV.roomArns]).toEqual({
      'Fn::Join': ['', ['["', { 'Fn::GetAtt': [logicalId(stack, room), 'Arn'] }, '"]']],
    });
  });
});

describe('least privilege', () => {
  test('CreateChatToken on exactly its rooms, logs to its own log group, nothing on `*`', () => {
    // GIVEN
    const stack = newStack();
    const owned = new Room(stack, 'Owned');
    const imported = Room.fromRoomArn(stack, 'Imported', ROOM_ARN);
    new Room(stack, 'NotVended');

    // WHEN
    const v = vendor(stack, { rooms: [owned, imported] });

    // THEN
    const template = Template.fromStack(stack);
    const statements = roleStatements(template, vendorRoleId(template));
    const chat = statements.filter((s) => asList(s.Action).some((a) => String(a).startsWith('ivschat:')));
    expect(chat.flatMap((s) => asList(s.Action))).toEqual(chat.map(() => 'ivschat:CreateChatToken'));
    expect(chat.flatMap((s) => asList(s.Resource))).toEqual(expect.arrayContaining([
      { 'Fn::GetAtt': [logicalId(stack, owned), 'Arn'] },
      ROOM_ARN,
    ]));
    expect(chat.flatMap((s) => asList(s.Resource))).toHaveLength(2);

    const others = statements.filter((s) => !chat.includes(s));
    expect(others).toEqual([{
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::GetAtt': [stack.getLogicalId(v.logGroup.node.defaultChild as logs.CfnLogGroup), 'Arn'] },
    }]);
    expect(JSON.stringify(statements)).not.toMatch(/"Resource":"\*"|"\*"\]/);
  });

  test('its own role, with no managed policy (no AWSLambdaBasicExecutionRole)', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    vendor(stack);

    // THEN
    const template = Template.fromStack(stack);
    const role = template.findResources('AWS::IAM::Role')[vendorRoleId(template)];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
  });

  test('an imported room is granted by its ARN', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    vendor(stack, { rooms: [Room.fromRoomArn(stack, 'Imported', OTHER_ROOM_ARN)] });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{ Effect: 'Allow', Action: 'ivschat:CreateChatToken', Resource: OTHER_ROOM_ARN }]),
      },
    });
  });
});

describe('function URL', () => {
  test('AWS_IAM by default, without CORS when no origins are allowed', () => {
    // GIVEN
    const stack = newStack();
    const v = vendor(stack);

    // WHEN
    const url = v.addFunctionUrl();

    // THEN
    expect(url.authType).toBe(lambda.FunctionUrlAuthType.AWS_IAM);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Url', Match.objectEquals({
      AuthType: 'AWS_IAM',
      TargetFunctionArn: { 'Fn::GetAtt': [logicalId(stack, v.handler), 'Arn'] },
    }));
    template.resourceCountIs('AWS::Lambda::Permission', 0);
  });

  test('CORS for POST from the vendor\'s origins; the handler gets the same origins', () => {
    // GIVEN
    const stack = newStack();
    const v = vendor(stack, { allowedOrigins: [ORIGIN] });

    // WHEN
    v.addFunctionUrl();

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'AWS_IAM',
      Cors: {
        AllowOrigins: [ORIGIN],
        AllowMethods: ['POST'],
        AllowHeaders: Match.arrayWith(['authorization', 'content-type', 'x-amz-date', 'x-amz-security-token']),
        // a page reads Retry-After of a 429 only if the URL exposes it
        ExposeHeaders: ['retry-after'],
      },
    });
    expect(environment(template)[ENV.allowedOrigins]).toBe(JSON.stringify([ORIGIN]));
  });

  test('origins given to the URL reach the handler too', () => {
    // GIVEN
    const stack = newStack();
    const v = vendor(stack);

    // WHEN
    v.addFunctionUrl({ allowedOrigins: ['https://a.example.com', 'http://localhost:3000'] });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Url', {
      Cors: Match.objectLike({ AllowOrigins: ['https://a.example.com', 'http://localhost:3000'] }),
    });
    expect(environment(template)[ENV.allowedOrigins]).toBe('["https://a.example.com","http://localhost:3000"]');
  });

  test('NONE when asked, with allowUnauthenticatedUsers: a public URL and a warning', () => {
    // GIVEN
    const stack = newStack();
    const v = vendor(stack, { allowUnauthenticatedUsers: true });

    // WHEN
    v.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE, allowedOrigins: ['*'] });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE', Cors: Match.objectLike({ AllowOrigins: ['*'] }) });
    template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunctionUrl', FunctionUrlAuthType: 'NONE' });
    AssertionAnnotations.fromStack(stack).hasWarning('/TestStack/Vendor', Match.stringLikeRegexp('anyone on the internet'));
  });

  test('NONE without allowUnauthenticatedUsers or userPool is refused: every request would be 401', () => {
    // GIVEN
    const stack = newStack();
    const v = vendor(stack);

    // THEN
    expect(() => v.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE }))
      .toThrow(/authType` NONE carries no caller identity/);
  });

  test('a second URL is refused', () => {
    const stack = newStack();
    const v = vendor(stack);
    v.addFunctionUrl();
    expect(() => v.addFunctionUrl()).toThrow('[TestStack/Vendor] addFunctionUrl() may be called once: the vendor already has a function URL');
  });

  test('an origin with a path is refused', () => {
    const stack = newStack();
    const v = vendor(stack);
    expect(() => v.addFunctionUrl({ allowedOrigins: ['https://a.example.com/'] }))
      .toThrow('`allowedOrigins` must hold origins such as "https://example.com"');
  });
});

describe('validation', () => {
  test('no rooms', () => {
    expect(() => vendor(newStack(), { rooms: [] })).toThrow('`rooms` must hold at least one room. Received 0');
  });

  test('the same room twice', () => {
    // GIVEN
    const stack = newStack();
    const room: IRoom = Room.fromRoomArn(stack, 'Imported', ROOM_ARN);
    const again = Room.fromRoomArn(stack, 'Again', ROOM_ARN);
    const owned = new Room(stack, 'Owned');

    // THEN
    expect(() => vendor(stack, { rooms: [room, again] })).toThrow(`\`rooms\` must not repeat a room. Received ${ROOM_ARN} twice`);
    expect(() => new ChatTokenVendor(stack, 'V2', { rooms: [owned, owned] })).toThrow('Received TestStack/Owned twice');
  });

  test.each([
    ['region', 'arn:aws:ivschat:eu-west-1:123456789012:room/AbCdEf123456'],
    ['account', 'arn:aws:ivschat:us-east-1:999999999999:room/AbCdEf123456'],
  ])('a room in another %s', (what, arn) => {
    const stack = newStack();
    expect(() => vendor(stack, { rooms: [Room.fromRoomArn(stack, 'Far', arn)] }))
      .toThrow(`\`rooms\` must be in the vendor's ${what}`);
  });

  test('an environment-agnostic stack accepts rooms from any ARN', () => {
    const stack = new Stack(new App(), 'Agnostic');
    expect(() => vendor(stack, { rooms: [Room.fromRoomArn(stack, 'Far', 'arn:aws:ivschat:eu-west-1:111111111111:room/AbCdEf123456')] }))
      .not.toThrow();
  });

  test('a repeated capability', () => {
    expect(() => vendor(newStack(), { capabilities: [ChatTokenCapability.SEND_MESSAGE, ChatTokenCapability.SEND_MESSAGE] }))
      .toThrow('`capabilities` must not repeat a capability. Received SEND_MESSAGE twice');
  });

  test('an unknown capability (from a language without enums)', () => {
    expect(() => vendor(newStack(), { capabilities: ['ADMIN' as ChatTokenCapability] }))
      .toThrow('`capabilities` may hold SEND_MESSAGE, DELETE_MESSAGE, DISCONNECT_USER. Received "ADMIN"');
  });

  test.each([
    [Duration.minutes(0), '0 minutes'],
    [Duration.minutes(181), '3 hours 1 minute'],
    [Duration.seconds(90), '1 minute 30 seconds'],
    [Duration.seconds(30), '30 seconds'],
  ])('a session of %s', (sessionDuration, shown) => {
    expect(() => vendor(newStack(), { sessionDuration }))
      .toThrow(`\`sessionDuration\` must be a whole number of minutes between 1 and 180. Received ${shown}`);
  });

  test.each([[Duration.minutes(1), '1'], [Duration.seconds(120), '2'], [Duration.hours(3), '180']])('a session of %s is rendered in minutes', (sessionDuration, minutes) => {
    const stack = newStack();
    vendor(stack, { sessionDuration });
    expect(environment(Template.fromStack(stack))[ENV.maxSessionMinutes]).toBe(minutes);
  });

  test('an allowed origin that is no origin', () => {
    expect(() => vendor(newStack(), { allowedOrigins: ['app.example.com'] })).toThrow('Received "app.example.com"');
  });
});

describe('function options', () => {
  test('memory, timeout, reserved concurrency, environment key, log retention and description pass through', () => {
    // GIVEN
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');

    // WHEN
    vendor(stack, {
      memorySize: 512,
      timeout: Duration.seconds(5),
      reservedConcurrentExecutions: 20,
      environmentEncryption: key,
      logRetention: logs.RetentionDays.ONE_YEAR,
      description: 'Tokens for the lobby',
    });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 512,
      Timeout: 5,
      ReservedConcurrentExecutions: 20,
      KmsKeyArn: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] },
      Description: 'Tokens for the lobby',
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    template.resourceCountIs('Custom::LogRetention', 0);
  });
});

describe('identity settings', () => {
  function network(stack: Stack) {
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    return new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
  }

  test('left at their defaults, none is rendered (the handler has the same defaults)', () => {
    const stack = newStack();
    vendor(stack);
    const env = environment(Template.fromStack(stack));
    expect(Object.keys(env).sort())
      .toEqual([ENV.allowUnauthenticatedUsers, ENV.allowedOrigins, ENV.capabilities, ENV.maxSessionMinutes, ENV.roomArns].sort());
    const config = configFromEnvironment(env as Record<string, string>);
    expect(config.identity).toMatchObject({ userIdClaim: 'sub', trustIamPrincipals: false, loadBalancer: undefined, bearer: undefined });
    expect(config.throttleWaitMs).toBe(3_000);
    expect(config.trustDirectInvocation).toBe(false);
    expect(config.groupsClaim).toBe('cognito:groups');
  });

  const poolKeys = new TestUserPool();
  const albKeys = new TestLoadBalancer();
  let keys: KeyServer;
  beforeAll(async () => { keys = await KeyServer.start(poolKeys, albKeys); });
  afterAll(async () => { await keys.stop(); });

  test('every setting reaches the handler through the environment', async () => {
    // GIVEN
    const stack = newStack();
    const pool = new cognito.UserPool(stack, 'Pool');
    const web = pool.addClient('Web');
    const loadBalancer = network(stack);

    // WHEN
    vendor(stack, {
      userIdClaim: 'email',
      trustIamPrincipals: true,
      trustDirectInvocation: true,
      loadBalancer,
      userPool: pool,
      userPoolClients: [web],
      attributesFromClaims: { displayName: 'name', avatar: 'picture' },
      clientAttributes: ['color'],
      groupCapabilities: { moderators: [ChatTokenCapability.DELETE_MESSAGE, ChatTokenCapability.DISCONNECT_USER] },
      groupsClaim: 'roles',
    });

    // THEN
    const template = Template.fromStack(stack);
    const env = environment(template);
    expect(env).toMatchObject({
      [ENV.userIdClaim]: 'email',
      [ENV.trustIamPrincipals]: 'true',
      [ENV.trustDirectInvocation]: 'true',
      [ENV.loadBalancerArn]: { Ref: stack.getLogicalId(loadBalancer.node.defaultChild as elbv2.CfnLoadBalancer) },
      [ENV.userPoolId]: { Ref: stack.getLogicalId(pool.node.defaultChild as cognito.CfnUserPool) },
      [ENV.groupsClaim]: 'roles',
    });
    // resolved as the handler would see them
    const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(stack.resolve(v))]));
    expect(JSON.parse(resolved[ENV.attributesFromClaims])).toEqual({ displayName: 'name', avatar: 'picture' });
    expect(JSON.parse(resolved[ENV.clientAttributes])).toEqual(['color']);
    expect(JSON.parse(resolved[ENV.groupCapabilities])).toEqual({ moderators: ['DELETE_MESSAGE', 'DISCONNECT_USER'] });
    expect(JSON.stringify(env[ENV.userPoolClientIds])).toContain(stack.getLogicalId(web.node.defaultChild as cognito.CfnUserPoolClient));
    // and the handler accepts them, as CloudFormation resolves the references; the keys come from the local key server
    const config = configFromEnvironment({
      ...resolved as Record<string, string>,
      [ENV.loadBalancerArn]: LOAD_BALANCER_ARN,
      [ENV.userPoolId]: USER_POOL_ID,
      [ENV.userPoolClientIds]: '["client1"]',
      [ENV.userPoolJwksUri]: keys.userPoolJwksUri,
      [ENV.loadBalancerKeysUri]: keys.loadBalancerKeysUri,
    });
    expect(config.identity).toMatchObject({ userIdClaim: 'email', trustIamPrincipals: true });
    // the bearer verifier checks this pool and this client, and nothing else
    const claims = { sub: 's', email: 'a@example.com', email_verified: true };
    await expect(config.identity.bearer!(poolKeys.idToken('client1', claims))).resolves.toMatchObject({ sub: 's' });
    await expect(config.identity.bearer!(poolKeys.accessToken('client1', { sub: 's' }))).resolves.toMatchObject({ client_id: 'client1' });
    await expect(config.identity.bearer!(poolKeys.idToken('client2', claims))).rejects.toThrow();
    await expect(config.identity.bearer!(poolKeys.idToken('client1', { ...claims, iss: `https://cognito-idp.us-east-1.amazonaws.com/${USER_POOL_ID}x` })))
      .rejects.toThrow();
    // the load balancer verifier checks this load balancer's signature and nothing else
    await expect(config.identity.loadBalancer!(albKeys.oidcData(claims))).resolves.toMatchObject({ sub: 's' });
    await expect(config.identity.loadBalancer!(albKeys.oidcData(claims, { signer: LOAD_BALANCER_ARN.replace('50dc6c495c0c9188', '1111111111111111') })))
      .rejects.toThrow();
    expect(config.trustDirectInvocation).toBe(true);
    expect(config.groupCapabilities.get('moderators')).toEqual(['DELETE_MESSAGE', 'DISCONNECT_USER']);
  });

  test('oidcIssuer reaches the handler, whose verifier checks that issuer and those audiences', async () => {
    // GIVEN
    const stack = newStack();
    const issuer = 'https://login.example.com/tenant-1/';

    // WHEN
    const v = vendor(stack, { oidcIssuer: { issuer, audience: ['api://chat', 'web-client'], jwksUri: 'https://login.example.com/tenant-1/keys' } });
    v.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });

    // THEN
    const env = environment(Template.fromStack(stack)) as Record<string, string>;
    expect(env).toMatchObject({ [ENV.oidcIssuer]: issuer, [ENV.oidcAudience]: '["api://chat","web-client"]', [ENV.oidcJwksUri]: 'https://login.example.com/tenant-1/keys' });
    const config = configFromEnvironment({ ...env, [ENV.oidcJwksUri]: keys.userPoolJwksUri });
    const token = (claims: object) => poolKeys.idToken('api://chat', { iss: issuer, ...claims });
    await expect(config.identity.bearer!(token({ sub: 'o1' }))).resolves.toMatchObject({ sub: 'o1' });
    await expect(config.identity.bearer!(token({ sub: 'o1', aud: 'web-client' }))).resolves.toMatchObject({ sub: 'o1' });
    await expect(config.identity.bearer!(token({ sub: 'o1', aud: 'other-app' }))).rejects.toThrow();
    await expect(config.identity.bearer!(token({ sub: 'o1', iss: 'https://login.example.com/tenant-2/' }))).rejects.toThrow();
    await expect(config.identity.bearer!(poolKeys.idToken('api://chat', { sub: 'o1' }, { forged: true }))).rejects.toThrow();
  });

  test('throttleWait reaches the handler in milliseconds', () => {
    const stack = newStack();
    vendor(stack, { throttleWait: Duration.seconds(8), timeout: Duration.seconds(20) });
    const env = environment(Template.fromStack(stack)) as Record<string, string>;
    expect(env[ENV.throttleWaitMs]).toBe('8000');
    expect(configFromEnvironment(env).throttleWaitMs).toBe(8_000);
  });

  test('NONE function URL with a user pool: allowed without allowUnauthenticatedUsers, and no public-URL warning', () => {
    const stack = newStack();
    const v = vendor(stack, { userPool: new cognito.UserPool(stack, 'Pool') });
    v.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
    expect(AssertionAnnotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('anyone on the internet'))).toHaveLength(0);
  });

  test.each<[string, (stack: Stack) => Partial<ChatTokenVendorProps>, string]>([
    ['oidcIssuer with userPool', (stack) => ({ userPool: new cognito.UserPool(stack, 'P'), oidcIssuer: { issuer: 'https://a.example.com', audience: ['x'] } }),
      '`oidcIssuer` and `userPool` are exclusive: a user pool is one OIDC issuer. Received both'],
    ['an OIDC issuer without audience', () => ({ oidcIssuer: { issuer: 'https://a.example.com', audience: [] } }),
      '`oidcIssuer.audience` must hold at least one audience: a token for another application must not pass. Received 0'],
    ['an http OIDC issuer', () => ({ oidcIssuer: { issuer: 'http://a.example.com', audience: ['x'] } }),
      '`oidcIssuer.issuer` must be an https URL. Received "http://a.example.com"'],
    ['a JWKS URI that is no URL', () => ({ oidcIssuer: { issuer: 'https://a.example.com', audience: ['x'], jwksUri: 'keys.json' } }),
      '`oidcIssuer.jwksUri` must be an https URL. Received "keys.json"'],
    ['a throttle wait over 25 s', () => ({ throttleWait: Duration.seconds(26), timeout: Duration.seconds(60) }),
      '`throttleWait` must be whole milliseconds from 0 to 25 seconds (API Gateway ends an integration at 29 s). Received 26 seconds'],
    ['a throttle wait that leaves no second to answer', () => ({ throttleWait: Duration.seconds(10) }),
      '`throttleWait` must be at least 1 second less than `timeout` (10 seconds), to leave time to answer. Received 10 seconds'],
    ['an empty userIdClaim', () => ({ userIdClaim: '' }), '`userIdClaim` must be a non-empty name without surrounding spaces. Received ""'],
    ['a userIdClaim with spaces', () => ({ userIdClaim: ' sub' }), '`userIdClaim` must be a non-empty name without surrounding spaces. Received " sub"'],
    ['an empty groupsClaim', () => ({ groupsClaim: ' ' }), '`groupsClaim` must be a non-empty name without surrounding spaces. Received " "'],
    ['an unknown group capability', () => ({ groupCapabilities: { moderators: ['BAN' as ChatTokenCapability] } }),
      '`groupCapabilities.moderators` may hold SEND_MESSAGE, DELETE_MESSAGE, DISCONNECT_USER. Received "BAN"'],
    ['a repeated group capability', () => ({ groupCapabilities: { mods: [ChatTokenCapability.DELETE_MESSAGE, ChatTokenCapability.DELETE_MESSAGE] } }),
      '`groupCapabilities.mods` must not repeat a capability. Received DELETE_MESSAGE twice'],
    ['an empty group name', () => ({ groupCapabilities: { '': [ChatTokenCapability.DELETE_MESSAGE] } }),
      '`groupCapabilities` group names must be a non-empty name without surrounding spaces. Received ""'],
    ['an empty claim name for an attribute', () => ({ attributesFromClaims: { displayName: '' } }),
      '`attributesFromClaims.displayName` must be a non-empty name without surrounding spaces. Received ""'],
    ['an empty attribute key', () => ({ attributesFromClaims: { '': 'name' } }), '`attributesFromClaims` keys must be a non-empty name'],
    ['an empty client attribute', () => ({ clientAttributes: [''] }), '`clientAttributes` entries must be a non-empty name'],
    ['a repeated client attribute', () => ({ clientAttributes: ['color', 'color'] }), '`clientAttributes` must not repeat a key. Received "color" twice'],
    ['clientAttributes overlapping attributesFromClaims', () => ({ attributesFromClaims: { displayName: 'name' }, clientAttributes: ['color', 'displayName'] }),
      '`clientAttributes` must not hold a key of `attributesFromClaims`: a claim sets it, the client never may. Received "displayName"'],
    ['userPoolClients without userPool', (stack) => ({ userPoolClients: [cognito.UserPoolClient.fromUserPoolClientId(stack, 'C', 'client1')] }),
      '`userPoolClients` needs `userPool`'],
    ['an empty userPoolClients', (stack) => ({ userPool: cognito.UserPool.fromUserPoolId(stack, 'P', 'us-east-1_AbCdEf123'), userPoolClients: [] }),
      '`userPoolClients` must hold at least one client'],
    ['a load balancer in another region', (stack) => ({
      loadBalancer: elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(stack, 'Far', {
        loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/chat/50dc6c495c0c9188', securityGroupId: 'sg-1',
      }),
    }), '`loadBalancer` must be in the vendor\'s region (us-east-1). Received TestStack/Far in region eu-west-1'],
    ['a load balancer in another account', (stack) => ({
      loadBalancer: elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(stack, 'Far', {
        loadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:999999999999:loadbalancer/app/chat/50dc6c495c0c9188', securityGroupId: 'sg-1',
      }),
    }), '`loadBalancer` must be in the vendor\'s account (123456789012). Received TestStack/Far in account 999999999999'],
  ])('%s is refused, naming the prop and the value', (_name, props, message) => {
    const stack = newStack();
    expect(() => vendor(stack, props(stack))).toThrow(`[TestStack/Vendor] ${message}`);
  });

  test('a load balancer in the same account and region is accepted', () => {
    const stack = newStack();
    expect(() => vendor(stack, { loadBalancer: network(stack) })).not.toThrow();
  });
});
