import {
  Arn, ArnFormat, Duration, IResource, ITaggable, Lazy, RemovalPolicy, Resource, Stack, TagManager, TagType, Token,
} from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { ATTR_ARN, ATTR_ID, LIMITS, LOGGING_CONFIGURATION_RESOURCE_TYPE } from './private/constants';
import { childPath, ValidationError } from './private/errors';
import { IvsChatProvider } from './private/provider';
import { parseImportedArn, validateName, validateSamePlacement, validateTags } from './private/validation';

/** What the provider calls on logging configurations: nothing else. */
const PROVIDER_LOGGING_CONFIGURATION_ACTIONS = [
  'ivschat:CreateLoggingConfiguration', 'ivschat:GetLoggingConfiguration', 'ivschat:UpdateLoggingConfiguration',
  'ivschat:DeleteLoggingConfiguration', 'ivschat:TagResource', 'ivschat:UntagResource',
];
/** What creating, updating or deleting a configuration does in CloudWatch Logs' vended-log delivery, for any destination. */
const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries',
];
/** What log delivery to a CloudWatch Logs log group needs: it adds an account-level resource policy. */
const CLOUDWATCH_LOGS_DESTINATION_ACTIONS = ['logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups'];

/** Destination name limits of the IVS Chat API (service model). */
const DESTINATION_NAMES = {
  bucket: { min: 3, max: 63, pattern: /^[a-z0-9-.]+$/ },
  logGroup: { min: 1, max: 512, pattern: /^[\.\-_/#A-Za-z0-9]+$/ },
  deliveryStream: { min: 1, max: 64, pattern: /^[a-zA-Z0-9_.-]+$/ },
};

/**
 * An Amazon IVS Chat logging configuration, made in this stack or imported.
 */
export interface ILoggingConfiguration extends IResource {
  /**
   * The logging configuration's ARN.
   * @attribute
   */
  readonly loggingConfigurationArn: string;

  /**
   * The logging configuration's 12-character id.
   * @attribute
   */
  readonly loggingConfigurationId: string;
}

/**
 * Where a logging configuration sends the messages and events of its rooms: an S3 bucket, a CloudWatch Logs
 * log group or a Firehose delivery stream.
 *
 * Setting up the delivery changes the destination's resource policy (S3 bucket policy, CloudWatch Logs resource
 * policy) or tags it (Firehose), so the library grants the provider exactly what the destination type needs.
 */
export abstract class LoggingDestination {
  /**
   * Logs to an S3 bucket. Log delivery needs a bucket policy statement for `delivery.logs.amazonaws.com`: for a
   * bucket of this app the library adds it to the bucket policy CloudFormation manages (so later changes keep it);
   * for an imported bucket the service appends it, and the policy must not use `NotAction` or `NotPrincipal`.
   *
   * @param bucket the bucket; its name must be 3-63 characters of `a-z`, `0-9`, `-` and `.`
   */
  public static s3(bucket: s3.IBucket): LoggingDestination {
    validateDestinationName(bucket, 'bucketName', bucket.bucketName, DESTINATION_NAMES.bucket);
    return new S3Destination(bucket);
  }

  /**
   * Logs to a CloudWatch Logs log group, in the logging configuration's account and region.
   *
   * @param logGroup the log group; its name must be 1-512 characters of letters, digits, `.`, `-`, `_`, `/` and `#`
   */
  public static cloudWatchLogs(logGroup: logs.ILogGroup): LoggingDestination {
    validateDestinationName(logGroup, 'logGroupName', logGroup.logGroupName, DESTINATION_NAMES.logGroup);
    return new CloudWatchLogsDestination(logGroup);
  }

  /**
   * Logs to an Amazon Data Firehose delivery stream, in the logging configuration's account and region. Log
   * delivery tags the stream `LogDeliveryEnabled=true`.
   *
   * @param deliveryStream the stream; its name must be 1-64 characters of letters, digits, `_`, `.` and `-`
   */
  public static firehose(deliveryStream: firehose.IDeliveryStream): LoggingDestination {
    validateDestinationName(deliveryStream, 'deliveryStreamName', deliveryStream.deliveryStreamName, DESTINATION_NAMES.deliveryStream);
    return new FirehoseDestination(deliveryStream);
  }

  /**
   * Renders this destination's `DestinationConfiguration` and grants the provider in `scope`'s stack what log
   * delivery to it needs; returns what the custom resource must depend on.
   * @internal
   */
  public abstract _bind(scope: Construct): {
    readonly destinationConfiguration: { [type: string]: { [key: string]: string } };
    readonly dependable: IConstruct;
  };
}

class S3Destination extends LoggingDestination {
  constructor(private readonly bucket: s3.IBucket) {
    super();
  }

  public _bind(scope: Construct) {
    const provider = IvsChatProvider.of(scope);
    // The delivery reads the bucket policy and adds its own statement to it.
    provider.addStatementOnce(`logging-s3:${this.bucket.bucketArn}`, () => new iam.PolicyStatement({
      actions: ['s3:GetBucketPolicy', 's3:PutBucketPolicy'],
      resources: [this.bucket.bucketArn],
    }));
    this.allowLogDelivery(scope);
    return { destinationConfiguration: { S3: { BucketName: this.bucket.bucketName } }, dependable: this.bucket };
  }

  /**
   * Puts log delivery's own statements in a bucket policy this stack manages, so a later change to that
   * policy keeps them (an imported bucket's policy is left to the service).
   */
  private allowLogDelivery(scope: Construct): void {
    const stack = Stack.of(scope);
    const principal = new iam.ServicePrincipal('delivery.logs.amazonaws.com');
    const source = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'logs', resource: '*', arnFormat: ArnFormat.NO_RESOURCE_NAME }) },
    };
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AWSLogDeliveryWrite',
      principals: [principal],
      actions: ['s3:PutObject'],
      resources: [this.bucket.arnForObjects(`AWSLogs/${stack.account}/*`)],
      conditions: { ...source, StringEquals: { ...source.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    }));
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AWSLogDeliveryAclCheck',
      principals: [principal],
      actions: ['s3:GetBucketAcl'],
      resources: [this.bucket.bucketArn],
      conditions: source,
    }));
  }
}

class CloudWatchLogsDestination extends LoggingDestination {
  constructor(private readonly logGroup: logs.ILogGroup) {
    super();
  }

  public _bind(scope: Construct) {
    checkSameEnvironment(scope, this.logGroup, this.logGroup.logGroupArn, 'log group');
    const provider = IvsChatProvider.of(scope);
    // Delivery reads and writes the account-wide AWSLogDeliveryWrite resource policy and lists log groups: no one log group's ARN, so '*'.
    provider.addStatementOnce('logging-cloudwatch-logs', () => new iam.PolicyStatement({
      actions: CLOUDWATCH_LOGS_DESTINATION_ACTIONS,
      resources: ['*'],
    }), {
      reason: 'Log delivery to CloudWatch Logs writes the account\'s logs resource policy (PutResourcePolicy / DescribeResourcePolicies / DescribeLogGroups), which IAM does not scope to a log group.',
      appliesTo: ['Resource::*'],
    });
    return { destinationConfiguration: { CloudWatchLogs: { LogGroupName: this.logGroup.logGroupName } }, dependable: this.logGroup };
  }
}

class FirehoseDestination extends LoggingDestination {
  constructor(private readonly deliveryStream: firehose.IDeliveryStream) {
    super();
  }

  public _bind(scope: Construct) {
    checkSameEnvironment(scope, this.deliveryStream, this.deliveryStream.deliveryStreamArn, 'delivery stream');
    const provider = IvsChatProvider.of(scope);
    const stack = Stack.of(scope);
    // The delivery tags the stream LogDeliveryEnabled=true.
    provider.addStatementOnce(`logging-firehose:${this.deliveryStream.deliveryStreamArn}`, () => new iam.PolicyStatement({
      actions: ['firehose:TagDeliveryStream'],
      resources: [this.deliveryStream.deliveryStreamArn],
    }));
    // The first Firehose delivery in an account creates the log-delivery service-linked role.
    provider.addStatementOnce('logging-firehose-service-linked-role', () => new iam.PolicyStatement({
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [stack.formatArn({
        service: 'iam',
        region: '',
        resource: 'role',
        resourceName: 'aws-service-role/delivery.logs.amazonaws.com/AWSServiceRoleForLogDelivery',
      })],
      conditions: { StringEquals: { 'iam:AWSServiceName': 'delivery.logs.amazonaws.com' } },
    }));
    return {
      destinationConfiguration: { Firehose: { DeliveryStreamName: this.deliveryStream.deliveryStreamName } },
      dependable: this.deliveryStream,
    };
  }
}

/**
 * Properties of a logging configuration.
 */
export interface LoggingConfigurationProps {
  /**
   * Where the messages and events of the configuration's rooms go.
   */
  readonly destination: LoggingDestination;

  /**
   * The configuration's name: up to 128 letters, digits, `-` and `_`; need not be unique.
   * @default - no name
   */
  readonly loggingConfigurationName?: string;

  /**
   * What happens to the configuration when it leaves the stack: `DESTROY` deletes it, `RETAIN` keeps it.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An Amazon IVS Chat logging configuration: records the messages and events of the rooms that use it
 * (`RoomProps.loggingConfigurations`) to an S3 bucket, a CloudWatch Logs log group or a Firehose delivery
 * stream. Created through a custom resource that calls the IVS Chat API and waits until it is ACTIVE.
 *
 * @resource Custom::IvsChatLoggingConfiguration
 */
export class LoggingConfiguration extends Resource implements ILoggingConfiguration, ITaggable {
  /**
   * Imports a logging configuration by its ARN,
   * `arn:<partition>:ivschat:<region>:<account>:logging-configuration/<id>`.
   */
  public static fromLoggingConfigurationArn(scope: Construct, id: string, loggingConfigurationArn: string): ILoggingConfiguration {
    const loggingConfigurationId = parseImportedArn(childPath(scope, id), loggingConfigurationArn, 'logging-configuration', 'loggingConfigurationArn');
    class Import extends Resource implements ILoggingConfiguration {
      public readonly loggingConfigurationArn = loggingConfigurationArn;
      public readonly loggingConfigurationId = loggingConfigurationId;
    }
    return new Import(scope, id, { environmentFromArn: loggingConfigurationArn });
  }

  /** The logging configuration's ARN. */
  public readonly loggingConfigurationArn: string;

  /** The logging configuration's 12-character id. */
  public readonly loggingConfigurationId: string;

  /** Tags of the logging configuration, applied through `Tags.of()`. */
  public readonly tags: TagManager;

  constructor(scope: Construct, id: string, props: LoggingConfigurationProps) {
    super(scope, id);
    validateName(this, 'loggingConfigurationName', props.loggingConfigurationName, LIMITS.nameMaxLength, LIMITS.namePattern);

    this.tags = new TagManager(TagType.MAP, LOGGING_CONFIGURATION_RESOURCE_TYPE);
    this.node.addValidation({ validate: () => validateTags('logging configuration', this.tags.tagValues()) });

    const provider = IvsChatProvider.of(this);
    provider.allowOnAll('logging-configuration', PROVIDER_LOGGING_CONFIGURATION_ACTIONS);
    // Log-delivery actions support no resource-level permissions: IAM takes only '*'.
    provider.addStatementOnce('logging-log-delivery', () => new iam.PolicyStatement({
      actions: LOG_DELIVERY_ACTIONS,
      resources: ['*'],
    }), {
      reason: 'IVS Chat logging makes the caller set up a CloudWatch Logs log delivery; the logs:*LogDelivery* actions support no resource-level permissions.',
      appliesTo: ['Resource::*'],
    });
    // ListRooms (naming the rooms that block a delete) has no resource type: '*', held to this stack's region.
    provider.addStatementOnce('logging-list-rooms', () => new iam.PolicyStatement({
      actions: ['ivschat:ListRooms'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:RequestedRegion': Stack.of(this).region } },
    }), {
      reason: 'ListRooms, used only to name the rooms that still hold a configuration being deleted, takes no resource; it is held to this stack\'s region.',
      appliesTo: ['Resource::*'],
    });

    const destination = props.destination._bind(this);
    const resource = provider.newResource(this, LOGGING_CONFIGURATION_RESOURCE_TYPE, {
      Name: props.loggingConfigurationName || undefined,
      DestinationConfiguration: destination.destinationConfiguration,
      Tags: Lazy.any({ produce: () => this.tags.renderTags() }),
    }, props.removalPolicy);
    // Log delivery checks the destination when the configuration is created: it must exist by then.
    resource.node.addDependency(destination.dependable);

    this.loggingConfigurationArn = resource.getAttString(ATTR_ARN);
    this.loggingConfigurationId = resource.getAttString(ATTR_ID);
  }

  /**
   * Records IVS Chat could not deliver to the destination, for any reason (`LogDestinationErrors`).
   *
   * @default - sum over 5 minutes
   */
  public metricLogDestinationErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('LogDestinationErrors', props);
  }

  /**
   * Records IVS Chat could not deliver because the destination denied access (`LogDestinationAccessDeniedError`).
   *
   * @default - sum over 5 minutes
   */
  public metricLogDestinationAccessDeniedErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('LogDestinationAccessDeniedError', props);
  }

  /**
   * Records IVS Chat could not deliver because the destination does not exist (`LogDestinationResourceNotFoundErrors`).
   *
   * @default - sum over 5 minutes
   */
  public metricLogDestinationResourceNotFoundErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('LogDestinationResourceNotFoundErrors', props);
  }

  private metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/IVSChat',
      metricName,
      dimensionsMap: { LoggingConfiguration: this.loggingConfigurationArn },
      statistic: cloudwatch.Stats.SUM,
      period: Duration.minutes(5),
      region: this.env.region,
      account: this.env.account,
      ...props,
    });
  }
}

/** Checks a destination name against the API's limits, unless it is a token. */
function validateDestinationName(scope: IConstruct, property: string, value: string, limits: { min: number; max: number; pattern: RegExp }): void {
  if (Token.isUnresolved(value)) return;
  if (value.length < limits.min || value.length > limits.max) {
    throw new ValidationError(scope, `\`${property}\` of a logging destination must be ${limits.min}-${limits.max} characters. ` +
      `Received ${value.length} characters: "${value}"`);
  }
  if (!limits.pattern.test(value)) {
    throw new ValidationError(scope, `\`${property}\` of a logging destination must match ${limits.pattern.source}. Received "${value}"`);
  }
}

/** The API takes only a log group or stream name, which it looks up in the configuration's own account and region. */
function checkSameEnvironment(scope: Construct, destination: IResource, destinationArn: string, what: string): void {
  // Some imports (e.g. fromDeliveryStreamArn) keep the stack's env: a literal ARN says where the resource really is.
  const theirs = Token.isUnresolved(destinationArn) ? destination.env : Arn.split(destinationArn, ArnFormat.NO_RESOURCE_NAME);
  validateSamePlacement(scope, Stack.of(scope), theirs, (field, mine, other) =>
    `A logging configuration's ${what} must be in its ${field} (${mine}). Received ${destination.node.path} in ${field} ${other}`);
}
