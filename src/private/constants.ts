// Limits shared by the constructs (synth-time validation) and the provider handler (defaults).

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
