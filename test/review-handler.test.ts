import { App, CfnResource, Duration, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FallbackResult, Room } from '../src';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const ENV = { account: ACCOUNT, region: REGION };
const ROOM_WILDCARD_AGNOSTIC = {
  'Fn::Join': ['', [
    'arn:', { Ref: 'AWS::Partition' }, ':ivschat:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':room/*',
  ]],
};

function newFunction(stack: Stack, id = 'Review'): lambda.Function {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = 1'),
  });
}

function logicalId(construct: { node: { defaultChild?: unknown } }, stack: Stack): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnResource);
}

describe('the Lambda permission', () => {
  test('lets ivschat.amazonaws.com invoke the function for this account\'s and region\'s rooms', () => {
    // GIVEN
    const stack = new Stack(new App(), 'TestStack');
    const handler = newFunction(stack);

    // WHEN
    new Room(stack, 'Room', { messageReviewHandler: { handler } });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    template.hasResourceProperties('AWS::Lambda::Permission', Match.objectEquals({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [logicalId(handler, stack), 'Arn'] },
      Principal: 'ivschat.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: ROOM_WILDCARD_AGNOSTIC,
    }));
  });

  test('with an explicit environment, the account and region are literal', () => {
    const stack = new Stack(new App(), 'TestStack', { env: ENV });
    new Room(stack, 'Room', { messageReviewHandler: { handler: newFunction(stack) } });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'ivschat.amazonaws.com',
      SourceAccount: ACCOUNT,
      SourceArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ivschat:${REGION}:${ACCOUNT}:room/*`]] },
    });
  });

  test('a function shared by two rooms gets one permission, and both rooms depend on it', () => {
    // GIVEN
    const stack = new Stack(new App(), 'TestStack');
    const handler = newFunction(stack);

    // WHEN
    const a = new Room(stack, 'A', { messageReviewHandler: { handler } });
    const b = new Room(stack, 'B', { messageReviewHandler: { handler, fallbackResult: FallbackResult.DENY } });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    const permissionId = Object.keys(template.findResources('AWS::Lambda::Permission'))[0];
    const rooms = template.findResources('Custom::IvsChatRoom');
    expect(rooms[logicalId(a, stack)].DependsOn).toEqual([permissionId]);
    expect(rooms[logicalId(b, stack)].DependsOn).toEqual([permissionId]);
  });

  test('two functions get a permission each', () => {
    const stack = new Stack(new App(), 'TestStack');
    new Room(stack, 'A', { messageReviewHandler: { handler: newFunction(stack, 'One') } });
    new Room(stack, 'B', { messageReviewHandler: { handler: newFunction(stack, 'Two') } });
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Permission', 2);
  });

  test('the room depends on the permission, so CreateRoom runs after it exists', () => {
    const stack = new Stack(new App(), 'TestStack');
    new Room(stack, 'Room', { messageReviewHandler: { handler: newFunction(stack) } });
    const template = Template.fromStack(stack);
    const permissionId = Object.keys(template.findResources('AWS::Lambda::Permission'))[0];
    template.hasResource('Custom::IvsChatRoom', { DependsOn: [permissionId] });
  });

  test('a room without a handler has no permission and no dependency', () => {
    const stack = new Stack(new App(), 'TestStack');
    newFunction(stack);
    new Room(stack, 'Room');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Permission', 0);
    template.hasResource('Custom::IvsChatRoom', { DependsOn: Match.absent() });
  });
});

describe('setMessageReviewHandler', () => {
  test('after construction renders the handler and adds the permission', () => {
    // GIVEN
    const stack = new Stack(new App(), 'TestStack');
    const room = new Room(stack, 'Room');
    const handler = newFunction(stack);

    // WHEN
    room.setMessageReviewHandler(handler, FallbackResult.DENY);

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    template.hasResource('Custom::IvsChatRoom', {
      Properties: {
        MessageReviewHandler: { Uri: { 'Fn::GetAtt': [logicalId(handler, stack), 'Arn'] }, FallbackResult: 'DENY' },
      },
      DependsOn: [Object.keys(template.findResources('AWS::Lambda::Permission'))[0]],
    });
  });

  test('FallbackResult DENY is rendered', () => {
    const stack = new Stack(new App(), 'TestStack');
    new Room(stack, 'Room', { messageReviewHandler: { handler: newFunction(stack), fallbackResult: FallbackResult.DENY } });
    Template.fromStack(stack).hasResourceProperties('Custom::IvsChatRoom', {
      MessageReviewHandler: { FallbackResult: 'DENY' },
    });
  });

  test('a function in another account is an error', () => {
    const stack = new Stack(new App(), 'TestStack', { env: ENV });
    const handler = lambda.Function.fromFunctionArn(stack, 'Foreign', 'arn:aws:lambda:us-east-1:999999999999:function:review');
    expect(() => new Room(stack, 'Room', { messageReviewHandler: { handler } }))
      .toThrow(`\`messageReviewHandler\` must be in the room's account (${ACCOUNT}). Received TestStack/Foreign in account 999999999999`);
  });

  test('a function in another region is an error', () => {
    const stack = new Stack(new App(), 'TestStack', { env: ENV });
    const handler = lambda.Function.fromFunctionArn(stack, 'Foreign', `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:review`);
    const room = new Room(stack, 'Room');
    expect(() => room.setMessageReviewHandler(handler))
      .toThrow(`\`messageReviewHandler\` must be in the room's region (${REGION}). Received TestStack/Foreign in region eu-west-1`);
  });

  test('a function of a stack in another region is an error', () => {
    const app = new App();
    const functions = new Stack(app, 'Functions', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    const rooms = new Stack(app, 'Rooms', { env: ENV });
    const handler = newFunction(functions);
    expect(() => new Room(rooms, 'Room', { messageReviewHandler: { handler } })).toThrow(/must be in the room's region \(us-east-1\)/);
  });

  test('a function in another stack of the same environment works', () => {
    // GIVEN
    const app = new App();
    const functions = new Stack(app, 'Functions', { env: ENV });
    const rooms = new Stack(app, 'Rooms', { env: ENV });
    const handler = newFunction(functions);

    // WHEN
    new Room(rooms, 'Room', { messageReviewHandler: { handler } });

    // THEN the permission sits beside the function, for the rooms' account and region
    Template.fromStack(functions).hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'ivschat.amazonaws.com',
      SourceAccount: ACCOUNT,
      SourceArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ivschat:${REGION}:${ACCOUNT}:room/*`]] },
    });
    Template.fromStack(rooms).hasResourceProperties('Custom::IvsChatRoom', {
      MessageReviewHandler: { Uri: { 'Fn::ImportValue': Match.anyValue() } },
    });
    // and the rooms' stack deploys after it
    expect(rooms.dependencies).toContain(functions);
  });

  test('a function in another environment-agnostic stack works, without a dependency cycle', () => {
    const app = new App();
    const functions = new Stack(app, 'Functions');
    const rooms = new Stack(app, 'Rooms');
    new Room(rooms, 'Room', { messageReviewHandler: { handler: newFunction(functions) } });
    expect(() => app.synth()).not.toThrow();
    Template.fromStack(functions).hasResourceProperties('AWS::Lambda::Permission', {
      SourceAccount: { Ref: 'AWS::AccountId' }, SourceArn: ROOM_WILDCARD_AGNOSTIC,
    });
    expect(functions.dependencies).toEqual([]);
  });

  test('an imported function of this account gets the permission in this stack', () => {
    const stack = new Stack(new App(), 'TestStack', { env: ENV });
    const handler = lambda.Function.fromFunctionArn(stack, 'Review', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:review`);
    new Room(stack, 'Room', { messageReviewHandler: { handler } });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:review`,
      Principal: 'ivschat.amazonaws.com',
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('cdk-ivs-chat:reviewHandlerPermission'));
  });

  describe('an imported function whose policy this stack cannot change', () => {
    const functionArn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:review`;
    const expectedHint = 'aws lambda add-permission --function-name ' +
      `${functionArn} --statement-id ivschat-invoke --action lambda:InvokeFunction --principal ivschat.amazonaws.com ` +
      `--source-account ${ACCOUNT} --source-arn arn:aws:ivschat:${REGION}:${ACCOUNT}:room/*`;

    test('sameEnvironment: false: no permission, and our warning tells the exact permission to add', () => {
      // GIVEN
      const stack = new Stack(new App(), 'TestStack', { env: ENV });
      const handler = lambda.Function.fromFunctionAttributes(stack, 'Review', { functionArn, sameEnvironment: false });

      // WHEN
      new Room(stack, 'Room', { messageReviewHandler: { handler } });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::Lambda::Permission', 0);
      template.hasResource('Custom::IvsChatRoom', { DependsOn: Match.absent() });
      template.hasResourceProperties('Custom::IvsChatRoom', { MessageReviewHandler: { Uri: functionArn } });
      const annotations = Annotations.fromStack(stack);
      annotations.hasWarning('/TestStack/Room', Match.stringLikeRegexp(
        `cannot change the resource policy of the imported function ${escape(functionArn)}.*${escape(expectedHint)}`));
      annotations.hasWarning('/TestStack/Room', Match.stringLikeRegexp('\\[ack: cdk-ivs-chat:reviewHandlerPermission\\]'));
      // aws-cdk-lib adds its own, less specific warning on the function.
      annotations.hasWarning('/TestStack/Review', Match.stringLikeRegexp('UnclearLambdaEnvironment'));
    });

    test('sameEnvironment: false with skipPermissions: true: only our warning', () => {
      const stack = new Stack(new App(), 'TestStack', { env: ENV });
      const handler = lambda.Function.fromFunctionAttributes(stack, 'Review', {
        functionArn, sameEnvironment: false, skipPermissions: true,
      });
      new Room(stack, 'Room', { messageReviewHandler: { handler } });
      Template.fromStack(stack).resourceCountIs('AWS::Lambda::Permission', 0);
      const annotations = Annotations.fromStack(stack);
      annotations.hasWarning('/TestStack/Room', Match.stringLikeRegexp(escape(expectedHint)));
      annotations.hasNoWarning('/TestStack/Review', Match.stringLikeRegexp('UnclearLambdaEnvironment'));
    });

    test('skipPermissions alone still adds the permission in the same account', () => {
      const stack = new Stack(new App(), 'TestStack', { env: ENV });
      const handler = lambda.Function.fromFunctionAttributes(stack, 'Review', { functionArn, skipPermissions: true });
      new Room(stack, 'Room', { messageReviewHandler: { handler } });
      Template.fromStack(stack).resourceCountIs('AWS::Lambda::Permission', 1);
      Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('reviewHandlerPermission'));
    });

    test('in an environment-agnostic stack the warning names what only deployment knows, not tokens', () => {
      const stack = new Stack(new App(), 'TestStack');
      const handler = lambda.Function.fromFunctionAttributes(stack, 'Review', { functionArn: Fn.importValue('ReviewArn'), sameEnvironment: false });
      new Room(stack, 'Room', { messageReviewHandler: { handler } });
      Template.fromStack(stack).resourceCountIs('AWS::Lambda::Permission', 0);
      const annotations = Annotations.fromStack(stack);
      annotations.hasWarning('/TestStack/Room', Match.stringLikeRegexp(escape(
        "--source-account <this stack's account> --source-arn arn:<partition>:ivschat:<this stack's region>:<this stack's account>:room/*")));
      annotations.hasNoWarning('/TestStack/Room', Match.stringLikeRegexp('Token\\['));
    });

    test('every room using the function is warned', () => {
      const stack = new Stack(new App(), 'TestStack', { env: ENV });
      const handler = lambda.Function.fromFunctionAttributes(stack, 'Review', { functionArn, sameEnvironment: false });
      new Room(stack, 'A', { messageReviewHandler: { handler } });
      new Room(stack, 'B', { messageReviewHandler: { handler } });
      const annotations = Annotations.fromStack(stack);
      annotations.hasWarning('/TestStack/A', Match.stringLikeRegexp('reviewHandlerPermission'));
      annotations.hasWarning('/TestStack/B', Match.stringLikeRegexp('reviewHandlerPermission'));
    });
  });
});

describe('a handler whose region is known in a stack whose region is not', () => {
  const functionArn = 'arn:aws:lambda:eu-west-1:123456789012:function:review';

  /** The template's rules other than the bootstrap version check. */
  const reviewRules = (template: Template) => Object.fromEntries(Object.entries(template.toJSON().Rules ?? {})
    .filter(([id]) => id !== 'CheckBootstrapVersion')) as Record<string, { Assertions: { Assert: unknown; AssertDescription: string }[] }>;

  function agnosticRoom() {
    const stack = new Stack(new App(), 'TestStack');
    const handler = lambda.Function.fromFunctionArn(stack, 'Review', functionArn);
    new Room(stack, 'Room', { messageReviewHandler: { handler } });
    return { stack, template: Template.fromStack(stack), annotations: Annotations.fromStack(stack) };
  }

  test('a template rule fails the deployment before anything is created unless the regions (and accounts) match', () => {
    const { template } = agnosticRoom();
    const rules = reviewRules(template);
    expect(Object.keys(rules)).toHaveLength(1);
    const [region, account] = Object.values(rules)[0].Assertions;
    expect(region.Assert).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] });
    expect(region.AssertDescription).toBe(`The message review handler ${functionArn} is in region eu-west-1, but this stack is being ` +
      'deployed to another region (AWS::Region): IVS Chat invokes only a function in the room\'s own region. Deploy the stack to ' +
      'eu-west-1, or use a review handler in the stack\'s region.');
    expect(account.Assert).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, '123456789012'] });
    expect(account.AssertDescription).toMatch(/is in account 123456789012, but this stack is being deployed to another account/);
  });

  test('the rule guarantees the placement, so the stack adds the permission itself: no add-permission advice', () => {
    const { template, annotations } = agnosticRoom();
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: functionArn, Principal: 'ivschat.amazonaws.com', SourceAccount: { Ref: 'AWS::AccountId' }, SourceArn: ROOM_WILDCARD_AGNOSTIC,
    });
    const permissionId = Object.keys(template.findResources('AWS::Lambda::Permission'))[0];
    template.hasResource('Custom::IvsChatRoom', { DependsOn: [permissionId] });
    annotations.hasNoWarning('*', Match.stringLikeRegexp('add-permission'));
    annotations.hasNoWarning('*', Match.stringLikeRegexp('UnclearLambdaEnvironment'));
  });

  test('two rooms with one handler: one rule, one permission', () => {
    const stack = new Stack(new App(), 'TestStack');
    const handler = lambda.Function.fromFunctionArn(stack, 'Review', functionArn);
    new Room(stack, 'A', { messageReviewHandler: { handler } });
    new Room(stack, 'B', { messageReviewHandler: { handler } });
    const template = Template.fromStack(stack);
    expect(Object.keys(reviewRules(template))).toHaveLength(1);
    template.resourceCountIs('AWS::Lambda::Permission', 1);
  });

  test('a stack with a known region has no rule: synth decides', () => {
    const stack = new Stack(new App(), 'TestStack', { env: ENV });
    new Room(stack, 'Room', { messageReviewHandler: { handler: newFunction(stack) } });
    expect(reviewRules(Template.fromStack(stack))).toEqual({});
  });

  test('a function of the same agnostic stack has no rule', () => {
    const stack = new Stack(new App(), 'TestStack');
    new Room(stack, 'Room', { messageReviewHandler: { handler: newFunction(stack) } });
    expect(reviewRules(Template.fromStack(stack))).toEqual({});
  });
});

describe('the handler\'s ARN is checked against the API\'s MessageReviewHandler.Uri', () => {
  test('at most 170 characters', () => {
    const stack = new Stack(new App(), 'TestStack', { env: ENV });
    const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${'f'.repeat(64)}:${'a'.repeat(80)}`;
    const handler = lambda.Function.fromFunctionArn(stack, 'Review', arn);
    expect(arn.length).toBeGreaterThan(170);
    expect(() => new Room(stack, 'Room', { messageReviewHandler: { handler } })).toThrow(
      '[TestStack/Room] `messageReviewHandler`: the function ARN (the room\'s MessageReviewHandler.Uri) must be at most 170 characters. ' +
      `Received ${arn.length} characters: "${arn}"`);
  });

  test('the API\'s pattern: arn:aws:lambda:<region>:<account>:function:<name>', () => {
    const stack = new Stack(new App(), 'TestStack', { env: { account: ACCOUNT, region: 'cn-north-1' } });
    const arn = `arn:aws-cn:lambda:cn-north-1:${ACCOUNT}:function:review`;
    const handler = lambda.Function.fromFunctionArn(stack, 'Review', arn);
    expect(() => new Room(stack, 'Room', { messageReviewHandler: { handler } })).toThrow(
      '`messageReviewHandler`: the function ARN (the room\'s MessageReviewHandler.Uri) must match ' +
      `^$|^arn:aws:lambda:[a-z0-9-]+:[0-9]{12}:function:.+ (the IVS Chat API's pattern). Received "${arn}"`);
  });

  test('an alias ARN of 170 characters passes; a token passes', () => {
    const stack = new Stack(new App(), 'TestStack', { env: ENV });
    const prefix = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:review:`;
    const arn = prefix + 'a'.repeat(170 - prefix.length);
    new Room(stack, 'A', { messageReviewHandler: { handler: lambda.Function.fromFunctionArn(stack, 'Alias', arn) } });
    new Room(stack, 'B', { messageReviewHandler: { handler: newFunction(stack) } });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});

describe('metrics', () => {
  test.each([
    ['metricReviewHandlerInvocationErrors', 'InvocationErrors'],
    ['metricReviewHandlerResponseValidationErrors', 'ResponseValidationErrors'],
  ] as const)('%s: AWS/IVSChat %s by Uri, Sum over 5 minutes', (method, metricName) => {
    // GIVEN
    const stack = new Stack(new App(), 'TestStack', { env: ENV });
    const handler = newFunction(stack);
    const room = new Room(stack, 'Room', { messageReviewHandler: { handler } });

    // WHEN
    const metric = room[method]();

    // THEN
    expect(metric.namespace).toBe('AWS/IVSChat');
    expect(metric.metricName).toBe(metricName);
    expect(stack.resolve(metric.dimensions)).toEqual({ Uri: { 'Fn::GetAtt': [logicalId(handler, stack), 'Arn'] } });
    expect(metric.statistic).toBe('Sum');
    expect(metric.period.toSeconds()).toBe(300);
    expect(metric.region).toBe(REGION);
    expect(metric.account).toBe(ACCOUNT);
  });

  test('options override the defaults', () => {
    const stack = new Stack(new App(), 'TestStack');
    const room = new Room(stack, 'Room', { messageReviewHandler: { handler: newFunction(stack) } });
    const metric = room.metricReviewHandlerInvocationErrors({ period: Duration.minutes(1), statistic: 'Maximum' });
    expect(metric.period.toSeconds()).toBe(60);
    expect(metric.statistic).toBe('Maximum');
  });

  test('follow a handler set later', () => {
    const stack = new Stack(new App(), 'TestStack');
    const room = new Room(stack, 'Room');
    room.setMessageReviewHandler(lambda.Function.fromFunctionArn(stack, 'F', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:f`));
    expect(room.metricReviewHandlerResponseValidationErrors().dimensions).toEqual({ Uri: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:f` });
  });

  test('can drive an alarm', () => {
    const stack = new Stack(new App(), 'TestStack');
    const handler = newFunction(stack);
    const room = new Room(stack, 'Room', { messageReviewHandler: { handler } });
    room.metricReviewHandlerInvocationErrors().createAlarm(stack, 'Alarm', { threshold: 1, evaluationPeriods: 1 });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/IVSChat',
      MetricName: 'InvocationErrors',
      Dimensions: [{ Name: 'Uri', Value: { 'Fn::GetAtt': [logicalId(handler, stack), 'Arn'] } }],
      Statistic: 'Sum',
      Period: 300,
    });
  });

  test('a room without a handler has none: a clear error', () => {
    const stack = new Stack(new App(), 'TestStack');
    const room = new Room(stack, 'Room');
    expect(() => room.metricReviewHandlerInvocationErrors())
      .toThrow('[TestStack/Room] The room has no messageReviewHandler: its InvocationErrors metric does not exist');
    expect(() => room.metricReviewHandlerResponseValidationErrors())
      .toThrow('[TestStack/Room] The room has no messageReviewHandler: its ResponseValidationErrors metric does not exist');
  });

  test('the metric is a cloudwatch.Metric usable in a graph', () => {
    const stack = new Stack(new App(), 'TestStack', { env: ENV });
    const room = new Room(stack, 'Room', { messageReviewHandler: { handler: newFunction(stack) } });
    expect(room.metricReviewHandlerInvocationErrors()).toBeInstanceOf(cloudwatch.Metric);
    new cloudwatch.Dashboard(stack, 'Dashboard', { widgets: [[new cloudwatch.GraphWidget({ left: [room.metricReviewHandlerInvocationErrors()] })]] });
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
