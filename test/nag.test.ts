import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Aspects, CfnResource, Stack, StackProps } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SynthesisMessage } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ExampleChatStack } from '../example/example-stack';
import { LoggingConfiguration, LoggingDestination, Room } from '../src';
import { ivsChatArnPattern } from '../src/private/provider';

/** The library's room/* create statement on a role of the user's, without the library's justification. */
function addUnjustifiedRoomStatement(stack: Stack): void {
  const role = new iam.Role(stack, 'UnjustifiedRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  role.addToPolicy(new iam.PolicyStatement({
    actions: ['ivschat:CreateRoom'],
    resources: [stack.formatArn({ service: 'ivschat', resource: 'room', resourceName: '*' })],
  }));
}

function nagFindings(app: App, stack: Stack) {
  Aspects.of(stack).add(new AwsSolutionsChecks({ verbose: true }));
  app.synth();
  const annotations = Annotations.fromStack(stack);
  return {
    errors: annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
    warnings: annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
  };
}

test('cdk-nag AwsSolutionsChecks finds no unsuppressed error or warning in the example stack', () => {
  // GIVEN
  const app = new App();
  const stack = new ExampleChatStack(app, 'IvsChatExample');

  // WHEN
  const { errors, warnings } = nagFindings(app, stack);

  // THEN
  const describe = (f: SynthesisMessage) => `${f.id}: ${String(f.entry.data).split('\n')[0]}`;
  expect(errors.map(describe)).toEqual([]);
  expect(warnings.map(describe)).toEqual([]);
});

test('with the feature flags a `cdk init` app sets (cdk.json), the example stack has no unsuppressed finding either', () => {
  // GIVEN an app like a user's, where @aws-cdk/aws-iam:minimizePolicies merges the provider's statements
  const context = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')).context;
  expect(context['@aws-cdk/aws-iam:minimizePolicies']).toBe(true);
  const app = new App({ context });
  const stack = new ExampleChatStack(app, 'IvsChatExample');

  // WHEN
  const { errors, warnings } = nagFindings(app, stack);

  // THEN
  expect([...errors, ...warnings].map((f) => `${f.id}: ${String(f.entry.data).split('\n')[0]}`)).toEqual([]);
});

test('the check is live: the same room/* statement on a role without the library\'s justification is an error', () => {
  // GIVEN
  const app = new App();
  const stack = new ExampleChatStack(app, 'IvsChatExample');
  addUnjustifiedRoomStatement(stack);

  // WHEN
  const { errors } = nagFindings(app, stack);

  // THEN
  expect(errors.map((e) => `${e.id} ${String(e.entry.data)}`)).toEqual([
    expect.stringMatching(/^\/IvsChatExample\/UnjustifiedRole\/DefaultPolicy\/Resource AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:ivschat:<AWS::Region>:<AWS::AccountId>:room\/\*\]/),
  ]);
});

test('every wildcard the provider holds carries a reason', () => {
  // GIVEN
  const app = new App();
  const stack = new ExampleChatStack(app, 'IvsChatExample');

  // WHEN
  const policy = stack.node.findChild('CdkIvsChatProvider').node.findChild('Role').node.findChild('DefaultPolicy').node.defaultChild as CfnResource;
  const suppressions = policy.getMetadata('cdk_nag').rules_to_suppress;

  // THEN
  expect(suppressions.length).toBeGreaterThanOrEqual(3);
  for (const suppression of suppressions) {
    expect(suppression).toEqual({
      id: 'AwsSolutions-IAM5',
      reason: expect.stringMatching(/.{40,}/),
      applies_to: [expect.anything()],
    });
    const [finding] = suppression.applies_to;
    // An exact finding, or cdk-nag's regex form '/.../' (its suppression helper parses it that way)
    expect(typeof finding === 'string' ? finding : finding.regex).toMatch(typeof finding === 'string' ? /^Resource::/ : /^\/\^Resource::.*\$\/$/);
  }
});

describe('the provider\'s suppressions match whatever the stack renders', () => {
  const ENV = { account: '123456789012', region: 'eu-west-1' };
  const cases: Array<[string, StackProps['env'], boolean]> = [
    ['env-agnostic, rooms only', undefined, false],
    ['env-agnostic, rooms and logging configurations', undefined, true],
    ['env-specific (eu-west-1 / 123456789012), rooms only', ENV, false],
    ['env-specific (eu-west-1 / 123456789012), rooms and logging configurations', ENV, true],
  ];

  test.each(cases)('%s: no unsuppressed cdk-nag finding on the provider', (_name, env, withLogging) => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Chat', { env });
    const loggingConfigurations = withLogging ? [
      new LoggingConfiguration(stack, 'ToS3', { destination: LoggingDestination.s3(new s3.Bucket(stack, 'Bucket')) }),
      new LoggingConfiguration(stack, 'ToLogs', { destination: LoggingDestination.cloudWatchLogs(new logs.LogGroup(stack, 'Logs')) }),
    ] : [];
    new Room(stack, 'Lobby', { loggingConfigurations });
    new Room(stack, 'Support');

    // WHEN
    const { errors, warnings } = nagFindings(app, stack);

    // THEN
    const onProvider = (f: SynthesisMessage) => f.id.startsWith('/Chat/CdkIvsChatProvider/');
    const describe = (f: SynthesisMessage) => `${f.id}: ${String(f.entry.data).split('\n')[0]}`;
    expect(errors.filter(onProvider).map(describe)).toEqual([]);
    expect(warnings.filter(onProvider).map(describe)).toEqual([]);
  });

  test('the check is live in an env-specific stack: an unjustified copy of the room/* statement is reported with the literal ARN', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Chat', { env: ENV });
    new Room(stack, 'Lobby');
    addUnjustifiedRoomStatement(stack);

    // WHEN
    const { errors } = nagFindings(app, stack);

    // THEN the finding names the region and account the stack renders, and only the unjustified role has it
    expect(errors.map((e) => `${e.id} ${String(e.entry.data)}`)).toEqual([
      expect.stringMatching(/^\/Chat\/UnjustifiedRole\/DefaultPolicy\/Resource AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:ivschat:eu-west-1:123456789012:room\/\*\]/),
    ]);
  });
});

test('the room/* pattern matches every rendering of this account\'s and region\'s rooms, and nothing else', () => {
  // cdk-nag reads '/<source>/<flags>' (NagSuppressionHelper.toRegEx)
  const { regex } = ivsChatArnPattern('room') as { regex: string };
  const [, source, flags] = /\/(.*)\/(.*)?/.exec(regex)!;
  const matches = (finding: string) => new RegExp(source, flags ?? '').test(finding);

  expect([
    'Resource::arn:<AWS::Partition>:ivschat:<AWS::Region>:<AWS::AccountId>:room/*',
    'Resource::arn:<AWS::Partition>:ivschat:eu-west-1:123456789012:room/*',
    'Resource::arn:aws:ivschat:eu-west-1:123456789012:room/*',
    'Resource::arn:aws-cn:ivschat:cn-north-1:123456789012:room/*',
    'Resource::arn:aws:ivschat:<AWS::Region>:123456789012:room/*',
  ].filter((f) => !matches(f))).toEqual([]);
  expect([
    'Resource::*',
    'Resource::arn:aws:ivschat:eu-west-1:123456789012:room/AbCdEf123456',
    'Resource::arn:aws:ivschat:eu-west-1:123456789012:logging-configuration/*',
    'Resource::arn:aws:ivschat:*:*:room/*',
    'Resource::arn:aws:ivs:eu-west-1:123456789012:room/*',
  ].filter(matches)).toEqual([]);
});
