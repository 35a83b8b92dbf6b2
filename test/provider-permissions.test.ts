/**
 * Permissions outlive cleanup: CloudFormation applies an update's new provider policy in the main phase and deletes
 * removed resources afterwards, so what any Delete needs must not leave with the last room or configuration.
 * Each test synthesizes two versions of a stack (before and after a change) and compares the provider's policy.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LoggingConfiguration, LoggingDestination, Room } from '../src';

interface Version {
  readonly rooms: boolean;
  readonly loggingConfigurations: boolean;
}

/** The stack as one deployment would have it. */
function synth(version: Version, context: Record<string, unknown> = {}): Template {
  const app = new App({ context });
  const stack = new Stack(app, 'Chat');
  const configs = version.loggingConfigurations ? [
    new LoggingConfiguration(stack, 'ToS3', { destination: LoggingDestination.s3(new s3.Bucket(stack, 'Bucket')) }),
    new LoggingConfiguration(stack, 'ToLogs', { destination: LoggingDestination.cloudWatchLogs(new logs.LogGroup(stack, 'Logs')) }),
  ] : [];
  if (version.rooms) {
    new Room(stack, 'Lobby', { loggingConfigurations: configs });
    new Room(stack, 'Support');
  }
  return Template.fromStack(stack);
}

/** Every (action, resource, condition) the provider's role is allowed, one string each, however statements are merged. */
function providerPermissions(template: Template): Set<string> {
  const policies = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes('CdkIvsChatProviderRole'));
  expect(policies).toHaveLength(1);
  const permissions = new Set<string>();
  for (const st of policies[0].Properties.PolicyDocument.Statement) {
    expect(st.Effect).toBe('Allow');
    for (const action of [st.Action].flat()) {
      for (const resource of [st.Resource].flat()) {
        permissions.add(`${action} on ${JSON.stringify(resource)}${st.Condition ? ` if ${JSON.stringify(st.Condition)}` : ''}`);
      }
    }
  }
  return permissions;
}

const arnPattern = (resourceType: string) => JSON.stringify({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ivschat:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resourceType}/*`]],
});
const IN_REGION = ` if ${JSON.stringify({ StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' } } })}`;

const STACK_ID = { Ref: 'AWS::StackId' };
const OWNED = { StringEquals: { 'aws:ResourceTag/cdk-ivs-chat:stack': STACK_ID } };
const IF_OWNED = ` if ${JSON.stringify(OWNED)}`;
const IF_OWNED_NOT_PROVIDER_TAGS = ` if ${JSON.stringify({
  ...OWNED, 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['cdk-ivs-chat:cfn-request', 'cdk-ivs-chat:stack'] },
})}`;
const IF_CLAIM = ` if ${JSON.stringify({
  StringEquals: { 'aws:RequestTag/cdk-ivs-chat:stack': STACK_ID },
  StringEqualsIfExists: { 'aws:ResourceTag/cdk-ivs-chat:stack': STACK_ID },
})}`;

/**
 * What a Delete of a room or a logging configuration can call (handlers' room.ts and logging-configuration.ts), on
 * this stack's resources only; the ownership claim of a resource an older provider made; what CloudFormation recorded.
 */
const DELETE_SIDE = [
  `ivschat:DeleteRoom on ${arnPattern('room')}${IF_OWNED}`,
  `ivschat:UntagResource on ${arnPattern('room')}${IF_OWNED_NOT_PROVIDER_TAGS}`,
  `ivschat:TagResource on ${arnPattern('room')}${IF_CLAIM}`,
  `ivschat:DeleteLoggingConfiguration on ${arnPattern('logging-configuration')}${IF_OWNED}`,
  `ivschat:GetLoggingConfiguration on ${arnPattern('logging-configuration')}${IF_OWNED}`,
  `ivschat:UntagResource on ${arnPattern('logging-configuration')}${IF_OWNED_NOT_PROVIDER_TAGS}`,
  `ivschat:TagResource on ${arnPattern('logging-configuration')}${IF_CLAIM}`,
  `cloudformation:DescribeStackResource on ${JSON.stringify(STACK_ID)}`,
  `ivschat:ListRooms on "*"${IN_REGION}`,
  `ivschat:ListLoggingConfigurations on "*"${IN_REGION}`,
  'logs:DeleteLogDelivery on "*"',
  'logs:GetLogDelivery on "*"',
  'logs:ListLogDeliveries on "*"',
];
/** Create-side actions: they may leave with the last resource of their kind. */
const CREATE_SIDE = /^(ivschat:(Create|Update)\w+|ivschat:TagResource|logs:(Create|Update)LogDelivery) /;

const BOTH = { rooms: true, loggingConfigurations: true };
const changes: Array<[string, Version, Version]> = [
  ['removing the last logging configuration (rooms stay)', BOTH, { rooms: true, loggingConfigurations: false }],
  ['removing the last room (configurations stay)', BOTH, { rooms: false, loggingConfigurations: true }],
];
const flags: Array<[string, Record<string, unknown>]> = [
  ['default flags', {}],
  ['@aws-cdk/aws-iam:minimizePolicies', { '@aws-cdk/aws-iam:minimizePolicies': true }],
];

describe.each(flags)('with %s', (_flagName, context) => {
  test.each(changes)('%s keeps every Delete-side permission in the provider\'s policy', (_change, before, after) => {
    // GIVEN the deployed version, WHEN the next one is synthesized
    const was = providerPermissions(synth(before, context));
    const is = providerPermissions(synth(after, context));

    // THEN both hold all of them
    expect([...DELETE_SIDE].filter((p) => !was.has(p))).toEqual([]);
    expect([...DELETE_SIDE].filter((p) => !is.has(p))).toEqual([]);
    // and nothing the old version allowed is dropped except create-side or destination-specific permissions
    const dropped = [...was].filter((p) => !is.has(p));
    expect(dropped.filter((p) => !CREATE_SIDE.test(p) && !/^(s3|firehose|iam):|^logs:(PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups) /.test(p)))
      .toEqual([]);
  });
});

test('the create-side permissions do leave with the last resource of their kind (the comparison can see a drop)', () => {
  const was = providerPermissions(synth(BOTH));
  const roomsOnly = providerPermissions(synth({ rooms: true, loggingConfigurations: false }));
  const configsOnly = providerPermissions(synth({ rooms: false, loggingConfigurations: true }));
  const IF_CREATE = ` if ${JSON.stringify({
    'StringEquals': { 'aws:RequestTag/cdk-ivs-chat:stack': STACK_ID },
    'ForAnyValue:StringEquals': { 'aws:TagKeys': ['cdk-ivs-chat:stack'] },
  })}`;
  expect([...was].filter((p) => !roomsOnly.has(p))).toEqual(expect.arrayContaining([
    `ivschat:CreateLoggingConfiguration on ${arnPattern('logging-configuration')}${IF_CREATE}`, 'logs:CreateLogDelivery on "*"',
  ]));
  expect([...was].filter((p) => !configsOnly.has(p))).toEqual(expect.arrayContaining([`ivschat:CreateRoom on ${arnPattern('room')}${IF_CREATE}`]));
});

test('the provider\'s function depends on its policy: when the provider leaves the stack, its resources are deleted first, with it', () => {
  const template = synth({ rooms: true, loggingConfigurations: false });
  const [policyId] = Object.entries(template.findResources('AWS::IAM::Policy'))
    .find(([, p]) => JSON.stringify(p.Properties.Roles).includes('CdkIvsChatProviderRole'))!;
  const [functionId, fn] = Object.entries(template.findResources('AWS::Lambda::Function'))
    .find(([id]) => id.startsWith('CdkIvsChatProviderHandler'))!;
  expect(fn.DependsOn).toEqual(expect.arrayContaining([policyId]));
  for (const room of Object.values(template.findResources('Custom::IvsChatRoom'))) {
    expect(room.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [functionId, 'Arn'] });
  }
});

/**
 * The rendered policy evaluated by an offline IAM policy simulator (@cloud-copilot/iam-simulate), not a hand-written
 * evaluator: the provider reaches only resources whose ownership tag names its own stack.
 */
describe('the provider\'s policy, evaluated by an IAM simulator', () => {
  const ACCOUNT = '123456789012';
  const REGION = 'us-east-1';
  const MY_STACK = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/Chat/11111111-2222-3333-4444-555555555555`;
  const OTHER_STACK = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/Other/66666666-7777-8888-9999-000000000000`;
  const ROOM = `arn:aws:ivschat:${REGION}:${ACCOUNT}:room/AbCdEf123456`;
  const CONFIG = `arn:aws:ivschat:${REGION}:${ACCOUNT}:logging-configuration/AbCdEf123456`;
  const OWNER = 'cdk-ivs-chat:stack';
  const MARKER = 'cdk-ivs-chat:cfn-request';

  /** CloudFormation's intrinsics in the policy, resolved as CloudFormation would for this stack. */
  function resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === 'object') {
      const v = value as Record<string, unknown>;
      if ('Ref' in v) {
        return ({ 'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, 'AWS::StackId': MY_STACK } as Record<string, string>)[v.Ref as string]
          ?? `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${String(v.Ref)}`;
      }
      if ('Fn::Join' in v) {
        const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
        return parts.map(resolve).join(separator);
      }
      if ('Fn::GetAtt' in v) return `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${(v['Fn::GetAtt'] as string[])[0]}:*`;
      return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, resolve(inner)]));
    }
    return value;
  }

  function providerPolicy(): unknown {
    const app = new App();
    const stack = new Stack(app, 'Chat', { env: { account: ACCOUNT, region: REGION } });
    const config = new LoggingConfiguration(stack, 'ToLogs', { destination: LoggingDestination.cloudWatchLogs(new logs.LogGroup(stack, 'Logs')) });
    new Room(stack, 'Lobby', { loggingConfigurations: [config] });
    const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes('CdkIvsChatProviderRole'));
    return resolve(policies[0].Properties.PolicyDocument);
  }

  const policy = providerPolicy();
  const owned = (stackId?: string): Record<string, string> => (stackId ? { [`aws:ResourceTag/${OWNER}`]: stackId } : {});
  const requestTags = (tags: Record<string, string>) => ({
    ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])), 'aws:TagKeys': Object.keys(tags),
  });

  // [what, action, resource, context, expected]
  const cases: Array<[string, string, string, Record<string, string | string[]>, 'Allowed' | 'ImplicitlyDenied']> = [
    ['update a room of its stack', 'ivschat:UpdateRoom', ROOM, owned(MY_STACK), 'Allowed'],
    ['update another stack\'s room', 'ivschat:UpdateRoom', ROOM, owned(OTHER_STACK), 'ImplicitlyDenied'],
    ['update an untagged room', 'ivschat:UpdateRoom', ROOM, owned(), 'ImplicitlyDenied'],
    ['delete a room of its stack', 'ivschat:DeleteRoom', ROOM, owned(MY_STACK), 'Allowed'],
    ['delete another stack\'s room', 'ivschat:DeleteRoom', ROOM, owned(OTHER_STACK), 'ImplicitlyDenied'],
    ['delete an untagged room', 'ivschat:DeleteRoom', ROOM, owned(), 'ImplicitlyDenied'],
    ['get a configuration of its stack', 'ivschat:GetLoggingConfiguration', CONFIG, owned(MY_STACK), 'Allowed'],
    ['get another stack\'s configuration', 'ivschat:GetLoggingConfiguration', CONFIG, owned(OTHER_STACK), 'ImplicitlyDenied'],
    ['update a configuration of its stack', 'ivschat:UpdateLoggingConfiguration', CONFIG, owned(MY_STACK), 'Allowed'],
    ['delete another stack\'s configuration', 'ivschat:DeleteLoggingConfiguration', CONFIG, owned(OTHER_STACK), 'ImplicitlyDenied'],
    ['delete an untagged configuration', 'ivschat:DeleteLoggingConfiguration', CONFIG, owned(), 'ImplicitlyDenied'],
    ['create a room with the ownership tag', 'ivschat:CreateRoom', ROOM, requestTags({ [OWNER]: MY_STACK, [MARKER]: 'm', team: 'chat' }), 'Allowed'],
    ['create a room without it', 'ivschat:CreateRoom', ROOM, requestTags({ [MARKER]: 'm', team: 'chat' }), 'ImplicitlyDenied'],
    ['create a room naming another stack', 'ivschat:CreateRoom', ROOM, requestTags({ [OWNER]: OTHER_STACK }), 'ImplicitlyDenied'],
    ['create a configuration with the ownership tag', 'ivschat:CreateLoggingConfiguration', CONFIG, requestTags({ [OWNER]: MY_STACK }), 'Allowed'],
    ['create a configuration without it', 'ivschat:CreateLoggingConfiguration', CONFIG, requestTags({ team: 'chat' }), 'ImplicitlyDenied'],
    ['tag a room of its stack', 'ivschat:TagResource', ROOM, { ...owned(MY_STACK), ...requestTags({ team: 'chat' }) }, 'Allowed'],
    ['tag another stack\'s room', 'ivschat:TagResource', ROOM, { ...owned(OTHER_STACK), ...requestTags({ team: 'chat' }) }, 'ImplicitlyDenied'],
    ['tag an untagged room', 'ivschat:TagResource', ROOM, { ...owned(), ...requestTags({ team: 'chat' }) }, 'ImplicitlyDenied'],
    ['overwrite the ownership tag with another stack', 'ivschat:TagResource', ROOM, { ...owned(MY_STACK), ...requestTags({ [OWNER]: OTHER_STACK }) }, 'ImplicitlyDenied'],
    ['overwrite the marker tag', 'ivschat:TagResource', ROOM, { ...owned(MY_STACK), ...requestTags({ [MARKER]: 'x' }) }, 'ImplicitlyDenied'],
    ['claim an untagged room (an older provider\'s)', 'ivschat:TagResource', ROOM, { ...owned(), ...requestTags({ [OWNER]: MY_STACK }) }, 'Allowed'],
    ['claim another stack\'s room', 'ivschat:TagResource', ROOM, { ...owned(OTHER_STACK), ...requestTags({ [OWNER]: MY_STACK }) }, 'ImplicitlyDenied'],
    ['untag a user tag of its room', 'ivschat:UntagResource', ROOM, { ...owned(MY_STACK), 'aws:TagKeys': ['team'] }, 'Allowed'],
    ['untag the ownership key', 'ivschat:UntagResource', ROOM, { ...owned(MY_STACK), 'aws:TagKeys': [OWNER] }, 'ImplicitlyDenied'],
    ['untag the marker key', 'ivschat:UntagResource', CONFIG, { ...owned(MY_STACK), 'aws:TagKeys': [MARKER] }, 'ImplicitlyDenied'],
    ['untag another stack\'s room', 'ivschat:UntagResource', ROOM, { ...owned(OTHER_STACK), 'aws:TagKeys': ['team'] }, 'ImplicitlyDenied'],
    ['list rooms in its region', 'ivschat:ListRooms', '*', { 'aws:RequestedRegion': REGION }, 'Allowed'],
    ['list configurations in another region', 'ivschat:ListLoggingConfigurations', '*', { 'aws:RequestedRegion': 'eu-west-1' }, 'ImplicitlyDenied'],
    ['read its own stack\'s record', 'cloudformation:DescribeStackResource', MY_STACK, {}, 'Allowed'],
    ['read another stack\'s record', 'cloudformation:DescribeStackResource', OTHER_STACK, {}, 'ImplicitlyDenied'],
  ];

  const table: string[] = [];
  afterAll(() => console.info(`| case | action | result |\n| --- | --- | --- |\n${table.join('\n')}`));

  test.each(cases)('%s: %s is %s', async (what, action, resource, contextVariables, expected) => {
    const result = await runSimulation({
      request: { principal: `arn:aws:iam::${ACCOUNT}:role/provider`, action, resource: { resource, accountId: ACCOUNT }, contextVariables },
      identityPolicies: [{ name: 'provider', policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    }, {});
    if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
    table.push(`| ${what} | ${action} | ${result.overallResult} |`);
    expect(result.overallResult).toBe(expected);
  });
});
