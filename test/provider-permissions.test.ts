/**
 * Permissions outlive cleanup: CloudFormation applies an update's new provider policy in the main phase and deletes
 * removed resources afterwards, so what any Delete needs must not leave with the last room or configuration.
 * Each test synthesizes two versions of a stack (before and after a change) and compares the provider's policy.
 */
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
