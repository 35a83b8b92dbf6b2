/**
 * Facts about the Amazon IVS Chat control-plane API (API version 2020-07-14) the stand-in reproduces.
 *
 * Copied from the service model, the API reference and the Service Quotas page so that nothing reads
 * the reference files at test time. Each block names its source.
 */

/** Defaults for the ARNs the stand-in mints (any region/account works; these match the CDK test defaults). */
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT_ID = '123456789012';
export const PARTITION = 'aws';

// ---------------------------------------------------------------------------------------------
// Operations and routes (model: smithy.api#http traits)
// ---------------------------------------------------------------------------------------------

/** Operations the stand-in implements. */
export const OPERATIONS = [
  'CreateRoom',
  'GetRoom',
  'UpdateRoom',
  'DeleteRoom',
  'ListRooms',
  'CreateLoggingConfiguration',
  'GetLoggingConfiguration',
  'UpdateLoggingConfiguration',
  'DeleteLoggingConfiguration',
  'ListLoggingConfigurations',
  'TagResource',
  'UntagResource',
  'ListTagsForResource',
  'CreateChatToken',
] as const;
export type OperationName = typeof OPERATIONS[number];

/** Operations routed as `POST /<OperationName>` with a JSON body. */
export const POST_OPERATIONS: readonly OperationName[] = OPERATIONS.filter(
  (op) => op !== 'TagResource' && op !== 'UntagResource' && op !== 'ListTagsForResource',
);

/** Tag operations live on `/tags/{resourceArn}` and are told apart by the HTTP method. */
export const TAG_ROUTE_PREFIX = '/tags/';
export const TAG_OPERATION_BY_METHOD: Readonly<Record<string, OperationName>> = {
  GET: 'ListTagsForResource',
  POST: 'TagResource',
  DELETE: 'UntagResource',
};

/** DeleteRoom and DeleteLoggingConfiguration answer 204 No Content; everything else 200. */
export const SUCCESS_STATUS: Readonly<Record<OperationName, 200 | 204>> = {
  CreateRoom: 200,
  GetRoom: 200,
  UpdateRoom: 200,
  DeleteRoom: 204,
  ListRooms: 200,
  CreateLoggingConfiguration: 200,
  GetLoggingConfiguration: 200,
  UpdateLoggingConfiguration: 200,
  DeleteLoggingConfiguration: 204,
  ListLoggingConfigurations: 200,
  TagResource: 200,
  UntagResource: 200,
  ListTagsForResource: 200,
  CreateChatToken: 200,
};

/** The SDK signs with SigV4; the stand-in checks the scheme only, never the signature. */
export const SIGV4_AUTHORIZATION_PREFIX = 'AWS4-HMAC-SHA256 Credential=';

// ---------------------------------------------------------------------------------------------
// Errors (model: smithy.api#httpError traits)
// ---------------------------------------------------------------------------------------------

export const ERROR_STATUS = {
  ValidationException: 400,
  ServiceQuotaExceededException: 402,
  AccessDeniedException: 403,
  PendingVerification: 403,
  ResourceNotFoundException: 404,
  ConflictException: 409,
  ThrottlingException: 429,
  InternalServerException: 500,
} as const;
export type ModeledErrorName = keyof typeof ERROR_STATUS;

export const VALIDATION_REASONS = ['UNKNOWN_OPERATION', 'FIELD_VALIDATION_FAILED', 'OTHER'] as const;
export type ValidationReason = typeof VALIDATION_REASONS[number];

/**
 * `resourceType` values. The model's enum lists only ROOM; LOGGING_CONFIGURATION is the stand-in's
 * (assumed) value for errors about logging configurations.
 */
export type ResourceType = 'ROOM' | 'LOGGING_CONFIGURATION';

/** Create/UpdateRoom answer this until a review handler's Lambda permission has propagated (api-facts: Behaviour). */
export const INVALID_LAMBDA_PERMISSION_MESSAGE = 'invalid lambda permission';
export const MESSAGE_REVIEW_HANDLER_URI_FIELD = 'messageReviewHandler.uri';

// ---------------------------------------------------------------------------------------------
// Identifiers (model: RoomArn, LoggingConfigurationArn, RoomID; Service Authorization Reference)
// ---------------------------------------------------------------------------------------------

export const RESOURCE_ID_LENGTH = 12;
export const RESOURCE_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Room ARN, e.g. `arn:aws:ivschat:us-east-1:123456789012:room/AbCdEfGhIjKl`; capture groups: region, account, id. */
export const ROOM_ARN_PATTERN = /^arn:aws:ivschat:([a-z0-9-]+):([0-9]+):room\/([a-zA-Z0-9-]+)$/;
/** Logging-configuration ARN; capture groups: region, account, id. */
export const LOGGING_CONFIGURATION_ARN_PATTERN = /^arn:aws:ivschat:([a-z0-9-]+):([0-9]+):logging-configuration\/([a-zA-Z0-9-]+)$/;
/** Lambda function ARN for a review handler (model: LambdaArn); capture groups: region, account. */
export const LAMBDA_ARN_PATTERN = /^$|^arn:aws:lambda:([a-z0-9-]+):([0-9]{12}):function:.+/;

// ---------------------------------------------------------------------------------------------
// Field limits (model: length / range / pattern traits; api-facts: Limits)
// ---------------------------------------------------------------------------------------------

export interface StringRule {
  readonly required?: boolean;
  /** Minimum length in Unicode code points (Smithy counts code points, not UTF-16 units). */
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: RegExp;
}

export interface IntegerRule {
  readonly required?: boolean;
  readonly min: number;
  readonly max: number;
}

export interface ListRule {
  readonly required?: boolean;
  readonly min?: number;
  readonly max: number;
}

const NAME_RULE: StringRule = { max: 128, pattern: /^[a-zA-Z0-9-_]*$/ };
const ARN_LENGTH = { min: 1, max: 128 };

export const RULES = {
  roomName: NAME_RULE,
  loggingConfigurationName: NAME_RULE,
  roomIdentifier: { required: true, ...ARN_LENGTH, pattern: ROOM_ARN_PATTERN },
  loggingConfigurationIdentifier: { required: true, ...ARN_LENGTH, pattern: LOGGING_CONFIGURATION_ARN_PATTERN },
  maximumMessageLength: { min: 1, max: 500 },
  maximumMessageRatePerSecond: { min: 1, max: 100 },
  messageReviewHandlerUri: { min: 0, max: 170, pattern: LAMBDA_ARN_PATTERN },
  loggingConfigurationIdentifiers: { min: 0, max: 3 },
  tags: { min: 0, max: 50 },
  tagKey: { required: true, min: 1, max: 128 },
  tagValue: { required: true, min: 0, max: 256 },
  tagKeys: { required: true, min: 0, max: 50 },
  bucketName: { required: true, min: 3, max: 63, pattern: /^[a-z0-9-.]+$/ },
  logGroupName: { required: true, min: 1, max: 512, pattern: /^[\.\-_/#A-Za-z0-9]+$/ },
  deliveryStreamName: { required: true, min: 1, max: 64, pattern: /^[a-zA-Z0-9_.-]+$/ },
  userId: { required: true, min: 1, max: 128 },
  sessionDurationInMinutes: { min: 1, max: 180 },
  maxResults: { min: 1, max: 50 },
  nextToken: { min: 0, max: 1024 },
} as const satisfies Record<string, StringRule | IntegerRule | ListRule>;

/** Tag keys starting with this prefix are reserved by AWS (general tagging rules). */
export const RESERVED_TAG_KEY_PREFIX = 'aws:';

export const FALLBACK_RESULTS = ['ALLOW', 'DENY'] as const;
export type FallbackResult = typeof FALLBACK_RESULTS[number];

export const CHAT_TOKEN_CAPABILITIES = ['SEND_MESSAGE', 'DISCONNECT_USER', 'DELETE_MESSAGE'] as const;
export type ChatTokenCapability = typeof CHAT_TOKEN_CAPABILITIES[number];

/** CreateChatToken `attributes`: 1 KB in total (UTF-8 bytes of every key and value). */
export const CHAT_TOKEN_ATTRIBUTES_MAX_BYTES = 1024;

/** The three members of the DestinationConfiguration union: exactly one must be set. */
export const DESTINATION_TYPES = ['s3', 'cloudWatchLogs', 'firehose'] as const;
export type DestinationType = typeof DESTINATION_TYPES[number];

// ---------------------------------------------------------------------------------------------
// Defaults (API reference)
// ---------------------------------------------------------------------------------------------

export const DEFAULTS = {
  roomName: '',
  loggingConfigurationName: '',
  maximumMessageLength: 500,
  maximumMessageRatePerSecond: 10,
  fallbackResult: 'ALLOW' as FallbackResult,
  sessionDurationInMinutes: 60,
  maxResults: 50,
  /** The chat token itself is valid for about one minute; the session for sessionDurationInMinutes. */
  tokenValidityMs: 60_000,
} as const;

// ---------------------------------------------------------------------------------------------
// Logging-configuration states (model: LoggingConfigurationState)
// ---------------------------------------------------------------------------------------------

export const LOGGING_CONFIGURATION_STATES = [
  'CREATING',
  'CREATE_FAILED',
  'DELETING',
  'DELETE_FAILED',
  'UPDATING',
  'UPDATE_FAILED',
  'ACTIVE',
] as const;
export type LoggingConfigurationState = typeof LOGGING_CONFIGURATION_STATES[number];

/** States a transition can be forced to end in instead of ACTIVE. */
export type FailedTransitionState = 'CREATE_FAILED' | 'UPDATE_FAILED';

// ---------------------------------------------------------------------------------------------
// Quotas (Service Quotas page)
// ---------------------------------------------------------------------------------------------

export type OperationGroup = 'room' | 'loggingConfiguration' | 'tag' | 'chatToken';

/** Which request-rate quota each operation counts against. */
export const OPERATION_GROUP: Readonly<Record<OperationName, OperationGroup>> = {
  CreateRoom: 'room',
  GetRoom: 'room',
  UpdateRoom: 'room',
  DeleteRoom: 'room',
  ListRooms: 'room',
  CreateLoggingConfiguration: 'loggingConfiguration',
  GetLoggingConfiguration: 'loggingConfiguration',
  UpdateLoggingConfiguration: 'loggingConfiguration',
  DeleteLoggingConfiguration: 'loggingConfiguration',
  ListLoggingConfigurations: 'loggingConfiguration',
  TagResource: 'tag',
  UntagResource: 'tag',
  ListTagsForResource: 'tag',
  CreateChatToken: 'chatToken',
};

/** Requests per second per group (room 5, logging configuration 3, tag 10, CreateChatToken 200). */
export const DEFAULT_RATE_LIMITS: Readonly<Record<OperationGroup, number>> = {
  room: 5,
  loggingConfiguration: 3,
  tag: 10,
  chatToken: 200,
};

/** Logging configurations per account and region (adjustable in the real service). */
export const DEFAULT_LOGGING_CONFIGURATION_QUOTA = 10;
