import {
  CreateLoggingConfigurationCommand,
  DeleteLoggingConfigurationCommand,
  DestinationConfiguration,
  GetLoggingConfigurationCommand,
  IvschatClient,
  ListRoomsCommand,
  RoomSummary,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateLoggingConfigurationCommand,
} from '@aws-sdk/client-ivschat';
import { parseString, parseTags } from './cfn-properties';
import { call, describeError, isError, operationFailed, ReasonError } from './errors';
import { CustomResourceEvent, LifecycleResult } from './lifecycle';
import { pollUntil, retryWhile, WaitOptions } from './retry';
import { tagsToAdd, tagsToRemove } from './tags';
import { parseIvsChatArn } from '../private/arn';
import {
  ATTR_ARN, ATTR_ID, ATTR_STATE, DESTINATION_NAME_KEYS, DestinationType, LOGGING_CONFIGURATION_PROPERTY,
  LoggingConfigurationResourceProperties, Received,
} from '../private/contract';

export type { DestinationType };

/** Where a configuration sends its logs: one destination, named. */
export interface Destination {
  readonly type: DestinationType;
  /** Bucket, log group or delivery stream name. */
  readonly name: string;
}

/** A logging configuration's properties as the handler works with them. */
export interface LoggingConfigurationProperties {
  /** '' for none. */
  readonly name: string;
  readonly destination: Destination;
  readonly tags: Record<string, string>;
}

/** How long the lifecycle functions poll and retry; tests shorten them. */
export interface LoggingConfigurationWaits {
  /** Polling GetLoggingConfiguration until the configuration is ACTIVE (create, update) or gone (delete). */
  readonly stable: WaitOptions;
  /** Retrying DeleteLoggingConfiguration / UpdateLoggingConfiguration while the service answers ConflictException. */
  readonly conflict: WaitOptions;
}

/**
 * Production waits. Poll after 1 s, 2 s, then every 4 s: even the account's default 10 configurations polling at once stay under
 * the 3-TPS logging-configuration quota; give up after 5 minutes like Terraform. Worst cases (create 5 min +
 * 90 s cleanup, delete 90 s + 5 min) stay well inside the provider's 10-minute Lambda limit.
 */
export const LOGGING_CONFIGURATION_WAITS: LoggingConfigurationWaits = {
  stable: { timeoutMs: 300_000, intervalMs: 4_000 },
  conflict: { timeoutMs: 90_000, intervalMs: 5_000 },
};

/** Most rooms a failed delete's reason names (the reason must fit CloudFormation's 4 KB answer). */
const MAX_ROOMS_NAMED = 5;

/** Reads `DestinationConfiguration: { S3: { BucketName } }` (or CloudWatchLogs / Firehose) back. */
export function parseDestination(value: unknown): Destination {
  const received = JSON.stringify(value);
  const choices = Object.entries(DESTINATION_NAME_KEYS).map(([type, key]) => `${type}.${key}`);
  const invalid = () => new ReasonError(`${LOGGING_CONFIGURATION_PROPERTY.DestinationConfiguration} must hold exactly one of ` +
    `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}. Received ${received}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid();
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length !== 1) throw invalid();
  const [type, inner] = entries[0];
  if (!(type in DESTINATION_NAME_KEYS) || typeof inner !== 'object' || inner === null) throw invalid();
  const name = (inner as Record<string, unknown>)[DESTINATION_NAME_KEYS[type as DestinationType]];
  if (typeof name !== 'string' || name === '') throw invalid();
  return { type: type as DestinationType, name };
}

/** Reads the custom resource's properties back into typed values. */
export function parseLoggingConfigurationProperties(
  raw: Received<LoggingConfigurationResourceProperties> | undefined,
): LoggingConfigurationProperties {
  const props = raw ?? {};
  return {
    name: parseString(props.Name, LOGGING_CONFIGURATION_PROPERTY.Name) ?? '',
    destination: parseDestination(props.DestinationConfiguration),
    tags: parseTags(props.Tags, LOGGING_CONFIGURATION_PROPERTY.Tags),
  };
}

/** Each destination type as the API's tagged union spells it. */
const API_DESTINATIONS: Record<DestinationType, (name: string) => DestinationConfiguration> = {
  S3: (name) => ({ s3: { bucketName: name } }),
  CloudWatchLogs: (name) => ({ cloudWatchLogs: { logGroupName: name } }),
  Firehose: (name) => ({ firehose: { deliveryStreamName: name } }),
};

/** The API's tagged union for a destination. */
export function toDestinationConfiguration(destination: Destination): DestinationConfiguration {
  return API_DESTINATIONS[destination.type](destination.name);
}

/** What an update has to change, decided from the old and new properties alone. */
export interface LoggingConfigurationUpdate {
  /** UpdateLoggingConfiguration's input without the identifier, or undefined when neither name nor destination changed. */
  readonly changes?: { readonly name?: string; readonly destinationConfiguration?: DestinationConfiguration };
  readonly tagsToAdd: Record<string, string>;
  readonly tagsToRemove: string[];
}

export function analyzeLoggingConfigurationUpdate(
  oldProps: LoggingConfigurationProperties, newProps: LoggingConfigurationProperties,
): LoggingConfigurationUpdate {
  const changes: { name?: string; destinationConfiguration?: DestinationConfiguration } = {};
  if (oldProps.name !== newProps.name) changes.name = newProps.name;
  if (oldProps.destination.type !== newProps.destination.type || oldProps.destination.name !== newProps.destination.name) {
    changes.destinationConfiguration = toDestinationConfiguration(newProps.destination);
  }
  return {
    changes: Object.keys(changes).length > 0 ? changes : undefined,
    tagsToAdd: tagsToAdd(oldProps.tags, newProps.tags),
    tagsToRemove: tagsToRemove(oldProps.tags, newProps.tags),
  };
}

function describeDestination(destination: Destination): string {
  return `${destination.type} ${DESTINATION_NAME_KEYS[destination.type]} "${destination.name}"`;
}

/** What `readState` returns once GetLoggingConfiguration answers ResourceNotFoundException. */
const GONE = 'GONE';

/** The configuration's state as GetLoggingConfiguration reports it, or GONE. */
async function readState(client: IvschatClient, arn: string): Promise<string> {
  try {
    return (await client.send(new GetLoggingConfigurationCommand({ identifier: arn }))).state ?? 'UNKNOWN';
  } catch (err) {
    if (isError(err, 'ResourceNotFoundException')) return GONE;
    throw operationFailed('GetLoggingConfiguration', err);
  }
}

/** Polls until the configuration is ACTIVE; a failed or unexpected state, or the timeout, is a reason. */
export async function waitUntilActive(
  client: IvschatClient, arn: string, destination: Destination, wait: WaitOptions,
): Promise<string> {
  return pollUntil(() => readState(client, arn), (state) => {
    if (state === 'ACTIVE') return true;
    if (state === 'CREATING' || state === 'UPDATING') return false;
    if (state === GONE) throw new ReasonError(`GetLoggingConfiguration failed: logging configuration ${arn} was not found`);
    // The API gives no cause; a missing destination or missing log-delivery permissions are the usual ones.
    throw new ReasonError(`Logging configuration ${arn} is ${state}: IVS Chat could not set up log delivery to ` +
      `${describeDestination(destination)}. Check that the destination exists in this account and region ` +
      'and that its policy lets delivery.logs.amazonaws.com write to it');
  }, wait, (state) => new ReasonError(`Logging configuration ${arn} is still ${state} after ${Math.round(wait.timeoutMs / 1000)} s ` +
    `(destination ${describeDestination(destination)})`));
}

/** Polls until GetLoggingConfiguration answers ResourceNotFoundException. */
async function waitUntilDeleted(client: IvschatClient, arn: string, wait: WaitOptions): Promise<void> {
  await pollUntil(() => readState(client, arn), (state) => {
    if (state === 'DELETE_FAILED') {
      throw new ReasonError(`DeleteLoggingConfiguration failed: logging configuration ${arn} is DELETE_FAILED`);
    }
    return state === GONE;
  }, wait, (state) => new ReasonError(`Logging configuration ${arn} is still ${state} ${Math.round(wait.timeoutMs / 1000)} s after ` +
    'DeleteLoggingConfiguration'));
}

const isConflict = (err: unknown) => isError(err, 'ConflictException');

export async function createLoggingConfiguration(
  client: IvschatClient, props: LoggingConfigurationProperties, waits = LOGGING_CONFIGURATION_WAITS,
): Promise<LifecycleResult> {
  const created = await call('CreateLoggingConfiguration', () => client.send(new CreateLoggingConfigurationCommand({
    name: props.name || undefined,
    destinationConfiguration: toDestinationConfiguration(props.destination),
    tags: Object.keys(props.tags).length > 0 ? props.tags : undefined,
  })));
  const arn = created.arn;
  if (!arn || !created.id) throw new ReasonError('CreateLoggingConfiguration failed: the response has no arn or id');
  try {
    const state = await waitUntilActive(client, arn, props.destination, waits.stable);
    return { physicalResourceId: arn, data: { [ATTR_ARN]: arn, [ATTR_ID]: created.id, [ATTR_STATE]: state } };
  } catch (err) {
    // A failed Create reports a non-ARN physical id, so the rollback's Delete never reaches this configuration.
    const cleanup = await deleteQuietly(client, arn, waits.conflict);
    throw new ReasonError(`${describeError(err)}${cleanup}`);
  }
}

/** Deletes what a failed create made; returns '' or what to add to the reason when that failed too. */
async function deleteQuietly(client: IvschatClient, arn: string, wait: WaitOptions): Promise<string> {
  try {
    await retryWhile(() => client.send(new DeleteLoggingConfigurationCommand({ identifier: arn })), isConflict, wait);
    return '';
  } catch (err) {
    if (isError(err, 'ResourceNotFoundException')) return '';
    return `. Deleting it failed too (${describeError(err)}): delete ${arn} yourself`;
  }
}

export async function updateLoggingConfiguration(
  client: IvschatClient, arn: string, oldProps: LoggingConfigurationProperties, newProps: LoggingConfigurationProperties,
  waits = LOGGING_CONFIGURATION_WAITS,
): Promise<LifecycleResult> {
  const parsed = parseIvsChatArn(arn, 'logging-configuration');
  if (!parsed) {
    throw new ReasonError(`Cannot update logging configuration ${JSON.stringify(arn)}: ` +
      'its physical id is not an IVS Chat logging-configuration ARN');
  }
  const update = analyzeLoggingConfigurationUpdate(oldProps, newProps);
  if (update.changes) {
    const changes = update.changes;
    // A configuration still UPDATING from an earlier attempt answers ConflictException for a while.
    await call('UpdateLoggingConfiguration', () => retryWhile(
      () => client.send(new UpdateLoggingConfigurationCommand({ identifier: arn, ...changes })), isConflict, waits.conflict));
    await waitUntilActive(client, arn, newProps.destination, waits.stable);
  }
  if (update.tagsToRemove.length > 0) {
    await call('UntagResource', () => client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: update.tagsToRemove })));
  }
  if (Object.keys(update.tagsToAdd).length > 0) {
    await call('TagResource', () => client.send(new TagResourceCommand({ resourceArn: arn, tags: update.tagsToAdd })));
  }
  return { physicalResourceId: arn, data: { [ATTR_ARN]: arn, [ATTR_ID]: parsed.resourceId, [ATTR_STATE]: 'ACTIVE' } };
}

/**
 * Deletes the configuration and waits until it is gone. A missing configuration, or an id that is not a
 * logging-configuration ARN (a failed create), is success. ConflictException is retried: a room may be
 * detaching it in the same deployment.
 */
export async function deleteLoggingConfiguration(
  client: IvschatClient, physicalId: string, waits = LOGGING_CONFIGURATION_WAITS,
): Promise<LifecycleResult> {
  if (!parseIvsChatArn(physicalId, 'logging-configuration')) return { physicalResourceId: physicalId };
  try {
    await retryWhile(() => client.send(new DeleteLoggingConfigurationCommand({ identifier: physicalId })), isConflict, waits.conflict);
  } catch (err) {
    if (isError(err, 'ResourceNotFoundException')) return { physicalResourceId: physicalId };
    if (isConflict(err)) throw await conflictReason(client, physicalId, err, waits.conflict);
    throw operationFailed('DeleteLoggingConfiguration', err);
  }
  await waitUntilDeleted(client, physicalId, waits.stable);
  return { physicalResourceId: physicalId };
}

/** The reason for a delete still in conflict: names the rooms that still use the configuration. */
async function conflictReason(client: IvschatClient, arn: string, err: unknown, wait: WaitOptions): Promise<ReasonError> {
  const prefix = `DeleteLoggingConfiguration failed after ${Math.round(wait.timeoutMs / 1000)} s of retries: ${describeError(err)}`;
  let rooms: RoomSummary[];
  try {
    rooms = await roomsUsing(client, arn);
  } catch (listErr) {
    return new ReasonError(`${prefix} (could not list the rooms using it: ${describeError(listErr)})`);
  }
  if (rooms.length === 0) return new ReasonError(prefix);
  const named = rooms.slice(0, MAX_ROOMS_NAMED).map((room) => room.name ? `${room.arn} (${room.name})` : room.arn).join(', ');
  const more = rooms.length > MAX_ROOMS_NAMED ? ` and ${rooms.length - MAX_ROOMS_NAMED} more` : '';
  return new ReasonError(`${prefix}. Logging configuration ${arn} is still used by room(s) ${named}${more}: ` +
    'remove it from their loggingConfigurations first');
}

/** Rooms whose loggingConfigurationIdentifiers hold the ARN (a few pages at most: enough to name them). */
async function roomsUsing(client: IvschatClient, arn: string): Promise<RoomSummary[]> {
  const rooms: RoomSummary[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < 4; page++) {
    const answer = await client.send(new ListRoomsCommand({ loggingConfigurationIdentifier: arn, nextToken, maxResults: 50 }));
    rooms.push(...(answer.rooms ?? []).filter((room) => !room.loggingConfigurationIdentifiers
      || room.loggingConfigurationIdentifiers.includes(arn)));
    nextToken = answer.nextToken;
    if (!nextToken) break;
  }
  return rooms;
}

export async function onLoggingConfigurationEvent(
  client: IvschatClient, event: CustomResourceEvent, waits = LOGGING_CONFIGURATION_WAITS,
): Promise<LifecycleResult> {
  switch (event.RequestType) {
    case 'Create':
      return createLoggingConfiguration(client, parseLoggingConfigurationProperties(event.ResourceProperties), waits);
    case 'Update':
      return updateLoggingConfiguration(client, event.PhysicalResourceId,
        parseLoggingConfigurationProperties(event.OldResourceProperties),
        parseLoggingConfigurationProperties(event.ResourceProperties), waits);
    case 'Delete':
      return deleteLoggingConfiguration(client, event.PhysicalResourceId, waits);
  }
}
