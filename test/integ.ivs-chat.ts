import * as path from 'node:path';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  ChatTokenCapability, ChatTokenVendor, FallbackResult, LoggingConfiguration, LoggingDestination, Room,
} from '../src';

// CI checks this test's snapshot only. With an AWS account, `npx projen integ --force` deploys it, runs the
// assertions below against the real service, and destroys it (see the README's Testing section).
const app = new App();
const stack = new Stack(app, 'IvsChatInteg');
Tags.of(stack).add('integ', 'cdk-ivs-chat');

const bucket = new s3.Bucket(stack, 'LogBucket', { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true, enforceSSL: true });
const logGroup = new logs.LogGroup(stack, 'LogGroup', { removalPolicy: RemovalPolicy.DESTROY });
const stream = new firehose.DeliveryStream(stack, 'Stream', { destination: new firehose.S3Bucket(bucket) });

const toS3 = new LoggingConfiguration(stack, 'ToS3', { destination: LoggingDestination.s3(bucket) });
const toLogs = new LoggingConfiguration(stack, 'ToLogs', {
  loggingConfigurationName: 'integ-logs',
  destination: LoggingDestination.cloudWatchLogs(logGroup),
});
const toFirehose = new LoggingConfiguration(stack, 'ToFirehose', { destination: LoggingDestination.firehose(stream) });
const loggingConfigurations = [toS3, toLogs, toFirehose];

// The end-to-end tests' review handler: masks "darn", denies "scam" with a reason.
const reviewHandler = new lambda.Function(stack, 'ReviewHandler', {
  runtime: lambda.Runtime.NODEJS_24_X,
  handler: 'index.handler',
  code: lambda.Code.fromAsset(path.join(__dirname, 'e2e', 'review-handler')),
  environment: { MASKED_WORDS: 'darn', DENIED_WORDS: 'scam' },
});

new Room(stack, 'DefaultRoom');
const tuned = new Room(stack, 'TunedRoom', {
  roomName: 'integ-tuned',
  maximumMessageLength: 200,
  maximumMessageRatePerSecond: 50,
  messageReviewHandler: { handler: reviewHandler, fallbackResult: FallbackResult.DENY },
  loggingConfigurations,
});

const vendor = new ChatTokenVendor(stack, 'Tokens', {
  rooms: [tuned],
  capabilities: [ChatTokenCapability.SEND_MESSAGE, ChatTokenCapability.DELETE_MESSAGE],
  sessionDuration: Duration.minutes(15),
  // The assertion below invokes the function directly (lambda:InvokeFunction) with the body's userId.
  trustDirectInvocation: true,
});
vendor.addFunctionUrl();

// Joins the tuned room with the chat SDK, sends the payload's content and returns what came back.
const probe = new nodejs.NodejsFunction(stack, 'ChatProbe', {
  entry: path.join(__dirname, 'e2e', 'integ-probe', 'index.ts'),
  runtime: lambda.Runtime.NODEJS_24_X,
  timeout: Duration.seconds(30),
  environment: { ROOM_ARN: tuned.roomArn },
});
tuned.grantCreateChatToken(probe);

const integ = new IntegTest(app, 'IvsChatTest', { testCases: [stack] });

// The room as the service holds it: limits, review handler and logging configurations.
integ.assertions.awsApiCall('ivschat', 'GetRoom', { identifier: tuned.roomArn }).expect(ExpectedResult.objectLike({
  arn: tuned.roomArn,
  name: 'integ-tuned',
  maximumMessageLength: 200,
  maximumMessageRatePerSecond: 50,
  messageReviewHandler: { uri: reviewHandler.functionArn, fallbackResult: 'DENY' },
  loggingConfigurationIdentifiers: loggingConfigurations.map((config) => config.loggingConfigurationArn),
}));

// Every logging configuration finished its log-delivery setup.
for (const config of loggingConfigurations) {
  integ.assertions.awsApiCall('ivschat', 'GetLoggingConfiguration', { identifier: config.loggingConfigurationArn })
    .expect(ExpectedResult.objectLike({ arn: config.loggingConfigurationArn, state: 'ACTIVE' }));
}

// Invoking the vendor directly returns a token.
integ.assertions.invokeFunction({
  functionName: vendor.handler.functionName,
  payload: JSON.stringify({ userId: 'integ-backend', capabilities: ['SEND_MESSAGE'], sessionDurationInMinutes: 5 }),
}).expect(ExpectedResult.objectLike({
  StatusCode: 200,
  Payload: Match.serializedJson(Match.objectLike({
    token: Match.stringLikeRegexp('.+'),
    tokenExpirationTime: Match.stringLikeRegexp('^\\d{4}-\\d{2}-\\d{2}T'),
    sessionExpirationTime: Match.stringLikeRegexp('^\\d{4}-\\d{2}-\\d{2}T'),
  })),
}));

// A real chat client's message goes through the review handler, which rewrites it.
integ.assertions.invokeFunction({
  functionName: probe.functionName,
  payload: JSON.stringify({ content: 'darn it' }),
}).expect(ExpectedResult.objectLike({
  StatusCode: 200,
  Payload: Match.serializedJson(Match.objectLike({
    sent: 'darn it',
    received: Match.objectLike({ content: '**** it', userId: 'integ-probe', attributes: Match.objectLike({ reviewed: 'true' }) }),
  })),
}));
