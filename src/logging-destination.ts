import { Arn, ArnFormat, IResource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { DESTINATION_NAME_KEYS, DESTINATION_TYPE, DestinationResourceProperties, DestinationType } from './private/contract';
import type { DestinationBinding } from './private/destination-binding';
import { ValidationError } from './private/errors';
import type { ProviderStatement } from './private/provider';
import { validateSamePlacement } from './private/validation';

/** Destination name limits of the IVS Chat API (service model). */
const DESTINATION_NAMES = {
  bucket: { min: 3, max: 63, pattern: /^[a-z0-9-.]+$/ },
  logGroup: { min: 1, max: 512, pattern: /^[\.\-_/#A-Za-z0-9]+$/ },
  deliveryStream: { min: 1, max: 64, pattern: /^[a-zA-Z0-9_.-]+$/ },
};

/** What log delivery to a CloudWatch Logs log group needs: it adds an account-level resource policy. */
const CLOUDWATCH_LOGS_DESTINATION_ACTIONS = ['logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups'];

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
   * What a logging configuration in `scope` needs to log here: the rendered destination, the dependency, the
   * provider's statements and the destination-policy statements. Applies nothing itself.
   * @internal
   */
  public abstract _bind(scope: Construct): DestinationBinding;
}

/** `{ S3: { BucketName: name } }` and the like. */
function renderDestination(type: DestinationType, name: string): DestinationResourceProperties {
  return { [type]: { [DESTINATION_NAME_KEYS[type]]: name } } as DestinationResourceProperties;
}

class S3Destination extends LoggingDestination {
  constructor(private readonly bucket: s3.IBucket) {
    super();
  }

  public _bind(scope: Construct): DestinationBinding {
    return {
      destinationConfiguration: renderDestination(DESTINATION_TYPE.S3, this.bucket.bucketName),
      dependable: this.bucket,
      providerStatements: [{
        // The delivery reads the bucket policy and adds its own statement to it.
        key: `logging-s3:${this.bucket.bucketArn}`,
        statement: () => new iam.PolicyStatement({ actions: ['s3:GetBucketPolicy', 's3:PutBucketPolicy'], resources: [this.bucket.bucketArn] }),
      }],
      // In a bucket policy this stack manages, so a later change to that policy keeps them (an imported
      // bucket's policy is left to the service).
      resourcePolicy: { holder: this.bucket, statements: this.logDeliveryStatements(Stack.of(scope)) },
    };
  }

  /** Log delivery's own bucket-policy statements. */
  private logDeliveryStatements(stack: Stack): iam.PolicyStatement[] {
    const principal = new iam.ServicePrincipal('delivery.logs.amazonaws.com');
    const source = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'logs', resource: '*', arnFormat: ArnFormat.NO_RESOURCE_NAME }) },
    };
    return [
      new iam.PolicyStatement({
        sid: 'AWSLogDeliveryWrite',
        principals: [principal],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`AWSLogs/${stack.account}/*`)],
        conditions: { ...source, StringEquals: { ...source.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' } },
      }),
      new iam.PolicyStatement({
        sid: 'AWSLogDeliveryAclCheck',
        principals: [principal],
        actions: ['s3:GetBucketAcl'],
        resources: [this.bucket.bucketArn],
        conditions: source,
      }),
    ];
  }
}

/**
 * A destination the API names only by its name, which it looks up in the configuration's own account and
 * region: CloudWatch Logs and Firehose.
 */
abstract class NamedInPlaceDestination extends LoggingDestination {
  constructor(
    private readonly type: DestinationType,
    private readonly resource: IResource,
    private readonly resourceArn: string,
    private readonly name: string,
    private readonly what: string,
  ) {
    super();
  }

  public _bind(scope: Construct): DestinationBinding {
    this.checkSameEnvironment(scope);
    return {
      destinationConfiguration: renderDestination(this.type, this.name),
      dependable: this.resource,
      providerStatements: this.providerStatements(Stack.of(scope)),
    };
  }

  /** What the provider needs for delivery to this kind of destination. */
  protected abstract providerStatements(stack: Stack): ProviderStatement[];

  private checkSameEnvironment(scope: Construct): void {
    // Some imports (e.g. fromDeliveryStreamArn) keep the stack's env: a literal ARN says where the resource really is.
    const theirs = Token.isUnresolved(this.resourceArn) ? this.resource.env : Arn.split(this.resourceArn, ArnFormat.NO_RESOURCE_NAME);
    validateSamePlacement(scope, Stack.of(scope), theirs, (field, mine, other) =>
      `A logging configuration's ${this.what} must be in its ${field} (${mine}). Received ${this.resource.node.path} in ${field} ${other}`);
  }
}

class CloudWatchLogsDestination extends NamedInPlaceDestination {
  constructor(logGroup: logs.ILogGroup) {
    super(DESTINATION_TYPE.CloudWatchLogs, logGroup, logGroup.logGroupArn, logGroup.logGroupName, 'log group');
  }

  protected providerStatements(): ProviderStatement[] {
    // Delivery reads and writes the account-wide AWSLogDeliveryWrite resource policy and lists log groups: no one log group's ARN, so '*'.
    return [{
      key: 'logging-cloudwatch-logs',
      statement: () => new iam.PolicyStatement({ actions: CLOUDWATCH_LOGS_DESTINATION_ACTIONS, resources: ['*'] }),
      wildcard: {
        reason: 'Log delivery to CloudWatch Logs writes the account\'s logs resource policy (PutResourcePolicy / DescribeResourcePolicies / DescribeLogGroups), which IAM does not scope to a log group.',
        appliesTo: ['Resource::*'],
      },
    }];
  }
}

class FirehoseDestination extends NamedInPlaceDestination {
  constructor(private readonly deliveryStream: firehose.IDeliveryStream) {
    super(DESTINATION_TYPE.Firehose, deliveryStream, deliveryStream.deliveryStreamArn, deliveryStream.deliveryStreamName, 'delivery stream');
  }

  protected providerStatements(stack: Stack): ProviderStatement[] {
    return [{
      // The delivery tags the stream LogDeliveryEnabled=true.
      key: `logging-firehose:${this.deliveryStream.deliveryStreamArn}`,
      statement: () => new iam.PolicyStatement({ actions: ['firehose:TagDeliveryStream'], resources: [this.deliveryStream.deliveryStreamArn] }),
    }, {
      // The first Firehose delivery in an account creates the log-delivery service-linked role.
      key: 'logging-firehose-service-linked-role',
      statement: () => new iam.PolicyStatement({
        actions: ['iam:CreateServiceLinkedRole'],
        resources: [stack.formatArn({
          service: 'iam',
          region: '',
          resource: 'role',
          resourceName: 'aws-service-role/delivery.logs.amazonaws.com/AWSServiceRoleForLogDelivery',
        })],
        conditions: { StringEquals: { 'iam:AWSServiceName': 'delivery.logs.amazonaws.com' } },
      }),
    }];
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
