import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Aspects, CfnResource } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SynthesisMessage } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ExampleChatStack } from '../example/example-stack';

function nagFindings(app: App, stack: ExampleChatStack) {
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
  const role = new iam.Role(stack, 'UnjustifiedRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  role.addToPolicy(new iam.PolicyStatement({
    actions: ['ivschat:CreateRoom'],
    resources: [stack.formatArn({ service: 'ivschat', resource: 'room', resourceName: '*' })],
  }));

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
    expect(suppression).toEqual({ id: 'AwsSolutions-IAM5', reason: expect.stringMatching(/.{40,}/), applies_to: [expect.any(String)] });
  }
});
