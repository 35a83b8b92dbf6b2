export * from './room';
export * from './logging-configuration';
export * from './logging-destination';
export * from './metrics';
export * from './chat-token-capability';
export * from './chat-token-vendor';
export * from './message-review-function';
