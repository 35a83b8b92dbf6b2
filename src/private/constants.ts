// Names shared by the constructs and the provider handler: change them together.

/** CloudFormation resource type of a room. */
export const ROOM_RESOURCE_TYPE = 'Custom::IvsChatRoom';
/** CloudFormation resource type of a logging configuration. */
export const LOGGING_CONFIGURATION_RESOURCE_TYPE = 'Custom::IvsChatLoggingConfiguration';

/** `Fn::GetAtt` attribute holding the resource's ARN. */
export const ATTR_ARN = 'Arn';
/** `Fn::GetAtt` attribute holding the resource's 12-character id. */
export const ATTR_ID = 'Id';
/** `Fn::GetAtt` attribute holding a logging configuration's state. */
export const ATTR_STATE = 'State';

/** Limits of the IVS Chat API (service model, API version 2020-07-14). */
export const LIMITS = {
  nameMaxLength: 128,
  namePattern: /^[a-zA-Z0-9-_]*$/,
  maximumMessageLength: { min: 1, max: 500, default: 500 },
  maximumMessageRatePerSecond: { min: 1, max: 100, default: 10 },
  reviewHandlerUriMaxLength: 170,
  loggingConfigurationsPerRoom: 3,
  tagsPerResource: 50,
  tagKeyMaxLength: 128,
  tagValueMaxLength: 256,
} as const;
