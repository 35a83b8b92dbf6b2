import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, AssetStaging, CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FallbackResult, MessageReviewFunction, MessageReviewFunctionProps, ReviewAction, Room } from '../src';
import { REVIEW_CONFIG_FILE } from '../src/private/message-review-contract';

const ENV = { account: '123456789012', region: 'us-east-1' };

function newStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: ENV });
}

function ref(construct: { node: { defaultChild?: unknown } }, stack: Stack): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnResource);
}

/** The folder the function's code asset comes from (the staged bundle and configuration). */
function codeDir(fn: MessageReviewFunction): string {
  // The code asset's staging records the folder it copied.
  const staging = fn.lambdaFunction.node.findAll().find((c) => c instanceof AssetStaging) as AssetStaging;
  return staging.sourcePath;
}

function configOf(props: MessageReviewFunctionProps) {
  const fn = new MessageReviewFunction(newStack(), 'Review', props);
  return JSON.parse(fs.readFileSync(path.join(codeDir(fn), REVIEW_CONFIG_FILE), 'utf8'));
}

describe('the function', () => {
  test('Node.js 24 on arm64, 512 MB, 1 s, its own role and log group, the error answer in the environment', () => {
    const stack = newStack();
    const fn = new MessageReviewFunction(stack, 'Review', { blockedTerms: ['scam'], onError: FallbackResult.DENY });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 512,
      Timeout: 1,
      Environment: { Variables: { REVIEW_ON_ERROR: 'DENY' } },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('ReviewLogGroup') } },
    });
    // logs only to its own log group: no managed policy
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    expect(fn.functionArn).toBe(fn.lambdaFunction.functionArn);
  });

  test('the terms ship in a file beside the bundle, not in the environment', () => {
    const terms = Array.from({ length: 3000 }, (_, i) => `term${i}`);
    const stack = newStack();
    const fn = new MessageReviewFunction(stack, 'Review', { blockedTerms: terms });
    const dir = codeDir(fn);
    expect(fs.readFileSync(path.join(dir, 'index.js'))).toEqual(
      fs.readFileSync(path.join(__dirname, '..', 'assets', 'handlers', 'message-review', 'message-review.lambda', 'index.js')));
    expect(JSON.parse(fs.readFileSync(path.join(dir, REVIEW_CONFIG_FILE), 'utf8')).blockedTerms).toEqual(terms);
    const variables = Template.fromStack(stack).findResources('AWS::Lambda::Function')[ref(fn.lambdaFunction, stack)]
      .Properties.Environment.Variables;
    expect(JSON.stringify(variables)).not.toContain('term1');
  });

  test('the same configuration gives the same asset; another gives another', () => {
    const code = (terms: string[]) => {
      const stack = newStack();
      new MessageReviewFunction(stack, 'Review', { blockedTerms: terms });
      return Template.fromStack(stack).findResources('AWS::Lambda::Function');
    };
    const s3Key = (resources: Record<string, any>) => Object.values(resources)[0].Properties.Code.S3Key;
    expect(s3Key(code(['a1', 'b2']))).toBe(s3Key(code(['a1', 'b2'])));
    expect(s3Key(code(['a1', 'b2']))).not.toBe(s3Key(code(['a1', 'b3'])));
  });

  test('the configuration file holds every setting', () => {
    expect(configOf({
      blockedTerms: ['scam'],
      blockedPatterns: ['\\d{3}-\\d{4}'],
      blockLinks: true,
      allowedLinkDomains: ['Example.COM.'],
      onMatch: ReviewAction.DENY,
      denyReason: 'No.',
    })).toEqual({
      version: 1,
      blockedTerms: ['scam'],
      blockedPatterns: [{ source: '\\d{3}-\\d{4}', flags: 'giu' }],
      blockLinks: true,
      allowedLinkDomains: ['example.com'],
      onMatch: 'DENY',
      denyReason: 'No.',
    });
  });

  test('defaults: MASK, no links blocked, a default reason', () => {
    expect(configOf({})).toMatchObject({ blockedTerms: [], blockedPatterns: [], blockLinks: false, onMatch: 'MASK', denyReason: expect.any(String) });
  });
});

describe('synth errors name the property and the value', () => {
  test.each<[string, MessageReviewFunctionProps, string | RegExp]>([
    ['an invalid pattern', { blockedPatterns: ['ok', '(unclosed'] },
      /`blockedPatterns\[1\]` is not a valid regular expression \(flags giu\): .*\. Received "\(unclosed"/],
    ['a pattern invalid only with the u flag', { blockedPatterns: ['\\p{Nope}'] }, /`blockedPatterns\[0\]` is not a valid regular expression/],
    ['a pattern matching the empty string', { blockedPatterns: ['x*'] }, '`blockedPatterns[0]` must not match the empty string. Received "x*"'],
    ['a term without letters or digits', { blockedTerms: ['ok', '!!!'] }, '`blockedTerms[1]` must contain a letter or digit. Received "!!!"'],
    ['a bad domain', { blockLinks: true, allowedLinkDomains: ['https://example.com'] },
      '`allowedLinkDomains[0]` must be a domain name such as example.com. Received "https://example.com"'],
    ['allowed domains without blockLinks', { allowedLinkDomains: ['example.com'] }, '`allowedLinkDomains` only applies with `blockLinks: true`'],
    ['denyReason with MASK', { denyReason: 'x' }, '`denyReason` only applies with `onMatch: ReviewAction.DENY`'],
    ['an empty denyReason', { onMatch: ReviewAction.DENY, denyReason: ' ' }, '`denyReason` must be a non-empty string'],
    ['zero provisioned concurrency', { provisionedConcurrentExecutions: 0 }, '`provisionedConcurrentExecutions` must be an integer of at least 1. Received 0'],
  ])('%s', (_label, props, message) => {
    expect(() => new MessageReviewFunction(newStack(), 'Review', props)).toThrow(message);
  });

  test('the error names the construct', () => {
    expect(() => new MessageReviewFunction(newStack(), 'Review', { blockedPatterns: ['['] })).toThrow(/^\[TestStack\/Review\]/);
  });
});

describe('as a room\'s review handler', () => {
  test('the room invokes the function, and IVS Chat may invoke it for this account\'s rooms', () => {
    // GIVEN
    const stack = newStack();
    const fn = new MessageReviewFunction(stack, 'Review', { blockedTerms: ['scam'] });

    // WHEN
    new Room(stack, 'Room', { messageReviewHandler: { handler: fn } });

    // THEN
    const template = Template.fromStack(stack);
    const functionId = ref(fn.lambdaFunction, stack);
    template.hasResourceProperties('Custom::IvsChatRoom', {
      MessageReviewHandler: { Uri: { 'Fn::GetAtt': [functionId, 'Arn'] }, FallbackResult: 'ALLOW' },
    });
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
      Principal: 'ivschat.amazonaws.com',
      SourceAccount: ENV.account,
    });
  });

  test('keep-warm: provisioned concurrency on an alias, which the room invokes and the permission names', () => {
    // GIVEN
    const stack = newStack();
    const fn = new MessageReviewFunction(stack, 'Review', { blockedTerms: ['scam'], provisionedConcurrentExecutions: 2 });

    // WHEN
    const room = new Room(stack, 'Room', { messageReviewHandler: { handler: fn } });

    // THEN
    const template = Template.fromStack(stack);
    const aliasId = ref(fn.alias!, stack);
    template.hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live', ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 },
    });
    template.hasResourceProperties('Custom::IvsChatRoom', { MessageReviewHandler: { Uri: { Ref: aliasId } } });
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    template.hasResourceProperties('AWS::Lambda::Permission', { FunctionName: { Ref: aliasId }, Principal: 'ivschat.amazonaws.com' });
    // the room's metrics follow the alias it invokes
    expect(stack.resolve(room.metricReviewHandlerInvocationErrors().dimensions)).toEqual({ Uri: { Ref: aliasId } });
  });

  test('an alias of the function works as a handler too', () => {
    const stack = newStack();
    const fn = new MessageReviewFunction(stack, 'Review', { blockedTerms: ['scam'] });
    const alias = fn.lambdaFunction.addAlias('prod');
    new Room(stack, 'Room', { messageReviewHandler: { handler: alias, fallbackResult: FallbackResult.DENY } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::IvsChatRoom', {
      MessageReviewHandler: { Uri: { Ref: ref(alias, stack) }, FallbackResult: 'DENY' },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', { FunctionName: { Ref: ref(alias, stack) } });
  });

  test('two rooms share one function and one permission', () => {
    const stack = newStack();
    const fn = new MessageReviewFunction(stack, 'Review', { blockedTerms: ['scam'] });
    new Room(stack, 'A', { messageReviewHandler: { handler: fn } });
    new Room(stack, 'B', { messageReviewHandler: { handler: fn } });
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Permission', 1);
  });

  test('grantInvoke names the function the rooms invoke', () => {
    const stack = newStack();
    const fn = new MessageReviewFunction(stack, 'Review', { provisionedConcurrentExecutions: 1 });
    const caller = new lambda.Function(stack, 'Caller', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = 1'),
    });
    fn.grantInvoke(caller);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'lambda:InvokeFunction', Resource: { Ref: ref(fn.alias!, stack) } })]) },
    });
  });
});

describe('metrics', () => {
  test.each([
    ['metricMessagesAllowed', 'MessagesAllowed'],
    ['metricMessagesMasked', 'MessagesMasked'],
    ['metricMessagesDenied', 'MessagesDenied'],
    ['metricReviewErrors', 'ReviewErrors'],
  ] as const)('%s: CdkIvsChat/MessageReview %s by FunctionName, sum over 5 minutes', (method, metricName) => {
    const stack = newStack();
    const fn = new MessageReviewFunction(stack, 'Review', { provisionedConcurrentExecutions: 1 });
    const metric = fn[method]();
    expect(metric.namespace).toBe('CdkIvsChat/MessageReview');
    expect(metric.metricName).toBe(metricName);
    // the function's name, also through an alias (the handler reads AWS_LAMBDA_FUNCTION_NAME, which is unqualified)
    expect(stack.resolve(metric.dimensions)).toEqual({ FunctionName: { Ref: ref(fn.lambdaFunction, stack) } });
    expect(metric.statistic).toBe('Sum');
    expect(metric.period.toSeconds()).toBe(300);
    expect(metric.region).toBe(ENV.region);
  });

  test('an alarm on denied messages', () => {
    const stack = newStack();
    const fn = new MessageReviewFunction(stack, 'Review', { onMatch: ReviewAction.DENY });
    fn.metricMessagesDenied().createAlarm(stack, 'ManyDenied', { threshold: 50, evaluationPeriods: 1 });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'CdkIvsChat/MessageReview',
      MetricName: 'MessagesDenied',
      Threshold: 50,
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: ref(fn.lambdaFunction, stack) } }],
    });
  });

  test('Lambda\'s own metrics name the function', () => {
    const stack = newStack();
    const fn = new MessageReviewFunction(stack, 'Review');
    expect(stack.resolve(fn.metricErrors().dimensions)).toEqual({ FunctionName: { Ref: ref(fn.lambdaFunction, stack) } });
  });
});
