/**
 * `applyTemplate` (cdk-ivs-chat/testing): a synthesized stack's rooms and logging configurations, created in the
 * stand-in by the BUNDLED provider (run `npx projen bundle` first) from CloudFormation-shaped events.
 */
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { FallbackResult, LoggingConfiguration, LoggingDestination, Room } from '../../src';
import {
  applyTemplate, ApplyTemplateOptions, CustomResourceRequest, IvsChatStandIn, ProviderFailedError, UnresolvableReferenceError,
} from 'cdk-ivs-chat/testing';

const REVIEW_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:review';

let standIn: IvsChatStandIn;
beforeAll(async () => {
  standIn = await IvsChatStandIn.start();
});
afterEach(() => standIn.reset());
afterAll(() => standIn.stop());

/** A stack with a logging configuration to a log group, and a room that logs to it and has a review handler. */
function chatStack(configRemovalPolicy?: RemovalPolicy) {
  const stack = new Stack(new App(), 'Chat', { env: { account: '123456789012', region: 'us-east-1' } });
  const logGroup = new logs.LogGroup(stack, 'ChatLogs');
  const review = new lambda.Function(stack, 'Review', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ ReviewResult: "ALLOW" });'),
  });
  const config = new LoggingConfiguration(stack, 'Logs', { destination: LoggingDestination.cloudWatchLogs(logGroup), removalPolicy: configRemovalPolicy });
  const room = new Room(stack, 'Lobby', {
    roomName: 'lobby',
    maximumMessageLength: 42,
    maximumMessageRatePerSecond: 3,
    messageReviewHandler: { handler: review, fallbackResult: FallbackResult.DENY },
    loggingConfigurations: [config],
  });
  const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
  return {
    template: Template.fromStack(stack).toJSON(),
    ids: { logGroup: id(logGroup), review: id(review), config: id(config), room: id(room) },
  };
}

function optionsFor(ids: ReturnType<typeof chatStack>['ids'], more: Partial<ApplyTemplateOptions> = {}): ApplyTemplateOptions {
  return {
    environment: standIn.environment(),
    references: { [ids.logGroup]: { ref: 'chat-logs' }, [ids.review]: { attributes: { Arn: REVIEW_ARN } } },
    ...more,
  };
}

test('creates the logging configuration, then the room that references its ARN (Fn::GetAtt), with the construct\'s properties', async () => {
  const { template, ids } = chatStack();
  const requests: CustomResourceRequest[] = [];

  const applied = await applyTemplate(template, optionsFor(ids, { onRequest: (r) => void requests.push(r) }));

  const [config] = standIn.loggingConfigurations();
  const [room] = standIn.rooms();
  expect(config).toMatchObject({ arn: applied.physicalId(ids.config), destinationConfiguration: { cloudWatchLogs: { logGroupName: 'chat-logs' } } });
  expect(room).toMatchObject({
    arn: applied.attribute(ids.room, 'Arn'),
    id: applied.attribute(ids.room, 'Id'),
    name: 'lobby',
    maximumMessageLength: 42,
    maximumMessageRatePerSecond: 3,
    messageReviewHandler: { uri: REVIEW_ARN, fallbackResult: 'DENY' },
    loggingConfigurationIdentifiers: [config.arn],
  });
  // Create events as CloudFormation sends them: dependency order, every property a string, ids and a ResponseURL.
  expect(requests.map((r) => [r.RequestType, r.LogicalResourceId])).toEqual([['Create', ids.config], ['Create', ids.room]]);
  const roomEvent = requests[1];
  expect(roomEvent).toMatchObject({
    ResourceType: 'Custom::IvsChatRoom',
    StackId: expect.stringMatching(/^arn:aws:cloudformation:us-east-1:123456789012:stack\/LocalChat\//),
    ResponseURL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/responses\//),
    ResourceProperties: {
      ServiceToken: roomEvent.ServiceToken,
      MaximumMessageLength: '42',
      MaximumMessageRatePerSecond: '3',
      MessageReviewHandler: { Uri: REVIEW_ARN, FallbackResult: 'DENY' },
      LoggingConfigurationIdentifiers: [config.arn],
    },
  });
  expect(roomEvent.ServiceToken).toMatch(/^arn:aws:lambda:us-east-1:123456789012:function:/);
  expect(applied.history.map((h) => h.response.Status)).toEqual(['SUCCESS', 'SUCCESS']);
});

test('resolves Ref to its own resources (the physical id), pseudo parameters, Fn::Sub and Fn::Join', async () => {
  const { template, ids } = chatStack();
  const room = (template.Resources as Record<string, { Properties: Record<string, unknown> }>)[ids.room];
  room.Properties.Tags = {
    config: { Ref: ids.config },
    where: { 'Fn::Sub': ['${AWS::StackName}-${AWS::Region}-${Suffix}', { Suffix: { 'Fn::Join': ['/', [{ Ref: 'AWS::AccountId' }, 'x']] } }] },
  };

  const applied = await applyTemplate(template, optionsFor(ids, { stackName: 'Chat' }));

  expect(standIn.rooms()[0].tags).toMatchObject({ config: applied.physicalId(ids.config), where: 'Chat-us-east-1-123456789012/x' });
});

test('delete() sends Delete events, the room before its logging configuration, and the stand-in is empty again', async () => {
  const { template, ids } = chatStack();
  const applied = await applyTemplate(template, optionsFor(ids));
  const roomArn = applied.physicalId(ids.room);
  const configArn = applied.physicalId(ids.config);

  await applied.delete();

  expect(applied.history.slice(2).map((h) => [h.request.RequestType, h.request.LogicalResourceId, h.request.PhysicalResourceId, h.response.Status]))
    .toEqual([['Delete', ids.room, roomArn, 'SUCCESS'], ['Delete', ids.config, configArn, 'SUCCESS']]);
  expect(standIn.rooms()).toEqual([]);
  expect(standIn.loggingConfigurations()).toEqual([]);
  expect(Object.keys(applied.applied)).toEqual([]);
});

test('delete() leaves a retained logging configuration in place, as a stack delete would', async () => {
  const { template, ids } = chatStack(RemovalPolicy.RETAIN);
  const applied = await applyTemplate(template, optionsFor(ids));
  const configArn = applied.physicalId(ids.config);

  await applied.delete();

  expect(applied.history.slice(2).map((h) => [h.request.RequestType, h.request.LogicalResourceId])).toEqual([['Delete', ids.room]]);
  expect(standIn.rooms()).toEqual([]);
  expect(standIn.loggingConfigurations().map((c) => c.arn)).toEqual([configArn]);
});

test('an unresolvable reference fails before anything is created, naming the resource, the property and the way out', async () => {
  const { template, ids } = chatStack();

  const attempt = applyTemplate(template, { environment: standIn.environment(), references: { [ids.logGroup]: { ref: 'chat-logs' } } });

  await expect(attempt).rejects.toThrow(UnresolvableReferenceError);
  await expect(attempt).rejects.toThrow(`${ids.room}.Properties.MessageReviewHandler.Uri: {"Fn::GetAtt":["${ids.review}","Arn"]} names ` +
    `${ids.review}.Arn, which applyTemplate does not create: pass its value in options.references`);
  expect(standIn.calls()).toEqual([]);
});

test('an intrinsic it does not evaluate (Fn::ImportValue) is refused by name', async () => {
  const { template, ids } = chatStack();
  const room = (template.Resources as Record<string, { Properties: Record<string, unknown> }>)[ids.room];
  room.Properties.Name = { 'Fn::ImportValue': 'shared-room-name' };

  await expect(applyTemplate(template, optionsFor(ids))).rejects.toThrow(
    `${ids.room}.Properties.Name: {"Fn::ImportValue":"shared-room-name"} uses Fn::ImportValue, which applyTemplate does not evaluate`);
  expect(standIn.calls()).toEqual([]);
});

test('a Create the provider reports FAILED rolls back what was created and throws with the provider\'s reason', async () => {
  const { template, ids } = chatStack();
  standIn.failNext('CreateRoom', 1, { name: 'ValidationException', status: 400, message: 'room refused by the test' });

  const attempt = applyTemplate(template, optionsFor(ids));

  await expect(attempt).rejects.toThrow(ProviderFailedError);
  await expect(attempt).rejects.toThrow(new RegExp(`^Create of ${ids.room} \\(Custom::IvsChatRoom\\) failed: .*room refused by the test`));
  // the configuration made first was deleted again
  expect(standIn.calls('DeleteLoggingConfiguration')).toHaveLength(1);
  expect(standIn.loggingConfigurations()).toEqual([]);
  expect(standIn.rooms()).toEqual([]);
});

test('the provider\'s log lines go to options.log, and cloudFormationEnvironment is merged into the bundle\'s environment', async () => {
  const { template, ids } = chatStack();
  const lines: string[] = [];
  const other = await IvsChatStandIn.start();
  try {
    // Overriding the IVS Chat endpoint shows the extra variables are what the bundle's module-level client reads.
    await applyTemplate(template, optionsFor(ids, {
      log: (line) => lines.push(line),
      cloudFormationEnvironment: { AWS_ENDPOINT_URL_IVSCHAT: other.endpoint },
    }));

    expect(standIn.calls()).toEqual([]);
    expect(other.rooms()).toHaveLength(1);
  } finally {
    await other.stop();
  }
  expect(lines.filter((line) => line.includes('"RequestType":"Create"'))).toHaveLength(2);
  expect(lines.join('\n')).not.toContain('X-Amz-Signature');
  // process.env is put back after each invocation
  expect(process.env.CDK_IVS_CHAT_TEST_RESPONSE_URL_PREFIX).toBeUndefined();
});
