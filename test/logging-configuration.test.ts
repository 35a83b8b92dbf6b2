import { App, CfnElement, Duration, Lazy, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { LoggingConfiguration, LoggingDestination, Room } from '../src';
import { CLAIM, CREATE, NOT_PROVIDER_TAGS, OWNED, STACK_ID } from './provider-conditions';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const CONFIG_ARN = `arn:aws:ivschat:${REGION}:${ACCOUNT}:logging-configuration/LogCfg123456`;

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region: REGION } });
}

function logicalId(stack: Stack, construct: IConstruct): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

/** The statements of the provider role's policy (every IVS Chat custom resource shares it). */
function providerStatements(template: Template): Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }> {
  const policies = Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith('CdkIvsChatProviderRoleDefaultPolicy'));
  expect(policies).toHaveLength(1);
  return policies[0][1].Properties.PolicyDocument.Statement;
}

function actionsOf(statement: { Action: string | string[] }): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

function allActions(template: Template): string[] {
  return providerStatements(template).flatMap(actionsOf);
}

function statementsWith(template: Template, action: string) {
  return providerStatements(template).filter((s) => actionsOf(s).includes(action));
}

function newStream(stack: Stack, id = 'Stream'): firehose.DeliveryStream {
  return new firehose.DeliveryStream(stack, id, { destination: new firehose.S3Bucket(new s3.Bucket(stack, `${id}Bucket`)) });
}

describe('destinations', () => {
  test('S3: renders the bucket name and depends on the bucket', () => {
    // GIVEN
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket');

    // WHEN
    new LoggingConfiguration(stack, 'Logging', { destination: LoggingDestination.s3(bucket), loggingConfigurationName: 'chat-logs' });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResource('Custom::IvsChatLoggingConfiguration', {
      Properties: {
        ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdkIvsChatProviderHandler'), 'Arn'] },
        ServiceTimeout: '660',
        Name: 'chat-logs',
        DestinationConfiguration: { S3: { BucketName: { Ref: logicalId(stack, bucket) } } },
        Tags: Match.absent(),
      },
      DependsOn: Match.arrayWith([logicalId(stack, bucket)]),
      DeletionPolicy: Match.absent(),
    });
  });

  test('S3: a bucket of this app gets log delivery\'s statements in its managed policy, scoped to this account', () => {
    // GIVEN
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket', { enforceSSL: true });

    // WHEN
    new LoggingConfiguration(stack, 'Logging', { destination: LoggingDestination.s3(bucket) });

    // THEN
    const template = Template.fromStack(stack);
    const bucketArn = { 'Fn::GetAtt': [logicalId(stack, bucket), 'Arn'] };
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AWSLogDeliveryWrite',
            Effect: 'Allow',
            Principal: { Service: 'delivery.logs.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: { 'Fn::Join': ['', [bucketArn, `/AWSLogs/${ACCOUNT}/*`]] },
            Condition: {
              StringEquals: { 'aws:SourceAccount': ACCOUNT, 's3:x-amz-acl': 'bucket-owner-full-control' },
              ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:${REGION}:${ACCOUNT}:*`]] } },
            },
          }),
          Match.objectLike({
            Sid: 'AWSLogDeliveryAclCheck',
            Principal: { Service: 'delivery.logs.amazonaws.com' },
            Action: 's3:GetBucketAcl',
            Resource: bucketArn,
            Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
          }),
        ]),
      },
    });
  });

  test('S3: an imported bucket gets no bucket policy from this stack', () => {
    // GIVEN
    const stack = newStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'imported-chat-logs');

    // WHEN
    new LoggingConfiguration(stack, 'Logging', { destination: LoggingDestination.s3(bucket) });

    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::S3::BucketPolicy', 0);
  });

  test('CloudWatch Logs: renders the log group name and depends on the log group', () => {
    // GIVEN
    const stack = newStack();
    const logGroup = new logs.LogGroup(stack, 'LogGroup');

    // WHEN
    new LoggingConfiguration(stack, 'Logging', { destination: LoggingDestination.cloudWatchLogs(logGroup) });

    // THEN
    Template.fromStack(stack).hasResource('Custom::IvsChatLoggingConfiguration', {
      Properties: {
        Name: Match.absent(),
        DestinationConfiguration: { CloudWatchLogs: { LogGroupName: { Ref: logicalId(stack, logGroup) } } },
      },
      DependsOn: Match.arrayWith([logicalId(stack, logGroup)]),
    });
  });

  test('Firehose: renders the delivery stream name and depends on the stream', () => {
    // GIVEN
    const stack = newStack();
    const stream = newStream(stack);

    // WHEN
    new LoggingConfiguration(stack, 'Logging', { destination: LoggingDestination.firehose(stream) });

    // THEN
    Template.fromStack(stack).hasResource('Custom::IvsChatLoggingConfiguration', {
      Properties: { DestinationConfiguration: { Firehose: { DeliveryStreamName: { Ref: logicalId(stack, stream) } } } },
      DependsOn: Match.arrayWith([logicalId(stack, stream)]),
    });
  });

  test('imported bucket, log group and delivery stream render their names', () => {
    // GIVEN
    const stack = newStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'my-chat-logs');
    const logGroup = logs.LogGroup.fromLogGroupName(stack, 'LogGroup', '/ivs/chat');
    const stream = firehose.DeliveryStream.fromDeliveryStreamArn(stack, 'Stream',
      `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/chat-stream`);

    // WHEN
    new LoggingConfiguration(stack, 'S3', { destination: LoggingDestination.s3(bucket) });
    new LoggingConfiguration(stack, 'Logs', { destination: LoggingDestination.cloudWatchLogs(logGroup) });
    new LoggingConfiguration(stack, 'Firehose', { destination: LoggingDestination.firehose(stream) });

    // THEN
    const template = Template.fromStack(stack);
    for (const destination of [
      { S3: { BucketName: 'my-chat-logs' } },
      { CloudWatchLogs: { LogGroupName: '/ivs/chat' } },
      { Firehose: { DeliveryStreamName: 'chat-stream' } },
    ]) {
      template.hasResourceProperties('Custom::IvsChatLoggingConfiguration', { DestinationConfiguration: destination });
    }
    expect(statementsWith(template, 's3:PutBucketPolicy')[0].Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::my-chat-logs']],
    });
    expect(statementsWith(template, 'firehose:TagDeliveryStream')[0].Resource)
      .toEqual(`arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/chat-stream`);
  });

  test.each([
    ['a bucket name with capitals', () => LoggingDestination.s3(s3.Bucket.fromBucketName(newStack(), 'B', 'Chat_Logs')),
      '`bucketName` of a logging destination must match ^[a-z0-9-.]+$. Received "Chat_Logs"'],
    ['a 513-character log group name', () => LoggingDestination.cloudWatchLogs(logs.LogGroup.fromLogGroupName(newStack(), 'L', 'x'.repeat(513))),
      '`logGroupName` of a logging destination must be 1-512 characters. Received 513 characters'],
    ['a log group name with a space', () => LoggingDestination.cloudWatchLogs(logs.LogGroup.fromLogGroupName(newStack(), 'L', 'ivs chat')),
      '`logGroupName` of a logging destination must match'],
    ['a 65-character stream name', () => LoggingDestination.firehose(
      firehose.DeliveryStream.fromDeliveryStreamName(newStack(), 'S', 'x'.repeat(65))),
    '`deliveryStreamName` of a logging destination must be 1-64 characters. Received 65'],
    ['a stream name with a slash', () => LoggingDestination.firehose(
      firehose.DeliveryStream.fromDeliveryStreamName(newStack(), 'S', 'chat/stream')),
    '`deliveryStreamName` of a logging destination must match ^[a-zA-Z0-9_.-]+$'],
  ])('rejects %s', (_, make, message) => {
    expect(make).toThrow(message);
  });

  test('names that are tokens pass', () => {
    // GIVEN
    const stack = newStack();
    const name = Lazy.string({ produce: () => 'Not_Valid_But_Unknown' });

    // WHEN / THEN
    expect(() => LoggingDestination.s3(s3.Bucket.fromBucketName(stack, 'B', name))).not.toThrow();
    expect(() => LoggingDestination.cloudWatchLogs(logs.LogGroup.fromLogGroupName(stack, 'L', name))).not.toThrow();
  });

  test('a log group in another region is rejected: the API looks names up in its own region', () => {
    // GIVEN
    const stack = newStack();
    const logGroup = logs.LogGroup.fromLogGroupArn(stack, 'LogGroup', `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/ivs/chat:*`);

    // WHEN / THEN
    expect(() => new LoggingConfiguration(stack, 'Logging', { destination: LoggingDestination.cloudWatchLogs(logGroup) }))
      .toThrow("A logging configuration's log group must be in its region (us-east-1). Received Stack/LogGroup in region eu-west-1");
  });

  test('a delivery stream in another account is rejected', () => {
    // GIVEN
    const stack = newStack();
    const stream = firehose.DeliveryStream.fromDeliveryStreamArn(stack, 'Stream',
      `arn:aws:firehose:${REGION}:210987654321:deliverystream/chat-stream`);

    // WHEN / THEN
    expect(() => new LoggingConfiguration(stack, 'Logging', { destination: LoggingDestination.firehose(stream) }))
      .toThrow("A logging configuration's delivery stream must be in its account (123456789012)");
  });
});

describe('import', () => {
  test('fromLoggingConfigurationArn reads the id and the environment from the ARN', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const imported = LoggingConfiguration.fromLoggingConfigurationArn(stack, 'Imported',
      'arn:aws:ivschat:eu-west-1:210987654321:logging-configuration/LogCfg123456');

    // THEN
    expect(imported.loggingConfigurationId).toBe('LogCfg123456');
    expect(imported.env).toEqual({ account: '210987654321', region: 'eu-west-1' });
  });

  test.each([
    ['a room ARN', `arn:aws:ivschat:${REGION}:${ACCOUNT}:room/AbCdEf123456`],
    ['another service', `arn:aws:ivs:${REGION}:${ACCOUNT}:logging-configuration/LogCfg123456`],
    ['a bare id', 'LogCfg123456'],
  ])('rejects %s', (_, arn) => {
    expect(() => LoggingConfiguration.fromLoggingConfigurationArn(newStack(), 'Imported', arn))
      .toThrow('`loggingConfigurationArn` must be an IVS Chat logging-configuration ARN, ' +
        `arn:<partition>:ivschat:<region>:<account>:logging-configuration/<id>. Received "${arn}"`);
  });

  test('a token ARN passes and its id is taken apart at deploy time', () => {
    // GIVEN
    const stack = newStack();
    const arn = Lazy.string({ produce: () => CONFIG_ARN });

    // WHEN
    const imported = LoggingConfiguration.fromLoggingConfigurationArn(stack, 'Imported', arn);

    // THEN
    expect(stack.resolve(imported.loggingConfigurationId)).toEqual({
      'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::Select': [5, { 'Fn::Split': [':', CONFIG_ARN] }] }] }],
    });
  });
});

describe('properties', () => {
  test.each([
    ['too long', 'x'.repeat(129), '`loggingConfigurationName` must be at most 128 characters. Received 129 characters'],
    ['with a space', 'chat logs', '`loggingConfigurationName` must match ^[a-zA-Z0-9-_]*$'],
  ])('rejects a name %s', (_, name, message) => {
    // GIVEN
    const stack = newStack();

    // WHEN / THEN
    expect(() => new LoggingConfiguration(stack, 'Logging', {
      destination: LoggingDestination.s3(new s3.Bucket(stack, 'Bucket')), loggingConfigurationName: name,
    })).toThrow(message);
  });

  test('tags from Tags.of(stack) are rendered as a map', () => {
    // GIVEN
    const stack = newStack();
    new LoggingConfiguration(stack, 'Logging', { destination: LoggingDestination.s3(new s3.Bucket(stack, 'Bucket')) });

    // WHEN
    Tags.of(stack).add('team', 'chat');

    // THEN
    Template.fromStack(stack).hasResourceProperties('Custom::IvsChatLoggingConfiguration', { Tags: { team: 'chat' } });
  });

  test('more than 48 tags fail synthesis (the provider adds the 49th and 50th, its marker and ownership tags)', () => {
    // GIVEN
    const stack = newStack();
    const config = new LoggingConfiguration(stack, 'Logging', { destination: LoggingDestination.s3(new s3.Bucket(stack, 'Bucket')) });

    // WHEN
    for (let i = 0; i < 49; i++) Tags.of(config).add(`k${i}`, 'v');

    // THEN
    expect(() => Template.fromStack(stack)).toThrow('`tags`: a logging configuration takes at most 48 tags (the API\'s 50, less the two the ' +
      'provider adds: cdk-ivs-chat:cfn-request, so a rollback can find what a create made, and cdk-ivs-chat:stack, naming the stack that owns it). ' +
      'Received 49');
  });

  test('removalPolicy RETAIN keeps the configuration', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new LoggingConfiguration(stack, 'Logging', {
      destination: LoggingDestination.s3(new s3.Bucket(stack, 'Bucket')), removalPolicy: RemovalPolicy.RETAIN,
    });

    // THEN
    Template.fromStack(stack).hasResource('Custom::IvsChatLoggingConfiguration', {
      DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain',
    });
  });
});

describe('rooms', () => {
  test('a room with loggingConfigurations renders their ARNs and depends on them', () => {
    // GIVEN
    const stack = newStack();
    const config = new LoggingConfiguration(stack, 'Logging', { destination: LoggingDestination.s3(new s3.Bucket(stack, 'Bucket')) });
    const imported = LoggingConfiguration.fromLoggingConfigurationArn(stack, 'Imported', CONFIG_ARN);

    // WHEN
    new Room(stack, 'Room', { loggingConfigurations: [config, imported] });

    // THEN
    const configId = logicalId(stack, config);
    Template.fromStack(stack).hasResource('Custom::IvsChatRoom', {
      Properties: { LoggingConfigurationIdentifiers: [{ 'Fn::GetAtt': [configId, 'Arn'] }, CONFIG_ARN] },
      DependsOn: Match.arrayWith([configId]),
    });
  });

  test('addLoggingConfiguration attaches a configuration after construction', () => {
    // GIVEN
    const stack = newStack();
    const config = new LoggingConfiguration(stack, 'Logging', {
      destination: LoggingDestination.cloudWatchLogs(new logs.LogGroup(stack, 'LogGroup')),
    });
    const room = new Room(stack, 'Room');

    // WHEN
    room.addLoggingConfiguration(config);

    // THEN
    Template.fromStack(stack).hasResource('Custom::IvsChatRoom', {
      Properties: { LoggingConfigurationIdentifiers: [{ 'Fn::GetAtt': [logicalId(stack, config), 'Arn'] }] },
      DependsOn: Match.arrayWith([logicalId(stack, config)]),
    });
  });

  test('a fourth configuration on one room is an error', () => {
    // GIVEN
    const stack = newStack();
    const configs = [1, 2, 3, 4].map((i) => LoggingConfiguration.fromLoggingConfigurationArn(stack, `C${i}`,
      `arn:aws:ivschat:${REGION}:${ACCOUNT}:logging-configuration/LogCfg00000${i}`));

    // WHEN / THEN
    expect(() => new Room(stack, 'Room', { loggingConfigurations: configs }))
      .toThrow('`loggingConfigurations` may hold at most 3 configurations per room');
  });

  test('the same configuration twice is an error, also when imported twice by ARN', () => {
    // GIVEN
    const stack = newStack();
    const config = new LoggingConfiguration(stack, 'Logging', { destination: LoggingDestination.s3(new s3.Bucket(stack, 'Bucket')) });
    const room = new Room(stack, 'Room', { loggingConfigurations: [config] });
    const first = LoggingConfiguration.fromLoggingConfigurationArn(stack, 'First', CONFIG_ARN);
    const second = LoggingConfiguration.fromLoggingConfigurationArn(stack, 'Second', CONFIG_ARN);
    room.addLoggingConfiguration(first);

    // WHEN / THEN
    expect(() => room.addLoggingConfiguration(config)).toThrow('[Stack/Room] `loggingConfigurations` must not repeat a configuration. Received Stack/Logging twice');
    expect(() => room.addLoggingConfiguration(second)).toThrow('must not repeat a configuration. Received Stack/Second twice');
  });
});

describe('provider permissions', () => {
  const wildcard = (resourceType: string) => ({
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ivschat:${REGION}:${ACCOUNT}:${resourceType}/*`]],
  });
  const ivschatStatements = [
    {
      Action: 'ivschat:CreateLoggingConfiguration',
      Condition: CREATE,
      Effect: 'Allow',
      Resource: wildcard('logging-configuration'),
    },
    { Action: 'ivschat:UpdateLoggingConfiguration', Condition: OWNED, Effect: 'Allow', Resource: wildcard('logging-configuration') },
    { Action: 'ivschat:TagResource', Condition: { ...OWNED, ...NOT_PROVIDER_TAGS }, Effect: 'Allow', Resource: wildcard('logging-configuration') },
  ];
  const logDeliveryStatement = {
    Action: ['logs:CreateLogDelivery', 'logs:UpdateLogDelivery'],
    Effect: 'Allow',
    Resource: '*',
  };
  /** What any Delete needs: held whenever the provider exists (see provider.ts). */
  const deleteSideStatements = [
    { Action: 'ivschat:DeleteRoom', Condition: OWNED, Effect: 'Allow', Resource: wildcard('room') },
    { Action: 'ivschat:UntagResource', Condition: { ...OWNED, ...NOT_PROVIDER_TAGS }, Effect: 'Allow', Resource: wildcard('room') },
    { Action: 'ivschat:TagResource', Condition: CLAIM, Effect: 'Allow', Resource: wildcard('room') },
    {
      Action: ['ivschat:DeleteLoggingConfiguration', 'ivschat:GetLoggingConfiguration'],
      Condition: OWNED,
      Effect: 'Allow',
      Resource: wildcard('logging-configuration'),
    },
    { Action: 'ivschat:UntagResource', Condition: { ...OWNED, ...NOT_PROVIDER_TAGS }, Effect: 'Allow', Resource: wildcard('logging-configuration') },
    { Action: 'ivschat:TagResource', Condition: CLAIM, Effect: 'Allow', Resource: wildcard('logging-configuration') },
    { Action: 'cloudformation:DescribeStackResource', Effect: 'Allow', Resource: STACK_ID },
    {
      Action: ['ivschat:ListRooms', 'ivschat:ListLoggingConfigurations'],
      Condition: { StringEquals: { 'aws:RequestedRegion': REGION } },
      Effect: 'Allow',
      Resource: '*',
    },
    { Action: ['logs:DeleteLogDelivery', 'logs:GetLogDelivery', 'logs:ListLogDeliveries'], Effect: 'Allow', Resource: '*' },
  ];
  const cloudWatchLogsStatement = {
    Action: ['logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups'],
    Effect: 'Allow',
    Resource: '*',
  };
  const serviceLinkedRoleStatement = {
    Action: 'iam:CreateServiceLinkedRole',
    Condition: { StringEquals: { 'iam:AWSServiceName': 'delivery.logs.amazonaws.com' } },
    Effect: 'Allow',
    Resource: {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' },
        `:iam::${ACCOUNT}:role/aws-service-role/delivery.logs.amazonaws.com/AWSServiceRoleForLogDelivery`]],
    },
  };
  const destinationActions = [
    's3:', 'firehose:', 'iam:CreateServiceLinkedRole', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups',
  ];
  const destinationActionsIn = (template: Template) =>
    allActions(template).filter((a) => destinationActions.some((prefix) => a.startsWith(prefix)));

  test('S3: the common statements plus bucket policy access on that bucket only', () => {
    // GIVEN
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket');

    // WHEN
    new LoggingConfiguration(stack, 'Logging', { destination: LoggingDestination.s3(bucket) });

    // THEN
    const template = Template.fromStack(stack);
    expect(providerStatements(template)).toEqual(expect.arrayContaining([
      ...ivschatStatements, logDeliveryStatement, ...deleteSideStatements,
      { Action: ['s3:GetBucketPolicy', 's3:PutBucketPolicy'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalId(stack, bucket), 'Arn'] } },
    ]));
    expect(destinationActionsIn(template)).toEqual(['s3:GetBucketPolicy', 's3:PutBucketPolicy']);
  });

  test('CloudWatch Logs: resource policy and log group listing, which take only *', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new LoggingConfiguration(stack, 'Logging', { destination: LoggingDestination.cloudWatchLogs(new logs.LogGroup(stack, 'LogGroup')) });

    // THEN
    const template = Template.fromStack(stack);
    expect(providerStatements(template)).toEqual(expect.arrayContaining([...ivschatStatements, logDeliveryStatement, cloudWatchLogsStatement]));
    expect(destinationActionsIn(template)).toEqual(cloudWatchLogsStatement.Action);
  });

  test('Firehose: tagging that stream and the log-delivery service-linked role', () => {
    // GIVEN
    const stack = newStack();
    const stream = newStream(stack);

    // WHEN
    new LoggingConfiguration(stack, 'Logging', { destination: LoggingDestination.firehose(stream) });

    // THEN
    const template = Template.fromStack(stack);
    expect(providerStatements(template)).toEqual(expect.arrayContaining([
      ...ivschatStatements, logDeliveryStatement, serviceLinkedRoleStatement,
      { Action: 'firehose:TagDeliveryStream', Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalId(stack, stream), 'Arn'] } },
    ]));
    expect(destinationActionsIn(template)).toEqual(['firehose:TagDeliveryStream', 'iam:CreateServiceLinkedRole']);
  });

  test('a stack with only rooms grants what a configuration\'s Delete needs, and nothing to create one', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new Room(stack, 'Room');

    // THEN
    const template = Template.fromStack(stack);
    expect(providerStatements(template)).toEqual(expect.arrayContaining(deleteSideStatements));
    const actions = allActions(template);
    expect(actions.filter((a) => /^logs:(Create|Update)LogDelivery$/.test(a))).toEqual([]);
    expect(actions.filter((a) => /^(s3|firehose|iam):/.test(a) || /(Create|Update)LoggingConfiguration/.test(a))).toEqual([]);
  });

  test('two configurations add each statement once', () => {
    // GIVEN
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    const stream = newStream(stack);

    // WHEN
    new LoggingConfiguration(stack, 'A', { destination: LoggingDestination.s3(bucket) });
    new LoggingConfiguration(stack, 'B', { destination: LoggingDestination.s3(bucket) });
    new LoggingConfiguration(stack, 'C', { destination: LoggingDestination.firehose(stream) });
    new LoggingConfiguration(stack, 'D', { destination: LoggingDestination.firehose(stream) });

    // THEN
    const template = Template.fromStack(stack);
    for (const action of ['ivschat:CreateLoggingConfiguration', 'logs:CreateLogDelivery', 'ivschat:ListRooms',
      's3:PutBucketPolicy', 'firehose:TagDeliveryStream', 'iam:CreateServiceLinkedRole']) {
      expect(statementsWith(template, action)).toHaveLength(1);
    }
  });

  test('each bucket gets its own bucket policy statement', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new LoggingConfiguration(stack, 'A', { destination: LoggingDestination.s3(new s3.Bucket(stack, 'BucketA')) });
    new LoggingConfiguration(stack, 'B', { destination: LoggingDestination.s3(new s3.Bucket(stack, 'BucketB')) });

    // THEN
    const resources = statementsWith(Template.fromStack(stack), 's3:PutBucketPolicy').map((s) => s.Resource);
    expect(resources).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^BucketA/), 'Arn'] },
      { 'Fn::GetAtt': [expect.stringMatching(/^BucketB/), 'Arn'] },
    ]);
  });

  test('the provider function depends on the role policy, so the grants exist before any handler runs', () => {
    // GIVEN
    const stack = newStack();
    new LoggingConfiguration(stack, 'Logging', { destination: LoggingDestination.s3(new s3.Bucket(stack, 'Bucket')) });

    // WHEN
    const template = Template.fromStack(stack);

    // THEN
    const policyId = Object.keys(template.findResources('AWS::IAM::Policy')).find((id) => id.startsWith('CdkIvsChatProviderRoleDefaultPolicy'))!;
    template.hasResource('AWS::Lambda::Function', {
      Properties: { Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdkIvsChatProviderRole'), 'Arn'] } },
      DependsOn: Match.arrayWith([policyId]),
    });
  });
});

describe('metrics', () => {
  test.each([
    ['metricLogDestinationErrors', 'LogDestinationErrors'],
    ['metricLogDestinationAccessDeniedErrors', 'LogDestinationAccessDeniedError'],
    ['metricLogDestinationResourceNotFoundErrors', 'LogDestinationResourceNotFoundErrors'],
  ] as const)('%s: %s summed over 5 minutes for this configuration', (method, metricName) => {
    // GIVEN
    const stack = newStack();
    const config = new LoggingConfiguration(stack, 'Logging', { destination: LoggingDestination.s3(new s3.Bucket(stack, 'Bucket')) });

    // WHEN
    const metric = config[method]();

    // THEN
    expect(metric.namespace).toBe('AWS/IVSChat');
    expect(metric.metricName).toBe(metricName);
    expect(metric.statistic).toBe('Sum');
    expect(metric.period.toSeconds()).toBe(300);
    expect(stack.resolve(metric.dimensions)).toEqual({ LoggingConfiguration: { 'Fn::GetAtt': [logicalId(stack, config), 'Arn'] } });
  });

  test('options override the defaults', () => {
    // GIVEN
    const stack = newStack();
    const config = new LoggingConfiguration(stack, 'Logging', { destination: LoggingDestination.s3(new s3.Bucket(stack, 'Bucket')) });

    // WHEN
    const metric = config.metricLogDestinationErrors({ statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(1) });

    // THEN
    expect(metric.statistic).toBe('Maximum');
    expect(metric.period.toMinutes()).toBe(1);
    expect(metric.metricName).toBe('LogDestinationErrors');
  });
});

describe('destinations only describe what they need', () => {
  test.each([
    ['S3', (stack: Stack) => LoggingDestination.s3(new s3.Bucket(stack, 'Bucket')), 1, 2],
    ['CloudWatchLogs', (stack: Stack) => LoggingDestination.cloudWatchLogs(new logs.LogGroup(stack, 'LogGroup')), 1, 0],
    ['Firehose', (stack: Stack) => LoggingDestination.firehose(newStream(stack)), 2, 0],
  ] as const)('binding a %s destination changes nothing in the stack: no provider, no bucket policy', (_, destination, providerStatementCount, policyStatementCount) => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const binding = destination(stack)._bind(stack);

    // THEN it describes the statements, and the configuration is the one to apply them
    expect(binding.providerStatements).toHaveLength(providerStatementCount);
    expect(binding.resourcePolicy?.statements ?? []).toHaveLength(policyStatementCount);
    expect(stack.node.tryFindChild('CdkIvsChatProvider')).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::S3::BucketPolicy', 0);
  });
});
