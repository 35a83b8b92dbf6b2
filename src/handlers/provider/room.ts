// The Lambda runtime provides the SDK v3 and the bundle leaves it external: a dev dependency is right here.
// eslint-disable-next-line import/no-extraneous-dependencies
import {
  CreateRoomCommand,
  DeleteRoomCommand,
  IvschatClient,
  ListRoomsCommand,
  UpdateRoomCommand,
  UpdateRoomCommandInput,
} from '@aws-sdk/client-ivschat';
import { parseInteger, parseObject, parseString, parseStringList, parseTags } from './cfn-properties';
import { createOnce, deleteMarked, findInPages, MarkedResourceType } from './create-once';
import { Deadline } from './deadline';
import { call, isError, operationFailed, ReasonError } from './errors';
import { CustomResourceEvent, LifecycleResult } from './lifecycle';
import { createMarkerOf, failedCreateMarkerOf } from './marker';
import { retryWhile, WaitOptions } from './retry';
import { ServiceCaller } from './service-call';
import { applyTagChanges, ownedBy, tagsToAdd, tagsToRemove } from './tags';
import { parseIvsChatArn } from '../../private/arn';
import { LIMITS } from '../../private/constants';
import {
  ATTR_ARN, ATTR_ID, MARKER_TAG_KEY, Received, REVIEW_HANDLER_PROPERTY, ReviewHandlerResourceProperties, ROOM_PROPERTY, RoomResourceProperties,
} from '../../private/contract';

/** A room's properties as the handler works with them: parsed, with the API's defaults filled in. */
export interface RoomProperties {
  readonly name: string;
  readonly maximumMessageLength: number;
  readonly maximumMessageRatePerSecond: number;
  /** The review handler's Lambda ARN, or '' for none. */
  readonly reviewHandlerUri: string;
  readonly fallbackResult: 'ALLOW' | 'DENY';
  readonly loggingConfigurationIdentifiers: string[];
  readonly tags: Record<string, string>;
}

/** How long CreateRoom / UpdateRoom wait for a new review-handler permission to propagate. */
export const PERMISSION_PROPAGATION: WaitOptions = { timeoutMs: 60_000, intervalMs: 3_000 };

/** Reads the custom resource's properties (all strings) back into typed values with defaults. */
export function parseRoomProperties(raw: Received<RoomResourceProperties> | undefined): RoomProperties {
  const props = raw ?? {};
  const handlerProperty = ROOM_PROPERTY.MessageReviewHandler;
  const handler: Received<ReviewHandlerResourceProperties> = parseObject(props.MessageReviewHandler, handlerProperty);
  const fallbackProperty = `${handlerProperty}.${REVIEW_HANDLER_PROPERTY.FallbackResult}`;
  const fallback = parseString(handler.FallbackResult, fallbackProperty) ?? 'ALLOW';
  if (fallback !== 'ALLOW' && fallback !== 'DENY') {
    throw new ReasonError(`${fallbackProperty} must be ALLOW or DENY. Received ${JSON.stringify(fallback)}`);
  }
  return {
    name: parseString(props.Name, ROOM_PROPERTY.Name) ?? '',
    maximumMessageLength: parseInteger(props.MaximumMessageLength, ROOM_PROPERTY.MaximumMessageLength)
      ?? LIMITS.maximumMessageLength.default,
    maximumMessageRatePerSecond: parseInteger(props.MaximumMessageRatePerSecond, ROOM_PROPERTY.MaximumMessageRatePerSecond)
      ?? LIMITS.maximumMessageRatePerSecond.default,
    reviewHandlerUri: parseString(handler.Uri, `${handlerProperty}.${REVIEW_HANDLER_PROPERTY.Uri}`) ?? '',
    fallbackResult: fallback,
    loggingConfigurationIdentifiers: parseStringList(props.LoggingConfigurationIdentifiers, ROOM_PROPERTY.LoggingConfigurationIdentifiers),
    tags: parseTags(props.Tags, ROOM_PROPERTY.Tags),
  };
}

/** What an update has to change, decided from the old and new properties alone. */
export interface RoomUpdate {
  /** UpdateRoom's input without the identifier, or undefined when no room field changed. */
  readonly roomChanges?: Omit<UpdateRoomCommandInput, 'identifier'>;
  readonly tagsToAdd: Record<string, string>;
  readonly tagsToRemove: string[];
}

export function analyzeRoomUpdate(oldProps: RoomProperties, newProps: RoomProperties): RoomUpdate {
  const changes: { -readonly [K in keyof Omit<UpdateRoomCommandInput, 'identifier'>]: UpdateRoomCommandInput[K] } = {};
  if (oldProps.name !== newProps.name) changes.name = newProps.name;
  if (oldProps.maximumMessageLength !== newProps.maximumMessageLength) {
    changes.maximumMessageLength = newProps.maximumMessageLength;
  }
  if (oldProps.maximumMessageRatePerSecond !== newProps.maximumMessageRatePerSecond) {
    changes.maximumMessageRatePerSecond = newProps.maximumMessageRatePerSecond;
  }
  // A fallback result means nothing without a handler: compare it only while there is one.
  const fallbackChanged = newProps.reviewHandlerUri !== '' && oldProps.fallbackResult !== newProps.fallbackResult;
  if (oldProps.reviewHandlerUri !== newProps.reviewHandlerUri || fallbackChanged) {
    // An empty uri removes the handler.
    changes.messageReviewHandler = newProps.reviewHandlerUri === ''
      ? { uri: '' }
      : { uri: newProps.reviewHandlerUri, fallbackResult: newProps.fallbackResult };
  }
  if (!sameList(oldProps.loggingConfigurationIdentifiers, newProps.loggingConfigurationIdentifiers)) {
    changes.loggingConfigurationIdentifiers = newProps.loggingConfigurationIdentifiers;
  }
  return {
    roomChanges: Object.keys(changes).length > 0 ? changes : undefined,
    tagsToAdd: tagsToAdd(oldProps.tags, newProps.tags),
    tagsToRemove: tagsToRemove(oldProps.tags, newProps.tags),
  };
}

/** True for the error the service gives until a new Lambda resource policy has propagated. */
export function isReviewHandlerPermissionError(err: unknown): boolean {
  if (!isError(err, 'ValidationException')) return false;
  const fields = (err as { fieldList?: { message?: string }[] }).fieldList ?? [];
  const text = [(err as Error).message, ...fields.map((f) => f.message ?? '')].join(' ');
  return /lambda permission/i.test(text);
}

/** Runs CreateRoom / UpdateRoom, retrying while the review handler's permission propagates. */
async function withPermissionRetry<T>(operation: string, uri: string, fn: () => Promise<T>, wait: WaitOptions): Promise<T> {
  try {
    return await retryWhile(fn, isReviewHandlerPermissionError, wait);
  } catch (err) {
    if (isReviewHandlerPermissionError(err)) {
      throw new ReasonError(
        `${operation} failed: IVS Chat cannot invoke the message review handler ${uri} ` +
        `(still rejected after ${Math.round(wait.timeoutMs / 1000)} s). It needs a resource-based policy allowing ` +
        'principal ivschat.amazonaws.com to call lambda:InvokeFunction for this account\'s rooms. ' +
        `Service said: ${(err as Error).message}`);
    }
    throw operationFailed(operation, err);
  }
}

/** Rooms as `createOnce` and the rollback's marker lookup see them. */
export function markedRooms(client: IvschatClient): MarkedResourceType {
  return {
    createOperation: 'CreateRoom',
    findMarked: (caller, marker) => findInPages(async (nextToken) => {
      const answer = await call('ListRooms', () => caller.send('ListRooms', (abortSignal) =>
        client.send(new ListRoomsCommand({ nextToken, maxResults: 50 }), { abortSignal }), { retryAmbiguous: true, useReserve: true }));
      return { items: answer.rooms, nextToken: answer.nextToken };
    }, marker),
    delete: (caller, arn) => sendDeleteRoom(client, caller, arn),
  };
}

async function sendDeleteRoom(client: IvschatClient, caller: ServiceCaller, arn: string): Promise<void> {
  try {
    await caller.send('DeleteRoom', (abortSignal) => client.send(new DeleteRoomCommand({ identifier: arn }), { abortSignal }),
      { retryAmbiguous: true });
  } catch (err) {
    if (!isError(err, 'ResourceNotFoundException')) throw operationFailed('DeleteRoom', err);
  }
}

/** Creates the room carrying the request's marker tag (never two rooms for one request). */
export async function createRoom(
  client: IvschatClient, props: RoomProperties, marker: string, wait = PERMISSION_PROPAGATION, caller = new ServiceCaller(Deadline.none()),
): Promise<LifecycleResult> {
  const input = {
    name: props.name || undefined,
    maximumMessageLength: props.maximumMessageLength,
    maximumMessageRatePerSecond: props.maximumMessageRatePerSecond,
    messageReviewHandler: props.reviewHandlerUri
      ? { uri: props.reviewHandlerUri, fallbackResult: props.fallbackResult }
      : undefined,
    loggingConfigurationIdentifiers: props.loggingConfigurationIdentifiers.length > 0
      ? props.loggingConfigurationIdentifiers
      : undefined,
    tags: { ...props.tags, [MARKER_TAG_KEY]: marker },
  };
  const room = await withPermissionRetry('CreateRoom', props.reviewHandlerUri, () => createOnce(caller, markedRooms(client), marker,
    (abortSignal) => client.send(new CreateRoomCommand(input), { abortSignal })), wait);
  return { physicalResourceId: room.arn, data: { [ATTR_ARN]: room.arn, [ATTR_ID]: room.id } };
}

export async function updateRoom(
  client: IvschatClient, arn: string, oldProps: RoomProperties, newProps: RoomProperties, wait = PERMISSION_PROPAGATION,
  caller = new ServiceCaller(Deadline.none()),
): Promise<LifecycleResult> {
  const parsed = parseIvsChatArn(arn, 'room');
  if (!parsed) throw new ReasonError(`Cannot update room ${JSON.stringify(arn)}: its physical id is not an IVS Chat room ARN`);
  const update = analyzeRoomUpdate(oldProps, newProps);
  const retrySafe = { retryAmbiguous: true };
  if (update.roomChanges) {
    const changes = update.roomChanges;
    await withPermissionRetry('UpdateRoom', newProps.reviewHandlerUri, () => caller.send('UpdateRoom',
      (abortSignal) => client.send(new UpdateRoomCommand({ identifier: arn, ...changes }), { abortSignal }), retrySafe), wait);
  }
  await applyTagChanges(client, caller, arn, update);
  return { physicalResourceId: arn, data: { [ATTR_ARN]: arn, [ATTR_ID]: parsed.resourceId } };
}

/**
 * Deletes the room; a missing room is success. The Delete of a failed Create (`failed-create-<request id>`)
 * deletes whatever carries that request's marker; any other id that is not a room ARN made nothing.
 */
export async function deleteRoom(
  client: IvschatClient, physicalId: string, failedCreateMarker?: string, caller = new ServiceCaller(Deadline.none()),
): Promise<LifecycleResult> {
  if (failedCreateMarker) {
    await deleteMarked(caller, markedRooms(client), failedCreateMarker);
    return { physicalResourceId: physicalId };
  }
  if (!parseIvsChatArn(physicalId, 'room')) return { physicalResourceId: physicalId };
  await sendDeleteRoom(client, caller, physicalId);
  return { physicalResourceId: physicalId };
}

export async function onRoomEvent(
  client: IvschatClient, event: CustomResourceEvent, wait = PERMISSION_PROPAGATION, caller = new ServiceCaller(Deadline.none()),
): Promise<LifecycleResult> {
  switch (event.RequestType) {
    case 'Create':
      return createRoom(client, ownedBy(parseRoomProperties(event.ResourceProperties), event.StackId), createMarkerOf(event), wait, caller);
    case 'Update':
      return updateRoom(client, event.PhysicalResourceId,
        parseRoomProperties(event.OldResourceProperties), parseRoomProperties(event.ResourceProperties), wait, caller);
    case 'Delete':
      return deleteRoom(client, event.PhysicalResourceId, failedCreateMarkerOf(event), caller);
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
