import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Room } from '../src';
import { IvsChatProvider } from '../src/private/provider';

// The provider function's own settings, asserted one by one (the example snapshot is not their only check).
function providerStack() {
  const stack = new Stack(new App(), 'Stack');
  new Room(stack, 'Room');
  const provider = IvsChatProvider.of(stack);
  const fn = stack.getLogicalId(provider.function.node.defaultChild as lambda.CfnFunction);
  const logGroup = provider.node.findChild('LogGroup') as logs.LogGroup;
  return { stack, template: Template.fromStack(stack), provider, fn, logGroup };
}

test('the provider runs on arm64 with 256 MB, Node.js 24, a 10-minute timeout and the bundled handler', () => {
  const { template, fn } = providerStack();
  expect(template.findResources('AWS::Lambda::Function')[fn].Properties).toEqual(expect.objectContaining({
    Architectures: ['arm64'],
    MemorySize: 256,
    Runtime: 'nodejs24.x',
    Timeout: 600,
    Handler: 'index.handler',
  }));
});

test('the provider logs to its own log group, kept for one month and retained when the stack goes', () => {
  // GIVEN
  const { stack, template, fn, logGroup } = providerStack();
  const logGroupId = stack.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup);

  // THEN
  template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Retain' });
  expect(template.findResources('AWS::Logs::LogGroup')[logGroupId]).toEqual(expect.objectContaining({
    Properties: { RetentionInDays: 30 },
    DeletionPolicy: 'Retain',
  }));
  expect(template.findResources('AWS::Lambda::Function')[fn].Properties.LoggingConfig).toEqual({ LogGroup: { Ref: logGroupId } });
});

test('the provider is never retried by Lambda (a retry would repeat a create)', () => {
  const { template, fn } = providerStack();
  template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
    FunctionName: { Ref: fn },
    MaximumRetryAttempts: 0,
    Qualifier: Match.anyValue(),
  });
});
