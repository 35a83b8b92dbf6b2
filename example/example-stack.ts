import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
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

    // Or the library's token vendor: people sign in to a Cognito user pool; the vendor verifies their bearer token
    // itself on every request (an event's claims prove nothing), takes the userId (`sub`) and display name from it,
    // and gives members of the pool's `moderators` group the moderation capabilities.
    const users = new cognito.UserPool(this, 'ChatUsers', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    NagSuppressions.addResourceSuppressions(users, [{
      id: 'AwsSolutions-COG2',
      reason: 'MFA is optional (TOTP) in this example so that viewers can sign in without a second factor; a production pool may require it.',
    }, {
      id: 'AwsSolutions-COG8',
      reason: 'The Plus feature plan (threat protection) is a paid feature this example leaves out.',
    }]);
    const webClient = users.addClient('ChatWebClient', {
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
    });
    new cognito.CfnUserPoolGroup(this, 'Moderators', {
      userPoolId: users.userPoolId,
      groupName: 'moderators',
      description: 'Chat moderators: may delete messages and disconnect users',
    });

    const vendor = new ChatTokenVendor(this, 'LobbyTokens', {
      rooms: [lobby],
      userPool: users,
      userPoolClients: [webClient],
      capabilities: [ChatTokenCapability.SEND_MESSAGE],
      groupCapabilities: { moderators: [ChatTokenCapability.DELETE_MESSAGE, ChatTokenCapability.DISCONNECT_USER] },
      attributesFromClaims: { displayName: 'name' },
      sessionDuration: Duration.minutes(30),
      allowedOrigins: ['https://chat.example.com'],
    });

    const accessLogs = new logs.LogGroup(this, 'ChatApiAccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // The HTTP API answers the browser's CORS preflight and replaces the vendor's CORS headers with these:
    // a page reads a 429's Retry-After only if it is exposed.
    const api = new apigwv2.HttpApi(this, 'ChatApi', {
      description: 'Chat tokens for signed-in users',
      corsPreflight: {
        allowOrigins: ['https://chat.example.com'],
        allowMethods: [apigwv2.CorsHttpMethod.POST],
        allowHeaders: ['authorization', 'content-type'],
        exposeHeaders: ['retry-after'],
        maxAge: Duration.minutes(10),
      },
      createDefaultStage: false,
    });
    new apigwv2.HttpStage(this, 'ChatApiStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs) },
    });
    api.addRoutes({
      path: '/chat-token',
      methods: [apigwv2.HttpMethod.POST],
      integration: new HttpLambdaIntegration('ChatTokenIntegration', vendor.handler),
      // An extra filter only: it turns away requests without a valid token before they cost an invocation.
      authorizer: new HttpJwtAuthorizer('ChatUsersAuthorizer', `https://cognito-idp.${this.region}.amazonaws.com/${users.userPoolId}`, {
        jwtAudience: [webClient.userPoolClientId],
      }),
    });
  }
}
