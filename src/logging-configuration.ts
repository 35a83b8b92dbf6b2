import { IResource, ITaggable, Lazy, RemovalPolicy, Resource, TagManager, TagType } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { LoggingDestination } from './logging-destination';
import { LIMITS } from './private/constants';
import {
  ATTR_ARN, ATTR_ID, LOGGING_CONFIGURATION_RESOURCE_TYPE, LoggingConfigurationResourceProperties, Rendered,
} from './private/contract';
import { childPath } from './private/errors';
import { ivsChatMetric } from './private/metrics';
import { IvsChatProvider } from './private/provider';
import { parseImportedArn, validateName, validateTags } from './private/validation';

/**
 * What the provider calls to create and update logging configurations; what a Delete needs (Get, Delete, Untag,
 * ListRooms) the provider always holds, and create and update use it too.
 */
const PROVIDER_LOGGING_CONFIGURATION_CREATE_ACTIONS = [
  'ivschat:CreateLoggingConfiguration', 'ivschat:UpdateLoggingConfiguration', 'ivschat:TagResource',
];
/** What creating or updating a configuration does in CloudWatch Logs' vended-log delivery (the delete-side ones the provider always holds). */
const LOG_DELIVERY_CREATE_ACTIONS = ['logs:CreateLogDelivery', 'logs:UpdateLogDelivery'];
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

  /** Records IVS Chat could not deliver to the destination, for any reason (`LogDestinationErrors`). */
  metricLogDestinationErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Records IVS Chat could not deliver because the destination denied access (`LogDestinationAccessDeniedError`). */
  metricLogDestinationAccessDeniedErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Records IVS Chat could not deliver because the destination does not exist (`LogDestinationResourceNotFoundErrors`). */
  metricLogDestinationResourceNotFoundErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/**
 * What owned and imported logging configurations share: their metrics.
 */
export abstract class LoggingConfigurationBase extends Resource implements ILoggingConfiguration {
  public abstract readonly loggingConfigurationArn: string;
  public abstract readonly loggingConfigurationId: string;

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
    return ivsChatMetric({ metricName, dimensionsMap: { LoggingConfiguration: this.loggingConfigurationArn }, env: this.env }, props);
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
export class LoggingConfiguration extends LoggingConfigurationBase implements ITaggable {
  /**
   * Imports a logging configuration by its ARN,
   * `arn:<partition>:ivschat:<region>:<account>:logging-configuration/<id>`.
   */
  public static fromLoggingConfigurationArn(scope: Construct, id: string, loggingConfigurationArn: string): ILoggingConfiguration {
    const loggingConfigurationId = parseImportedArn(childPath(scope, id), loggingConfigurationArn, 'logging-configuration', 'loggingConfigurationArn');
    class Import extends LoggingConfigurationBase {
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
    provider.allowOwned('logging-configuration', PROVIDER_LOGGING_CONFIGURATION_CREATE_ACTIONS);
    // Log-delivery actions support no resource-level permissions: IAM takes only '*'.
    provider.addStatementOnce({
      key: 'logging-log-delivery',
      statement: () => new iam.PolicyStatement({ actions: LOG_DELIVERY_CREATE_ACTIONS, resources: ['*'] }),
      wildcard: {
        reason: 'IVS Chat logging makes the caller set up a CloudWatch Logs log delivery; the logs:*LogDelivery* actions support no resource-level permissions.',
        appliesTo: ['Resource::*'],
      },
    });

    const destination = props.destination._bind(this);
    destination.providerStatements.forEach((statement) => provider.addStatementOnce(statement));
    if (destination.resourcePolicy) {
      const { holder, statements } = destination.resourcePolicy;
      statements.forEach((statement) => holder.addToResourcePolicy(statement));
    }
    const properties: Rendered<LoggingConfigurationResourceProperties> = {
      Name: props.loggingConfigurationName || undefined,
      DestinationConfiguration: destination.destinationConfiguration,
      Tags: Lazy.any({ produce: () => this.tags.renderTags() }),
    };
    const resource = provider.newResource(this, LOGGING_CONFIGURATION_RESOURCE_TYPE, { ...properties }, props.removalPolicy);
    // Log delivery checks the destination when the configuration is created: it must exist by then.
    resource.node.addDependency(destination.dependable);

    this.loggingConfigurationArn = resource.getAttString(ATTR_ARN);
    this.loggingConfigurationId = resource.getAttString(ATTR_ID);
  }
}
