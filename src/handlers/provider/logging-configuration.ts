import {
  CreateLoggingConfigurationCommand,
  DeleteLoggingConfigurationCommand,
  DestinationConfiguration,
  GetLoggingConfigurationCommand,
  GetLoggingConfigurationCommandOutput,
  IvschatClient,
  ListLoggingConfigurationsCommand,
  ListRoomsCommand,
  RoomSummary,
  UpdateLoggingConfigurationCommand,
} from '@aws-sdk/client-ivschat';
import { parseString, parseTags } from './cfn-properties';
import { createOnce, CreatedButFailedError, deleteMarked, findInPages, MarkedResourceType } from './create-once';
import { Deadline } from './deadline';
import { call, describeError, isError, operationFailed, ReasonError } from './errors';
import { CustomResourceEvent, LifecycleResult } from './lifecycle';
import { createMarkerOf, failedCreateMarkerOf } from './marker';
import { pollUntil, retryWhile, WaitOptions } from './retry';
import { ServiceCaller } from './service-call';
import { applyTagChanges, ownedBy, tagsToAdd, tagsToRemove } from './tags';
import { parseIvsChatArn } from '../../private/arn';
import {
  ATTR_ARN, ATTR_ID, ATTR_STATE, DESTINATION_NAME_KEYS, MARKER_TAG_KEY, DestinationType, LOGGING_CONFIGURATION_PROPERTY,
  LoggingConfigurationResourceProperties, Received,
} from '../../private/contract';

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

/**
 * Not-found answers tolerated right after a create or update before the configuration counts as gone: reads may
 * lag behind a write. Terraform's provider tolerates 20 (`NotFoundChecks: 20` in internal/service/ivschat/wait.go).
 */
export const NOT_FOUND_TOLERANCE = 20;

/** What one GetLoggingConfiguration read says: the configuration, or undefined once the service does not know it. */
type Read = GetLoggingConfigurationCommandOutput | undefined;

async function read(client: IvschatClient, caller: ServiceCaller, arn: string): Promise<Read> {
  try {
    return await caller.send('GetLoggingConfiguration',
      (abortSignal) => client.send(new GetLoggingConfigurationCommand({ identifier: arn }), { abortSignal }), RETRY_SAFE);
  } catch (err) {
    if (isError(err, 'ResourceNotFoundException')) return undefined;
    throw operationFailed('GetLoggingConfiguration', err);
  }
}

/** True unless what Get returned shows another name or destination than the one asked for (a read from before an update). */
function reflects(config: GetLoggingConfigurationCommandOutput, expected: LoggingConfigurationProperties): boolean {
  const wanted = JSON.stringify(toDestinationConfiguration(expected.destination));
  return (config.name === undefined || config.name === expected.name)
    && (config.destinationConfiguration === undefined || JSON.stringify(config.destinationConfiguration) === wanted);
}

/**
 * Polls until the configuration is ACTIVE and holds `expected` (so a stale ACTIVE read from before an update does
 * not count) and returns the state Get reported; a failed state, too many not-found reads or the timeout is a reason.
 */
export async function waitUntilActive(
  client: IvschatClient, arn: string, expected: LoggingConfigurationProperties, wait: WaitOptions,
  caller = new ServiceCaller(Deadline.none()),
): Promise<string> {
  let notFound = 0;
  const last = await pollUntil(() => read(client, caller, arn), (config) => {
    if (!config) {
      if (++notFound > NOT_FOUND_TOLERANCE) {
        throw new ReasonError(`GetLoggingConfiguration failed: logging configuration ${arn} was not found ${notFound} times in a row`);
      }
      return false;
    }
    notFound = 0;
    const state = config.state ?? 'UNKNOWN';
    if (state === 'ACTIVE') return reflects(config, expected);
    if (state === 'CREATING' || state === 'UPDATING') return false;
    // The API gives no cause; a missing destination or missing log-delivery permissions are the usual ones.
    throw new ReasonError(`Logging configuration ${arn} is ${state}: IVS Chat could not set up log delivery to ` +
      `${describeDestination(expected.destination)}. Check that the destination exists in this account and region ` +
      'and that its policy lets delivery.logs.amazonaws.com write to it');
  }, wait, (config) => new ReasonError(`Logging configuration ${arn} is still ${config?.state ?? 'not found'} after ` +
    `${Math.round(wait.timeoutMs / 1000)} s (destination ${describeDestination(expected.destination)})`));
  return last!.state!;
}

/** Polls until GetLoggingConfiguration answers ResourceNotFoundException (DELETING is waited on). */
async function waitUntilDeleted(client: IvschatClient, caller: ServiceCaller, arn: string, wait: WaitOptions): Promise<void> {
  await pollUntil(() => read(client, caller, arn), (config) => {
    if (config?.state === 'DELETE_FAILED') {
      throw new ReasonError(`DeleteLoggingConfiguration failed: logging configuration ${arn} is DELETE_FAILED`);
    }
    return config === undefined;
  }, wait, (config) => new ReasonError(`Logging configuration ${arn} is still ${config?.state} ${Math.round(wait.timeoutMs / 1000)} s ` +
    'after DeleteLoggingConfiguration'));
}

const isConflict = (err: unknown) => isError(err, 'ConflictException');
const RETRY_SAFE = { retryAmbiguous: true };

/** Logging configurations as `createOnce` and the rollback's marker lookup see them. */
export function markedLoggingConfigurations(client: IvschatClient, waits = LOGGING_CONFIGURATION_WAITS): MarkedResourceType {
  return {
    createOperation: 'CreateLoggingConfiguration',
    findMarked: (caller, marker) => findInPages(async (nextToken) => {
      const answer = await call('ListLoggingConfigurations', () => caller.send('ListLoggingConfigurations', (abortSignal) =>
        client.send(new ListLoggingConfigurationsCommand({ nextToken, maxResults: 50 }), { abortSignal }), { ...RETRY_SAFE, useReserve: true }));
      return { items: answer.loggingConfigurations, nextToken: answer.nextToken };
    }, marker),
    delete: async (caller, arn) => {
      await deleteAndWait(client, caller, arn, waits);
    },
  };
}

/**
 * Creates the configuration carrying the request's marker tag and waits until it is ACTIVE. If it then fails,
 * the error carries its ARN: CloudFormation reports that as the physical id, and the rollback's Delete removes it.
 */
export async function createLoggingConfiguration(
  client: IvschatClient, props: LoggingConfigurationProperties, marker: string, waits = LOGGING_CONFIGURATION_WAITS,
  caller = new ServiceCaller(Deadline.none()),
): Promise<LifecycleResult> {
  const input = {
    name: props.name || undefined,
    destinationConfiguration: toDestinationConfiguration(props.destination),
    tags: { ...props.tags, [MARKER_TAG_KEY]: marker },
  };
  const created = await call('CreateLoggingConfiguration', () => createOnce(caller, markedLoggingConfigurations(client, waits), marker,
    (abortSignal) => client.send(new CreateLoggingConfigurationCommand(input), { abortSignal })));
  try {
    const state = await waitUntilActive(client, created.arn, props, waits.stable, caller);
    return { physicalResourceId: created.arn, data: { [ATTR_ARN]: created.arn, [ATTR_ID]: created.id, [ATTR_STATE]: state } };
  } catch (err) {
    throw new CreatedButFailedError(created.arn, describeError(err));
  }
}

export async function updateLoggingConfiguration(
  client: IvschatClient, arn: string, oldProps: LoggingConfigurationProperties, newProps: LoggingConfigurationProperties,
  waits = LOGGING_CONFIGURATION_WAITS, caller = new ServiceCaller(Deadline.none()),
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
    await call('UpdateLoggingConfiguration', () => retryWhile(() => caller.send('UpdateLoggingConfiguration', (abortSignal) =>
      client.send(new UpdateLoggingConfigurationCommand({ identifier: arn, ...changes }), { abortSignal }), RETRY_SAFE),
    isConflict, waits.conflict));
  }
  await applyTagChanges(client, caller, arn, update);
  // The state attribute is what the service reports once the change shows (also for a tag-only update).
  const state = await waitUntilActive(client, arn, newProps, waits.stable, caller);
  return { physicalResourceId: arn, data: { [ATTR_ARN]: arn, [ATTR_ID]: parsed.resourceId, [ATTR_STATE]: state } };
}

/** DeleteLoggingConfiguration (ConflictException retried) and the wait until it is gone; a missing one is fine. */
async function deleteAndWait(client: IvschatClient, caller: ServiceCaller, arn: string, waits: LoggingConfigurationWaits): Promise<void> {
  try {
    await retryWhile(() => caller.send('DeleteLoggingConfiguration', (abortSignal) =>
      client.send(new DeleteLoggingConfigurationCommand({ identifier: arn }), { abortSignal }), RETRY_SAFE), isConflict, waits.conflict);
  } catch (err) {
    if (isError(err, 'ResourceNotFoundException')) return;
    if (isConflict(err)) throw await conflictReason(client, caller, arn, err, waits.conflict);
    throw operationFailed('DeleteLoggingConfiguration', err);
  }
  await waitUntilDeleted(client, caller, arn, waits.stable);
}

/**
 * Deletes the configuration and waits until it is gone. A missing configuration is success. ConflictException is
 * retried: a room may be detaching it in the same deployment. The Delete of a failed Create deletes whatever
 * carries that request's marker; any other id that is not a logging-configuration ARN made nothing.
 */
export async function deleteLoggingConfiguration(
  client: IvschatClient, physicalId: string, failedCreateMarker?: string, waits = LOGGING_CONFIGURATION_WAITS,
  caller = new ServiceCaller(Deadline.none()),
): Promise<LifecycleResult> {
  if (failedCreateMarker) {
    await deleteMarked(caller, markedLoggingConfigurations(client, waits), failedCreateMarker);
  } else if (parseIvsChatArn(physicalId, 'logging-configuration')) {
    await deleteAndWait(client, caller, physicalId, waits);
  }
  return { physicalResourceId: physicalId };
}

/** The reason for a delete still in conflict: names the rooms that still use the configuration. */
async function conflictReason(
  client: IvschatClient, caller: ServiceCaller, arn: string, err: unknown, wait: WaitOptions,
): Promise<ReasonError> {
  const prefix = `DeleteLoggingConfiguration failed after ${Math.round(wait.timeoutMs / 1000)} s of retries: ${describeError(err)}`;
  let rooms: RoomSummary[];
  try {
    rooms = await roomsUsing(client, caller, arn);
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
async function roomsUsing(client: IvschatClient, caller: ServiceCaller, arn: string): Promise<RoomSummary[]> {
  const rooms: RoomSummary[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < 4; page++) {
    const answer = await caller.send('ListRooms', (abortSignal) =>
      client.send(new ListRoomsCommand({ loggingConfigurationIdentifier: arn, nextToken, maxResults: 50 }), { abortSignal }), RETRY_SAFE);
    rooms.push(...(answer.rooms ?? []).filter((room) => !room.loggingConfigurationIdentifiers
      || room.loggingConfigurationIdentifiers.includes(arn)));
    nextToken = answer.nextToken;
    if (!nextToken) break;
  }
  return rooms;
}

export async function onLoggingConfigurationEvent(
  client: IvschatClient, event: CustomResourceEvent, waits = LOGGING_CONFIGURATION_WAITS, caller = new ServiceCaller(Deadline.none()),
): Promise<LifecycleResult> {
  switch (event.RequestType) {
    case 'Create':
      return createLoggingConfiguration(client, ownedBy(parseLoggingConfigurationProperties(event.ResourceProperties), event.StackId),
        createMarkerOf(event), waits, caller);
    case 'Update':
      return updateLoggingConfiguration(client, event.PhysicalResourceId,
        parseLoggingConfigurationProperties(event.OldResourceProperties),
        parseLoggingConfigurationProperties(event.ResourceProperties), waits, caller);
    case 'Delete':
      return deleteLoggingConfiguration(client, event.PhysicalResourceId, failedCreateMarkerOf(event), waits, caller);
  }
}
