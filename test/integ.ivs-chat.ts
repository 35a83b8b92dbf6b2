import * as path from 'node:path';
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  ChatTokenCapability, ChatTokenVendor, FallbackResult, LoggingConfiguration, LoggingDestination, Room,
} from '../src';

// Snapshot-only integration test: integ-runner synthesizes it and compares with the committed snapshot.
const app = new App();
const stack = new Stack(app, 'IvsChatInteg');
Tags.of(stack).add('integ', 'cdk-ivs-chat');

const bucket = new s3.Bucket(stack, 'LogBucket', { removalPolicy: RemovalPolicy.DESTROY, enforceSSL: true });
const logGroup = new logs.LogGroup(stack, 'LogGroup', { removalPolicy: RemovalPolicy.DESTROY });
const stream = new firehose.DeliveryStream(stack, 'Stream', { destination: new firehose.S3Bucket(bucket) });

const toS3 = new LoggingConfiguration(stack, 'ToS3', { destination: LoggingDestination.s3(bucket) });
const toLogs = new LoggingConfiguration(stack, 'ToLogs', {
  loggingConfigurationName: 'integ-logs',
  destination: LoggingDestination.cloudWatchLogs(logGroup),
});
const toFirehose = new LoggingConfiguration(stack, 'ToFirehose', { destination: LoggingDestination.firehose(stream) });

const reviewHandler = new lambda.Function(stack, 'ReviewHandler', {
  runtime: lambda.Runtime.NODEJS_24_X,
  handler: 'index.handler',
  code: lambda.Code.fromAsset(path.join(__dirname, '..', 'example', 'review-handler')),
});

new Room(stack, 'DefaultRoom');
const tuned = new Room(stack, 'TunedRoom', {
  roomName: 'integ-tuned',
  maximumMessageLength: 200,
  maximumMessageRatePerSecond: 50,
  messageReviewHandler: { handler: reviewHandler, fallbackResult: FallbackResult.DENY },
  loggingConfigurations: [toS3, toLogs, toFirehose],
});

new ChatTokenVendor(stack, 'Tokens', {
  rooms: [tuned],
  capabilities: [ChatTokenCapability.SEND_MESSAGE, ChatTokenCapability.DELETE_MESSAGE],
  sessionDuration: Duration.minutes(15),
}).addFunctionUrl();

new IntegTest(app, 'IvsChatTest', { testCases: [stack] });
