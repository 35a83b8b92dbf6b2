// The contract between the constructs and the provider handler: what a construct renders is what the handler
// parses. Free of aws-cdk-lib, so the handler bundle imports it too. Change a name here and both sides follow.

/** CloudFormation resource type of a room. */
export const ROOM_RESOURCE_TYPE = 'Custom::IvsChatRoom';
/** CloudFormation resource type of a logging configuration. */
export const LOGGING_CONFIGURATION_RESOURCE_TYPE = 'Custom::IvsChatLoggingConfiguration';

/** `Fn::GetAtt` attribute holding the resource's ARN. */
export const ATTR_ARN = 'Arn';
/** `Fn::GetAtt` attribute holding the resource's 12-character id. */
export const ATTR_ID = 'Id';
/** `Fn::GetAtt` attribute holding a logging configuration's state, as GetLoggingConfiguration reported it. */
export const ATTR_STATE = 'State';

/** Start of the physical id a failed Create reports when the service made nothing it knows of. */
export const FAILED_CREATE_PREFIX = 'failed-create-';

/**
 * Tag the provider puts on every resource it creates, naming the CloudFormation request (hashed): how a rollback
 * finds what a failed or unanswered create made. With the ownership tag it takes two of the API's 50 tags, so
 * users get 48, and no tag diff ever removes it.
 */
export const MARKER_TAG_KEY = 'cdk-ivs-chat:cfn-request';

/**
 * Tag the provider puts on every resource it creates, valued with its stack's id (`AWS::StackId`): the provider's
 * role may update, delete, tag, untag and read only resources carrying it with its own stack's value (IAM
 * `aws:ResourceTag`). Like the marker it counts toward the API's 50 tags and no tag diff ever touches it.
 */
export const OWNER_TAG_KEY = 'cdk-ivs-chat:stack';

/** Tag keys the provider manages itself: no construct property and no tag diff may set or remove them. */
export const PROVIDER_TAG_KEYS: readonly string[] = [MARKER_TAG_KEY, OWNER_TAG_KEY];

/**
 * Environment variable (tests only; the construct never sets it): a ResponseURL starting with its value is
 * accepted besides CloudFormation's https response bucket, so tests can answer to a local server.
 */
export const TEST_RESPONSE_URL_PREFIX_ENV = 'CDK_IVS_CHAT_TEST_RESPONSE_URL_PREFIX';

/** A room's review handler, as the construct renders it. */
export interface ReviewHandlerResourceProperties {
  /** The function's ARN. */
  readonly Uri: string;
  /** `ALLOW` or `DENY`. */
  readonly FallbackResult: string;
}

/**
 * A room's custom-resource properties, as the construct renders them. CloudFormation hands them to the
 * handler with every number turned into a string.
 */
export interface RoomResourceProperties {
  readonly Name?: string;
  readonly MaximumMessageLength?: number;
  readonly MaximumMessageRatePerSecond?: number;
  readonly MessageReviewHandler?: ReviewHandlerResourceProperties;
  /** Logging-configuration ARNs. */
  readonly LoggingConfigurationIdentifiers?: string[];
  readonly Tags?: Record<string, string>;
}

/** A destination type and the key of the destination's name inside it: `{ S3: { BucketName } }`. */
export const DESTINATION_NAME_KEYS = {
  S3: 'BucketName',
  CloudWatchLogs: 'LogGroupName',
  Firehose: 'DeliveryStreamName',
} as const;

/** The three kinds of destination, as `DestinationConfiguration` names them. */
export type DestinationType = keyof typeof DESTINATION_NAME_KEYS;

/** `DestinationConfiguration`: exactly one destination type, holding the destination's name. */
export type DestinationResourceProperties = {
  readonly [T in DestinationType]?: { readonly [K in (typeof DESTINATION_NAME_KEYS)[T]]: string };
};

/** A logging configuration's custom-resource properties, as the construct renders them. */
export interface LoggingConfigurationResourceProperties {
  readonly Name?: string;
  readonly DestinationConfiguration: DestinationResourceProperties;
  readonly Tags?: Record<string, string>;
}

/** Every key of `T`, each spelled once: `key.Name === 'Name'`, checked by the compiler. */
type Keys<T> = { readonly [K in keyof Required<T>]: K };

/** Room property names, for code that must name one (overrides, error messages). */
export const ROOM_PROPERTY: Keys<RoomResourceProperties> = {
  Name: 'Name',
  MaximumMessageLength: 'MaximumMessageLength',
  MaximumMessageRatePerSecond: 'MaximumMessageRatePerSecond',
  MessageReviewHandler: 'MessageReviewHandler',
  LoggingConfigurationIdentifiers: 'LoggingConfigurationIdentifiers',
  Tags: 'Tags',
};

/** Review handler property names, inside `MessageReviewHandler`. */
export const REVIEW_HANDLER_PROPERTY: Keys<ReviewHandlerResourceProperties> = {
  Uri: 'Uri',
  FallbackResult: 'FallbackResult',
};

/** Destination type names, for code that must name one. */
export const DESTINATION_TYPE: Keys<typeof DESTINATION_NAME_KEYS> = { S3: 'S3', CloudWatchLogs: 'CloudWatchLogs', Firehose: 'Firehose' };

/** Logging configuration property names. */
export const LOGGING_CONFIGURATION_PROPERTY: Keys<LoggingConfigurationResourceProperties> = {
  Name: 'Name',
  DestinationConfiguration: 'DestinationConfiguration',
  Tags: 'Tags',
};

/** What the handler receives for `T`: the same keys, any value (CloudFormation turns numbers into strings). */
export type Received<T> = { readonly [K in keyof T]?: unknown } & { readonly [key: string]: unknown };

/** A value CloudFormation fills in at deploy time (aws-cdk-lib's `IResolvable`, seen structurally). */
interface DeployTimeValue {
  resolve(context: never): unknown;
}

/** What a construct renders for `T`: each value as `T` says, or one resolved at deploy time. */
export type Rendered<T> = { readonly [K in keyof T]: T[K] | DeployTimeValue };
