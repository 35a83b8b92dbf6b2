export * from './room';
export * from './logging-configuration';
