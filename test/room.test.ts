import * as path from 'node:path';
import {
  App, CfnParameter, CfnResource, FileSystem, Lazy, RemovalPolicy, Stack, Tags, Token,
} from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { FallbackResult, LoggingConfiguration, LoggingConfigurationBase, LoggingDestination, Room } from '../src';
import { CLAIM, CREATE, NOT_PROVIDER_TAGS, OWNED, STACK_ID } from './provider-conditions';
import { IvsChatProvider } from '../src/private/provider';

const ROOM_ARN = 'arn:aws:ivschat:eu-west-1:111111111111:room/AbCdEf123456';
const LOGGING_ARNS = [1, 2, 3, 4].map((n) => `arn:aws:ivschat:us-east-1:123456789012:logging-configuration/LogLogLog00${n}`);
const wildcardOf = (resourceType: string) => ({
  'Fn::Join': ['', [
    'arn:', { Ref: 'AWS::Partition' }, ':ivschat:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resourceType}/*`,
  ]],
});
const ROOM_WILDCARD = wildcardOf('room');

function newStack(env?: { account: string; region: string }): Stack {
  return new Stack(new App(), 'TestStack', { env });
}

function providerFunctionLogicalId(stack: Stack): string {
  return stack.getLogicalId(IvsChatProvider.of(stack).function.node.defaultChild as lambda.CfnFunction);
}

function roomLogicalId(room: Room): string {
  return Stack.of(room).getLogicalId(room.node.defaultChild as CfnResource);
}

/** A logging configuration with a CloudFormation resource of its own, independent of the real construct. */
class StubLoggingConfiguration extends LoggingConfigurationBase {
  public readonly loggingConfigurationArn: string;
  public readonly loggingConfigurationId = 'LogLogLog999';
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const resource = new CfnResource(this, 'Resource', { type: 'Custom::StubLoggingConfiguration' });
    this.loggingConfigurationArn = resource.getAtt('Arn').toString();
  }
}

describe('defaults', () => {
  test('a room is a Custom::IvsChatRoom served by the provider function, with a service timeout and nothing else', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new Room(stack, 'Room');

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::IvsChatRoom', 1);
    template.hasResourceProperties('Custom::IvsChatRoom', Match.objectEquals({
      ServiceToken: { 'Fn::GetAtt': [providerFunctionLogicalId(stack), 'Arn'] },
      ServiceTimeout: '660',
    }));
  });

  test('the service timeout is longer than the provider function may run', () => {
    const stack = newStack();
    new Room(stack, 'Room');
    const template = Template.fromStack(stack);
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0];
    const room = Object.values(template.findResources('Custom::IvsChatRoom'))[0];
    expect(Number(room.Properties.ServiceTimeout)).toBeGreaterThan(fn.Properties.Timeout);
    expect(Number(room.Properties.ServiceTimeout)).toBeLessThanOrEqual(3600);
  });

  test('an empty name is not rendered', () => {
    const stack = newStack();
    new Room(stack, 'Room', { roomName: '' });
    Template.fromStack(stack).hasResourceProperties('Custom::IvsChatRoom', { Name: Match.absent() });
  });

  test('roomArn and roomId are the custom resource\'s Arn and Id attributes', () => {
    const stack = newStack();
    const room = new Room(stack, 'Room');
    expect(stack.resolve(room.roomArn)).toEqual({ 'Fn::GetAtt': [roomLogicalId(room), 'Arn'] });
    expect(stack.resolve(room.roomId)).toEqual({ 'Fn::GetAtt': [roomLogicalId(room), 'Id'] });
  });
});

describe('properties', () => {
  test('every property is rendered', () => {
    // GIVEN
    const stack = newStack();
    const handler = new lambda.Function(stack, 'Review', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = 1'),
    });

    // WHEN
    new Room(stack, 'Room', {
      roomName: 'lobby-1_a',
      maximumMessageLength: 300,
      maximumMessageRatePerSecond: 100,
      messageReviewHandler: { handler, fallbackResult: FallbackResult.DENY },
      loggingConfigurations: [LoggingConfiguration.fromLoggingConfigurationArn(stack, 'Logs', LOGGING_ARNS[0])],
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties('Custom::IvsChatRoom', Match.objectEquals({
      ServiceToken: Match.anyValue(),
      ServiceTimeout: '660',
      Name: 'lobby-1_a',
      MaximumMessageLength: 300,
      MaximumMessageRatePerSecond: 100,
      MessageReviewHandler: {
        Uri: { 'Fn::GetAtt': [stack.getLogicalId(handler.node.defaultChild as lambda.CfnFunction), 'Arn'] },
        FallbackResult: 'DENY',
      },
      LoggingConfigurationIdentifiers: [LOGGING_ARNS[0]],
    }));
  });

  test('a review handler without a fallback result renders ALLOW', () => {
    const stack = newStack();
    const handler = lambda.Function.fromFunctionArn(stack, 'Review', 'arn:aws:lambda:us-east-1:123456789012:function:review');
    new Room(stack, 'Room', { messageReviewHandler: { handler } });
    Template.fromStack(stack).hasResourceProperties('Custom::IvsChatRoom', {
      MessageReviewHandler: { Uri: 'arn:aws:lambda:us-east-1:123456789012:function:review', FallbackResult: 'ALLOW' },
    });
  });
});

describe('tags', () => {
  test('tags from the stack and from the room are rendered as a map', () => {
    // GIVEN
    const stack = newStack();
    const tagged = new Room(stack, 'Tagged');
    const other = new Room(stack, 'Other');

    // WHEN
    Tags.of(stack).add('project', 'chat');
    Tags.of(tagged).add('team', 'moderation');

    // THEN
    const template = Template.fromStack(stack);
    expect(template.findResources('Custom::IvsChatRoom')[roomLogicalId(tagged)].Properties.Tags)
      .toEqual({ project: 'chat', team: 'moderation' });
    expect(template.findResources('Custom::IvsChatRoom')[roomLogicalId(other)].Properties.Tags)
      .toEqual({ project: 'chat' });
  });

  test('a room without tags renders no Tags', () => {
    const stack = newStack();
    new Room(stack, 'Room');
    Template.fromStack(stack).hasResourceProperties('Custom::IvsChatRoom', { Tags: Match.absent() });
  });

  test('48 tags are allowed (the provider adds the 49th and 50th, its marker and its ownership tag)', () => {
    const stack = newStack();
    const room = new Room(stack, 'Room');
    for (let i = 0; i < 48; i++) Tags.of(room).add(`key${i}`, `value${i}`);
    const tags = Object.values(Template.fromStack(stack).findResources('Custom::IvsChatRoom'))[0].Properties.Tags;
    expect(Object.keys(tags)).toHaveLength(48);
  });

  test('more than 48 tags is an error at synth that says why', () => {
    const stack = newStack();
    const room = new Room(stack, 'Room');
    Tags.of(stack).add('fromStack', 'x');
    for (let i = 0; i < 48; i++) Tags.of(room).add(`key${i}`, `value${i}`);
    expect(() => Template.fromStack(stack)).toThrow('`tags`: a room takes at most 48 tags (the API\'s 50, less the two the provider adds: ' +
      'cdk-ivs-chat:cfn-request, so a rollback can find what a create made, and cdk-ivs-chat:stack, naming the stack that owns it). Received 49');
  });

  test.each([
    ['cdk-ivs-chat:cfn-request', 'marker tag'],
    ['cdk-ivs-chat:stack', 'ownership tag (its value is the stack id)'],
  ])('the provider\'s own tag key %s cannot be set through Tags.of()', (key, what) => {
    const stack = newStack();
    const room = new Room(stack, 'Room');
    Tags.of(room).add(key, 'x');
    expect(() => Template.fromStack(stack)).toThrow(`\`tags\`: the key "${key}" is the provider's own ${what} and cannot be set. Received "${key}"`);
  });

  test('Lambda drops an event older than a minute, so no create runs after CloudFormation\'s ServiceTimeout (timeout + age)', () => {
    const stack = newStack();
    new Room(stack, 'Room');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 0 });
    const [, provider] = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('CdkIvsChatProviderHandler'))!;
    const timeout = provider.Properties.Timeout;
    const serviceTimeout = Number(Object.values(template.findResources('Custom::IvsChatRoom'))[0].Properties.ServiceTimeout);
    expect(timeout).toBe(600);
    expect(serviceTimeout).toBeGreaterThanOrEqual(timeout + 60);
  });

  test('a tag key over 128 characters or a value over 256 is an error at synth', () => {
    const stack = newStack();
    const room = new Room(stack, 'Room');
    Tags.of(room).add('k'.repeat(129), 'v');
    expect(() => Template.fromStack(stack)).toThrow(/`tags`: keys must be 1-128 characters/);

    const stack2 = newStack();
    const room2 = new Room(stack2, 'Room');
    Tags.of(room2).add('k', 'v'.repeat(257));
    expect(() => Template.fromStack(stack2)).toThrow(/`tags`: values must be at most 256 characters. Received 257 for key "k"/);
  });
});

describe('provider', () => {
  test('one provider function and role for many rooms, with one create-side room statement', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    for (let i = 0; i < 5; i++) new Room(stack, `Room${i}`);

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::IvsChatRoom', 5);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.resourceCountIs('AWS::IAM::Policy', 1);
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))[0].Properties.PolicyDocument.Statement;
    expect(statements.filter((s: { Action: unknown }) => JSON.stringify(s.Action).includes('ivschat:CreateRoom'))).toHaveLength(1);
    for (const room of Object.values(template.findResources('Custom::IvsChatRoom'))) {
      expect(room.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [providerFunctionLogicalId(stack), 'Arn'] });
    }
  });

  test('each stack has its own provider', () => {
    const app = new App();
    const one = new Stack(app, 'One');
    const two = new Stack(app, 'Two');
    new Room(one, 'Room');
    new Room(two, 'Room');
    Template.fromStack(one).resourceCountIs('AWS::Lambda::Function', 1);
    Template.fromStack(two).resourceCountIs('AWS::Lambda::Function', 1);
  });

  test('the provider may do exactly the room operations on this account\'s and region\'s rooms, what any Delete needs, and write its logs', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new Room(stack, 'Room');

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('LogGroup'), 'Arn'] },
          },
          // What any Delete needs, for both resource types, whatever the stack holds (see provider.ts): only on
          // resources whose ownership tag names this stack; untag never of the provider's own tags; the ownership tag
          // set only where it is missing (create, an older provider's resource) or already this stack's
          { Action: 'ivschat:DeleteRoom', Condition: OWNED, Effect: 'Allow', Resource: ROOM_WILDCARD },
          { Action: 'ivschat:UntagResource', Condition: { ...OWNED, ...NOT_PROVIDER_TAGS }, Effect: 'Allow', Resource: ROOM_WILDCARD },
          { Action: 'ivschat:TagResource', Condition: CLAIM, Effect: 'Allow', Resource: ROOM_WILDCARD },
          {
            Action: ['ivschat:DeleteLoggingConfiguration', 'ivschat:GetLoggingConfiguration'],
            Condition: OWNED,
            Effect: 'Allow',
            Resource: wildcardOf('logging-configuration'),
          },
          { Action: 'ivschat:UntagResource', Condition: { ...OWNED, ...NOT_PROVIDER_TAGS }, Effect: 'Allow', Resource: wildcardOf('logging-configuration') },
          { Action: 'ivschat:TagResource', Condition: CLAIM, Effect: 'Allow', Resource: wildcardOf('logging-configuration') },
          // What CloudFormation recorded for its resources: this stack only
          { Action: 'cloudformation:DescribeStackResource', Effect: 'Allow', Resource: STACK_ID },
          {
            Action: ['ivschat:ListRooms', 'ivschat:ListLoggingConfigurations'],
            Condition: { StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' } } },
            Effect: 'Allow',
            Resource: '*',
          },
          { Action: ['logs:DeleteLogDelivery', 'logs:GetLogDelivery', 'logs:ListLogDeliveries'], Effect: 'Allow', Resource: '*' },
          // Create-side: only because the stack has a room; a create only with the ownership tag in the request
          { Action: 'ivschat:CreateRoom', Condition: CREATE, Effect: 'Allow', Resource: ROOM_WILDCARD },
          { Action: 'ivschat:UpdateRoom', Condition: OWNED, Effect: 'Allow', Resource: ROOM_WILDCARD },
          { Action: 'ivschat:TagResource', Condition: { ...OWNED, ...NOT_PROVIDER_TAGS }, Effect: 'Allow', Resource: ROOM_WILDCARD },
        ],
      },
    });
  });

  test('the provider has no lambda: action, "*" only for actions that take no resource, and no managed policy', () => {
    const stack = newStack();
    const handler = lambda.Function.fromFunctionArn(stack, 'Review', `arn:aws:lambda:${stack.region}:${stack.account}:function:x`);
    new Room(stack, 'Room', { messageReviewHandler: { handler } });
    const template = Template.fromStack(stack);
    const documents = Object.values(template.findResources('AWS::IAM::Policy')).map((p) => p.Properties.PolicyDocument);
    const json = JSON.stringify(documents);
    expect(json).not.toMatch(/"lambda:/);
    expect(json).not.toMatch(/"ivschat:\*"/);
    const starActions = documents.flatMap((d) => d.Statement).filter((st: { Resource: unknown }) => st.Resource === '*')
      .flatMap((st: { Action: string | string[] }) => [st.Action].flat()).sort();
    // The Service Authorization Reference lists no resource type for these: IAM takes only "*"
    expect(starActions).toEqual([
      'ivschat:ListLoggingConfigurations', 'ivschat:ListRooms', 'logs:DeleteLogDelivery', 'logs:GetLogDelivery', 'logs:ListLogDeliveries',
    ]);
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  test('the provider function runs nodejs24.x from the bundled provider asset, with no retries', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new Room(stack, 'Room');

    // THEN
    const template = Template.fromStack(stack);
    const assetDir = path.join(__dirname, '..', 'assets', 'handlers', 'provider', 'provider.lambda');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Code: { S3Bucket: Match.anyValue(), S3Key: `${FileSystem.fingerprint(assetDir)}.zip` },
      Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('CdkIvsChatProviderRole'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: providerFunctionLogicalId(stack) },
      MaximumRetryAttempts: 0,
    });
  });
});

describe('removal policy', () => {
  test('default: the room is deleted with the stack', () => {
    const stack = newStack();
    new Room(stack, 'Room');
    // CloudFormation deletes a resource without a DeletionPolicy: none is rendered, to keep rooms small.
    Template.fromStack(stack).hasResource('Custom::IvsChatRoom', { DeletionPolicy: Match.absent(), UpdateReplacePolicy: Match.absent() });
  });

  test('RETAIN keeps it', () => {
    const stack = newStack();
    new Room(stack, 'Room', { removalPolicy: RemovalPolicy.RETAIN });
    Template.fromStack(stack).hasResource('Custom::IvsChatRoom', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('a retained room with logging configurations the stack deletes', () => {
  const WARNING = 'cdk-ivs-chat:retainedRoomDestroyedLoggingConfiguration';
  const warningsOf = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(WARNING))
    .map((w) => ({ path: w.id, text: String(w.entry.data) }));
  const configuration = (stack: Stack, id: string, removalPolicy?: RemovalPolicy) =>
    new LoggingConfiguration(stack, id, { destination: LoggingDestination.s3(s3.Bucket.fromBucketName(stack, `${id}Bucket`, `bucket-${id.toLowerCase()}`)), removalPolicy });

  test('RETAIN room using a DESTROY configuration: one warning on the room naming both and the two ways out, no error', () => {
    // GIVEN
    const stack = newStack();
    const logs = configuration(stack, 'Logs');

    // WHEN
    new Room(stack, 'Lobby', { removalPolicy: RemovalPolicy.RETAIN, loggingConfigurations: [logs] });

    // THEN
    const warnings = warningsOf(stack);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].path).toBe('/TestStack/Lobby');
    expect(warnings[0].text).toContain('Room TestStack/Lobby is retained');
    expect(warnings[0].text).toContain('logging configuration(s) TestStack/Logs are deleted');
    expect(warnings[0].text).toContain('DELETE_FAILED');
    expect(warnings[0].text).toContain('retain the configuration(s) too (removalPolicy: RemovalPolicy.RETAIN)');
    expect(warnings[0].text).toContain('detach them first');
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
  });

  test('only the destroyed configurations are named, also when added later and with RETAIN_ON_UPDATE_OR_DELETE', () => {
    // GIVEN
    const stack = newStack();
    const room = new Room(stack, 'Lobby', { removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });

    // WHEN
    room.addLoggingConfiguration(configuration(stack, 'Kept', RemovalPolicy.RETAIN));
    room.addLoggingConfiguration(configuration(stack, 'Gone', RemovalPolicy.DESTROY));
    room.addLoggingConfiguration(LoggingConfiguration.fromLoggingConfigurationArn(stack, 'Imported', LOGGING_ARNS[0]));

    // THEN
    const warnings = warningsOf(stack);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].text).toContain('logging configuration(s) TestStack/Gone are deleted');
    expect(warnings[0].text).not.toMatch(/Kept|Imported/);
  });

  test.each([
    ['a DESTROY room with a DESTROY configuration', RemovalPolicy.DESTROY, RemovalPolicy.DESTROY],
    ['a RETAIN room with a RETAIN configuration', RemovalPolicy.RETAIN, RemovalPolicy.RETAIN],
    ['a DESTROY room with a RETAIN configuration', RemovalPolicy.DESTROY, RemovalPolicy.RETAIN],
  ])('no warning for %s', (_name, roomPolicy, configPolicy) => {
    const stack = newStack();
    new Room(stack, 'Lobby', { removalPolicy: roomPolicy, loggingConfigurations: [configuration(stack, 'Logs', configPolicy)] });
    expect(warningsOf(stack)).toEqual([]);
  });

  test('no warning for a RETAIN room whose only configuration is imported (the stack never deletes it)', () => {
    const stack = newStack();
    const imported = LoggingConfiguration.fromLoggingConfigurationArn(stack, 'Imported', LOGGING_ARNS[0]);
    new Room(stack, 'Lobby', { removalPolicy: RemovalPolicy.RETAIN, loggingConfigurations: [imported] });
    expect(warningsOf(stack)).toEqual([]);
  });
});

describe('imports', () => {
  test('fromRoomArn reads the id and the environment from the ARN', () => {
    // GIVEN
    const stack = newStack({ account: '123456789012', region: 'us-east-1' });

    // WHEN
    const imported = Room.fromRoomArn(stack, 'Imported', ROOM_ARN);

    // THEN
    expect(imported.roomArn).toBe(ROOM_ARN);
    expect(imported.roomId).toBe('AbCdEf123456');
    expect(imported.env.account).toBe('111111111111');
    expect(imported.env.region).toBe('eu-west-1');
  });

  test('fromRoomAttributes does the same', () => {
    const stack = newStack();
    const imported = Room.fromRoomAttributes(stack, 'Imported', { roomArn: 'arn:aws-cn:ivschat:cn-north-1:222222222222:room/Zz9Yy8Xx7Ww6' });
    expect(imported.roomId).toBe('Zz9Yy8Xx7Ww6');
    expect(imported.env).toEqual(expect.objectContaining({ account: '222222222222', region: 'cn-north-1' }));
  });

  test('a token ARN passes and its id is taken from it at deploy time', () => {
    const stack = newStack();
    const arn = new CfnParameter(stack, 'RoomArn').valueAsString;
    const imported = Room.fromRoomArn(stack, 'Imported', arn);
    expect(Token.isUnresolved(imported.roomId)).toBe(true);
    expect(JSON.stringify(stack.resolve(imported.roomId))).toContain('"Ref":"RoomArn"');
    expect(stack.resolve(imported.roomArn)).toEqual({ Ref: 'RoomArn' });
  });

  test.each([
    ['another service', 'arn:aws:ivs:eu-west-1:111111111111:channel/AbCdEf123456'],
    ['another ivschat resource type', 'arn:aws:ivschat:eu-west-1:111111111111:logging-configuration/AbCdEf123456'],
    ['no account', 'arn:aws:ivschat:eu-west-1::room/AbCdEf123456'],
    ['no region', 'arn:aws:ivschat::111111111111:room/AbCdEf123456'],
    ['no id', 'arn:aws:ivschat:eu-west-1:111111111111:room/'],
    ['a bare id', 'AbCdEf123456'],
    ['garbage', 'not an arn'],
  ])('%s is an error naming roomArn and the value', (_, arn) => {
    const stack = newStack();
    expect(() => Room.fromRoomArn(stack, 'Imported', arn)).toThrow('`roomArn` must be an IVS Chat room ARN');
    expect(() => Room.fromRoomAttributes(stack, 'Imported2', { roomArn: arn })).toThrow(`Received "${arn}"`);
  });
});

describe('validation', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['a name over 128 characters', { roomName: 'a'.repeat(129) }, '`roomName` must be at most 128 characters. Received 129 characters'],
    ['a name with a space', { roomName: 'my room' }, '`roomName` must match'],
    ['a name with a dot', { roomName: 'lobby.1' }, 'Received "lobby.1"'],
    ['a maximum message length of 0', { maximumMessageLength: 0 }, '`maximumMessageLength` must be an integer between 1 and 500. Received 0'],
    ['a maximum message length of 501', { maximumMessageLength: 501 }, '`maximumMessageLength` must be an integer between 1 and 500. Received 501'],
    ['a fractional maximum message length', { maximumMessageLength: 10.5 }, '`maximumMessageLength` must be an integer between 1 and 500. Received 10.5'],
    ['a message rate of 0', { maximumMessageRatePerSecond: 0 }, '`maximumMessageRatePerSecond` must be an integer between 1 and 100. Received 0'],
    ['a message rate of 101', { maximumMessageRatePerSecond: 101 }, '`maximumMessageRatePerSecond` must be an integer between 1 and 100. Received 101'],
    ['a negative message rate', { maximumMessageRatePerSecond: -1 }, 'Received -1'],
    ['a NaN message length', { maximumMessageLength: NaN }, 'Received NaN'],
  ])('%s is an error', (_, props, message) => {
    const stack = newStack();
    expect(() => new Room(stack, 'Room', props)).toThrow(message);
  });

  test.each<[string, Record<string, unknown>]>([
    ['a 128-character name', { roomName: 'a'.repeat(128) }],
    ['a name of letters, digits, - and _', { roomName: 'Lobby-01_eu' }],
    ['the smallest limits', { maximumMessageLength: 1, maximumMessageRatePerSecond: 1 }],
    ['the largest limits (rate 100: the API\'s range, not CloudFormation\'s 10)', { maximumMessageLength: 500, maximumMessageRatePerSecond: 100 }],
  ])('%s is allowed', (_, props) => {
    const stack = newStack();
    new Room(stack, 'Room', props);
    Template.fromStack(stack).hasResourceProperties('Custom::IvsChatRoom', {
      ...(props.roomName ? { Name: props.roomName } : {}),
      ...(props.maximumMessageRatePerSecond ? { MaximumMessageRatePerSecond: props.maximumMessageRatePerSecond } : {}),
    });
  });

  test('unresolved tokens pass and are rendered', () => {
    // GIVEN
    const stack = newStack();
    const length = new CfnParameter(stack, 'Length', { type: 'Number' });
    const name = new CfnParameter(stack, 'Name');

    // WHEN
    new Room(stack, 'Room', {
      roomName: name.valueAsString,
      maximumMessageLength: Token.asNumber(length.valueAsNumber),
      maximumMessageRatePerSecond: Lazy.number({ produce: () => 1000 }),
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties('Custom::IvsChatRoom', {
      Name: { Ref: 'Name' },
      MaximumMessageLength: { Ref: 'Length' },
      MaximumMessageRatePerSecond: 1000,
    });
  });
});

describe('logging configurations', () => {
  test('up to 3 are rendered in order', () => {
    const stack = newStack();
    const configs = LOGGING_ARNS.slice(0, 3).map((arn, i) => LoggingConfiguration.fromLoggingConfigurationArn(stack, `L${i}`, arn));
    new Room(stack, 'Room', { loggingConfigurations: configs });
    Template.fromStack(stack).hasResourceProperties('Custom::IvsChatRoom', {
      LoggingConfigurationIdentifiers: LOGGING_ARNS.slice(0, 3),
    });
  });

  test('none renders no LoggingConfigurationIdentifiers', () => {
    const stack = newStack();
    new Room(stack, 'Room', { loggingConfigurations: [] });
    Template.fromStack(stack).hasResourceProperties('Custom::IvsChatRoom', { LoggingConfigurationIdentifiers: Match.absent() });
  });

  test('a fourth is an error, in props or added later', () => {
    const stack = newStack();
    const configs = LOGGING_ARNS.map((arn, i) => LoggingConfiguration.fromLoggingConfigurationArn(stack, `L${i}`, arn));
    expect(() => new Room(stack, 'Room', { loggingConfigurations: configs }))
      .toThrow('`loggingConfigurations` may hold at most 3 configurations per room (the IVS Chat API\'s limit). Received 4');

    const room = new Room(stack, 'Room2', { loggingConfigurations: configs.slice(0, 3) });
    expect(() => room.addLoggingConfiguration(configs[3])).toThrow('at most 3 configurations');
  });

  test('the same configuration twice is an error', () => {
    const stack = newStack();
    const config = LoggingConfiguration.fromLoggingConfigurationArn(stack, 'L', LOGGING_ARNS[0]);
    expect(() => new Room(stack, 'Room', { loggingConfigurations: [config, config] })).toThrow(/`loggingConfigurations` must not repeat a configuration/);
  });

  test('two imports of the same ARN are an error', () => {
    const stack = newStack();
    const a = LoggingConfiguration.fromLoggingConfigurationArn(stack, 'A', LOGGING_ARNS[0]);
    const b = LoggingConfiguration.fromLoggingConfigurationArn(stack, 'B', LOGGING_ARNS[0]);
    const room = new Room(stack, 'Room', { loggingConfigurations: [a] });
    expect(() => room.addLoggingConfiguration(b)).toThrow(/`loggingConfigurations` must not repeat a configuration/);
  });

  test('the room depends on its logging configurations, also ones added later', () => {
    // GIVEN
    const stack = newStack();
    const first = new StubLoggingConfiguration(stack, 'First');
    const second = new StubLoggingConfiguration(stack, 'Second');

    // WHEN
    const room = new Room(stack, 'Room', { loggingConfigurations: [first] });
    room.addLoggingConfiguration(second);

    // THEN
    const template = Template.fromStack(stack);
    const logicalId = (c: Construct) => stack.getLogicalId(c.node.defaultChild as CfnResource);
    template.hasResource('Custom::IvsChatRoom', {
      DependsOn: Match.arrayWith([logicalId(first), logicalId(second)]),
      Properties: {
        LoggingConfigurationIdentifiers: [
          { 'Fn::GetAtt': [logicalId(first), 'Arn'] },
          { 'Fn::GetAtt': [logicalId(second), 'Arn'] },
        ],
      },
    });
  });

  test('the room depends on a LoggingConfiguration made in the stack', () => {
    const stack = newStack();
    const config = new LoggingConfiguration(stack, 'Logs', { destination: LoggingDestination.s3(new s3.Bucket(stack, 'Bucket')) });
    new Room(stack, 'Room', { loggingConfigurations: [config] });
    const configId = stack.getLogicalId(config.node.defaultChild as CfnResource);
    Template.fromStack(stack).hasResource('Custom::IvsChatRoom', {
      DependsOn: Match.arrayWith([configId]),
      Properties: { LoggingConfigurationIdentifiers: [{ 'Fn::GetAtt': [configId, 'Arn'] }] },
    });
  });

  test('a configuration in another region or account is an error', () => {
    const stack = newStack({ account: '123456789012', region: 'us-east-1' });
    const otherRegion = LoggingConfiguration.fromLoggingConfigurationArn(stack, 'L1',
      'arn:aws:ivschat:eu-west-1:123456789012:logging-configuration/LogLogLog001');
    const otherAccount = LoggingConfiguration.fromLoggingConfigurationArn(stack, 'L2',
      'arn:aws:ivschat:us-east-1:999999999999:logging-configuration/LogLogLog001');
    const room = new Room(stack, 'Room');
    expect(() => room.addLoggingConfiguration(otherRegion)).toThrow(/must be in the room's region \(us-east-1\). Received .*L1 in region eu-west-1/);
    expect(() => room.addLoggingConfiguration(otherAccount)).toThrow(/must be in the room's account \(123456789012\)/);
  });
});
