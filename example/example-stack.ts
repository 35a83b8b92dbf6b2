import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  ChatTokenCapability, ChatTokenVendor, FallbackResult, LoggingConfiguration, LoggingDestination, Room,
} from '../src';

/** The example app's stack; the snapshot test pins its template. */
export class ExampleChatStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    Tags.of(this).add('project', 'cdk-ivs-chat-example');

    // Chat logs: one room to S3, another to CloudWatch Logs.
    const logBucket = new s3.Bucket(this, 'ChatLogBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    NagSuppressions.addResourceSuppressions(logBucket, [{
      id: 'AwsSolutions-S1',
      reason: 'Written only by the IVS Chat log delivery service; server access logs would need another bucket, which this example leaves out.',
    }]);
    const s3Logging = new LoggingConfiguration(this, 'S3Logging', {
      loggingConfigurationName: 'lobby-to-s3',
      destination: LoggingDestination.s3(logBucket),
    });
    const logGroup = new logs.LogGroup(this, 'ChatLogGroup', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logsLogging = new LoggingConfiguration(this, 'CloudWatchLogging', {
      loggingConfigurationName: 'support-to-cloudwatch',
      destination: LoggingDestination.cloudWatchLogs(logGroup),
    });

    // A review handler of the example's own: denies messages containing a blocked word.
    // Its own role that logs only to its own log group: no AWS managed policy.
    const reviewHandlerLogs = new logs.LogGroup(this, 'ReviewHandlerLogs', {
      retention: logs.RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const reviewHandlerRole = new iam.Role(this, 'ReviewHandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    reviewHandlerLogs.grantWrite(reviewHandlerRole);
    const reviewHandler = new lambda.Function(this, 'ReviewHandler', {
      role: reviewHandlerRole,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(path.join(__dirname, 'review-handler')),
      timeout: Duration.seconds(1),
      environment: { BLOCKED_WORDS: 'spoiler,scam' },
      logGroup: reviewHandlerLogs,
    });

    const lobby = new Room(this, 'LobbyRoom', {
      roomName: 'lobby',
      maximumMessageLength: 300,
      maximumMessageRatePerSecond: 20,
      messageReviewHandler: { handler: reviewHandler, fallbackResult: FallbackResult.DENY },
      loggingConfigurations: [s3Logging],
    });
    new Room(this, 'SupportRoom', {
      roomName: 'support',
      loggingConfigurations: [logsLogging],
    });

    // A back end of your own that hands out tokens for the lobby.
    const backendRole = new iam.Role(this, 'ChatBackendRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Example back end allowed to create chat tokens for the lobby',
    });
    lobby.grantCreateChatToken(backendRole);

    // Or the library's token vendor, behind an IAM-authenticated function URL.
    const vendor = new ChatTokenVendor(this, 'LobbyTokens', {
      rooms: [lobby],
      capabilities: [ChatTokenCapability.SEND_MESSAGE],
      sessionDuration: Duration.minutes(30),
    });
    vendor.addFunctionUrl({ allowedOrigins: ['https://chat.example.com'] });
  }
}
