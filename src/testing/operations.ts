import { Buffer } from 'node:buffer';
import {
  CHAT_TOKEN_ATTRIBUTES_MAX_BYTES,
  CHAT_TOKEN_CAPABILITIES,
  DEFAULTS,
  DESTINATION_TYPES,
  FALLBACK_RESULTS,
  LAMBDA_ARN_PATTERN,
  LOGGING_CONFIGURATION_ARN_PATTERN,
  OperationName,
  ROOM_ARN_PATTERN,
  RULES,
} from './model';
import { Destination, IssuedToken, LoggingConfigurationSnapshot, MessageReviewHandlerState, RoomSnapshot, Store } from './store';
import { FieldValidator, JsonObject, JsonValue } from './validation';

/** A handler turns a request (JSON body plus path and query members) into a JSON answer, or throws ServiceError. */
export type OperationHandler = (input: JsonObject) => JsonObject | undefined;

/** Request validation and response shapes for every implemented operation, on top of the store. */
export function createOperationHandlers(store: Store): Record<OperationName, OperationHandler> {
  return {
    CreateRoom: (input) => {
      const v = new FieldValidator();
      const name = v.string('name', input.name, RULES.roomName);
      const maximumMessageLength = v.integer('maximumMessageLength', input.maximumMessageLength, RULES.maximumMessageLength);
      const maximumMessageRatePerSecond = v.integer('maximumMessageRatePerSecond', input.maximumMessageRatePerSecond, RULES.maximumMessageRatePerSecond);
      const handler = reviewHandler(v, store, input.messageReviewHandler);
      const tags = v.tags('tags', input.tags);
      const loggingConfigurationIdentifiers = loggingConfigurationList(v, input.loggingConfigurationIdentifiers);
      v.throwIfInvalid();
      return roomJson(store.createRoom({
        name: name ?? DEFAULTS.roomName,
        maximumMessageLength: maximumMessageLength ?? DEFAULTS.maximumMessageLength,
        maximumMessageRatePerSecond: maximumMessageRatePerSecond ?? DEFAULTS.maximumMessageRatePerSecond,
        // An empty or missing uri on create means "no handler".
        messageReviewHandler: handler?.uri ? { uri: handler.uri, fallbackResult: handler.fallbackResult ?? DEFAULTS.fallbackResult } : undefined,
        loggingConfigurationIdentifiers: loggingConfigurationIdentifiers ?? [],
        tags: tags ?? {},
      }));
    },

    GetRoom: (input) => roomJson(store.getRoom(roomIdentifier(input.identifier, 'identifier'))),

    UpdateRoom: (input) => {
      const v = new FieldValidator();
      const arn = v.string('identifier', input.identifier, RULES.roomIdentifier);
      const name = v.string('name', input.name, RULES.roomName);
      const maximumMessageLength = v.integer('maximumMessageLength', input.maximumMessageLength, RULES.maximumMessageLength);
      const maximumMessageRatePerSecond = v.integer('maximumMessageRatePerSecond', input.maximumMessageRatePerSecond, RULES.maximumMessageRatePerSecond);
      const handler = reviewHandler(v, store, input.messageReviewHandler);
      const loggingConfigurationIdentifiers = loggingConfigurationList(v, input.loggingConfigurationIdentifiers);
      v.throwIfInvalid();
      const current = store.getRoom(arn!);
      return roomJson(store.updateRoom(arn!, {
        name,
        maximumMessageLength,
        maximumMessageRatePerSecond,
        messageReviewHandler: handler && nextReviewHandler(handler, current.messageReviewHandler),
        loggingConfigurationIdentifiers,
      }));
    },

    DeleteRoom: (input) => {
      store.deleteRoom(roomIdentifier(input.identifier, 'identifier'));
      return undefined;
    },

    ListRooms: (input) => {
      const v = new FieldValidator();
      const name = v.string('name', input.name, RULES.roomName);
      const uri = v.string('messageReviewHandlerUri', input.messageReviewHandlerUri, RULES.messageReviewHandlerUri);
      const config = v.string('loggingConfigurationIdentifier', input.loggingConfigurationIdentifier,
        { ...RULES.loggingConfigurationIdentifier, required: false });
      const page = pagination(v, input);
      v.throwIfInvalid();
      // ListRooms models ResourceNotFoundException: filtering by a configuration that does not exist is one.
      if (config !== undefined) store.getLoggingConfiguration(config);
      const rooms = store.listRooms().filter((room) =>
        (name === undefined || room.name === name)
        && (uri === undefined || room.messageReviewHandler?.uri === uri)
        && (config === undefined || room.loggingConfigurationIdentifiers.includes(config)));
      const { items, nextToken } = paginate(rooms, page);
      return withOptional({ rooms: items.map(roomSummaryJson) }, { nextToken });
    },

    CreateLoggingConfiguration: (input) => {
      const v = new FieldValidator();
      const name = v.string('name', input.name, RULES.loggingConfigurationName);
      const destinationConfiguration = destination(v, input.destinationConfiguration, true);
      const tags = v.tags('tags', input.tags);
      v.throwIfInvalid();
      return loggingConfigurationJson(store.createLoggingConfiguration({
        name: name ?? DEFAULTS.loggingConfigurationName,
        destinationConfiguration: destinationConfiguration!,
        tags: tags ?? {},
      }));
    },

    GetLoggingConfiguration: (input) =>
      loggingConfigurationJson(store.getLoggingConfiguration(loggingConfigurationIdentifier(input.identifier, 'identifier'))),

    UpdateLoggingConfiguration: (input) => {
      const v = new FieldValidator();
      const arn = v.string('identifier', input.identifier, RULES.loggingConfigurationIdentifier);
      const name = v.string('name', input.name, RULES.loggingConfigurationName);
      const destinationConfiguration = destination(v, input.destinationConfiguration, false);
      v.throwIfInvalid();
      return loggingConfigurationJson(store.updateLoggingConfiguration(arn!, { name, destinationConfiguration }));
    },

    DeleteLoggingConfiguration: (input) => {
      store.deleteLoggingConfiguration(loggingConfigurationIdentifier(input.identifier, 'identifier'));
      return undefined;
    },

    ListLoggingConfigurations: (input) => {
      const v = new FieldValidator();
      const page = pagination(v, input);
      v.throwIfInvalid();
      const { items, nextToken } = paginate(store.listLoggingConfigurations(), page);
      return withOptional({ loggingConfigurations: items.map(loggingConfigurationJson) }, { nextToken });
    },

    TagResource: (input) => {
      const v = new FieldValidator();
      const arn = resourceArn(v, input.resourceArn);
      const tags = v.tags('tags', input.tags, true);
      v.throwIfInvalid();
      const merged = { ...store.tagsOf(arn!), ...tags };
      if (Object.keys(merged).length > RULES.tags.max) {
        const after = new FieldValidator();
        after.add('tags', `A resource can have at most ${RULES.tags.max} tags; this request would leave it with ${Object.keys(merged).length}`);
        after.throwIfInvalid();
      }
      store.setTags(arn!, merged);
      return {};
    },

    UntagResource: (input) => {
      const v = new FieldValidator();
      const arn = resourceArn(v, input.resourceArn);
      const keys = v.list('tagKeys', input.tagKeys, RULES.tagKeys);
      keys?.forEach((key, i) => v.string(`tagKeys.${i}`, key, RULES.tagKey));
      v.throwIfInvalid();
      const tags = store.tagsOf(arn!);
      for (const key of keys as string[]) delete tags[key];
      store.setTags(arn!, tags);
      return {};
    },

    ListTagsForResource: (input) => {
      const v = new FieldValidator();
      const arn = resourceArn(v, input.resourceArn);
      v.throwIfInvalid();
      return { tags: store.tagsOf(arn!) };
    },

    CreateChatToken: (input) => {
      const v = new FieldValidator();
      const roomArn = v.string('roomIdentifier', input.roomIdentifier, RULES.roomIdentifier);
      const userId = v.string('userId', input.userId, RULES.userId);
      const capabilityList = v.list('capabilities', input.capabilities, { max: Number.MAX_SAFE_INTEGER });
      const capabilities = capabilityList?.map((c, i) => v.enumValue(`capabilities.${i}`, c, CHAT_TOKEN_CAPABILITIES, true));
      const sessionDurationInMinutes = v.integer('sessionDurationInMinutes', input.sessionDurationInMinutes, RULES.sessionDurationInMinutes);
      const attributes = v.stringMap('attributes', input.attributes);
      if (attributes) {
        const bytes = Object.entries(attributes).reduce((sum, [k, value]) => sum + Buffer.byteLength(k) + Buffer.byteLength(value), 0);
        if (bytes > CHAT_TOKEN_ATTRIBUTES_MAX_BYTES) {
          v.add('attributes', `Member must be at most ${CHAT_TOKEN_ATTRIBUTES_MAX_BYTES} bytes in total (keys and values, UTF-8); got ${bytes}`);
        }
      }
      v.throwIfInvalid();
      return tokenJson(store.issueToken({
        roomArn: roomArn!,
        userId: userId!,
        capabilities: (capabilities ?? []).filter((c) => c !== undefined),
        attributes: attributes ?? {},
        sessionDurationInMinutes: sessionDurationInMinutes ?? DEFAULTS.sessionDurationInMinutes,
      }));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Request members
// ---------------------------------------------------------------------------------------------

function roomIdentifier(value: JsonValue | undefined, name: string): string {
  const v = new FieldValidator();
  const arn = v.string(name, value, RULES.roomIdentifier);
  v.throwIfInvalid();
  return arn!;
}

function loggingConfigurationIdentifier(value: JsonValue | undefined, name: string): string {
  const v = new FieldValidator();
  const arn = v.string(name, value, RULES.loggingConfigurationIdentifier);
  v.throwIfInvalid();
  return arn!;
}

/** The model's ResourceArn pattern admits no real ARN (a defect), so accept room and logging-configuration ARNs. */
function resourceArn(v: FieldValidator, value: JsonValue | undefined): string | undefined {
  const arn = v.string('resourceArn', value, { required: true, min: 1, max: 128 });
  if (arn !== undefined && !ROOM_ARN_PATTERN.test(arn) && !LOGGING_CONFIGURATION_ARN_PATTERN.test(arn)) {
    v.add('resourceArn', 'Member must be the ARN of an ivschat room or logging configuration');
    return undefined;
  }
  return arn;
}

interface ReviewHandlerInput {
  readonly uri?: string;
  readonly fallbackResult?: MessageReviewHandlerState['fallbackResult'];
}

/** Validates messageReviewHandler; a non-empty uri must be a Lambda in the stand-in's own account and region. */
function reviewHandler(v: FieldValidator, store: Store, value: JsonValue | undefined): ReviewHandlerInput | undefined {
  const handler = v.structure('messageReviewHandler', value);
  if (!handler) return undefined;
  const uri = v.string('messageReviewHandler.uri', handler.uri, RULES.messageReviewHandlerUri);
  const fallbackResult = v.enumValue('messageReviewHandler.fallbackResult', handler.fallbackResult, FALLBACK_RESULTS);
  const lambda = uri ? LAMBDA_ARN_PATTERN.exec(uri) : null;
  if (lambda && (lambda[1] !== store.region || lambda[2] !== store.accountId)) {
    v.add('messageReviewHandler.uri', `The review handler must be a Lambda function in the room's account and region (${store.accountId} / ${store.region})`);
  }
  return { uri, fallbackResult };
}

/**
 * UpdateRoom replaces the handler as a whole: `uri: ""` removes it, an omitted uri keeps the current one,
 * an omitted fallbackResult becomes the API default ALLOW.
 */
function nextReviewHandler(input: ReviewHandlerInput, current: MessageReviewHandlerState | undefined): MessageReviewHandlerState | null {
  const uri = input.uri ?? current?.uri ?? '';
  return uri === '' ? null : { uri, fallbackResult: input.fallbackResult ?? DEFAULTS.fallbackResult };
}

function loggingConfigurationList(v: FieldValidator, value: JsonValue | undefined): string[] | undefined {
  const list = v.list('loggingConfigurationIdentifiers', value, RULES.loggingConfigurationIdentifiers);
  if (!list) return undefined;
  const arns = list.map((item, i) => v.string(`loggingConfigurationIdentifiers.${i}`, item, RULES.loggingConfigurationIdentifier));
  return arns.every((arn) => arn !== undefined) ? arns as string[] : undefined;
}

/** The DestinationConfiguration union: exactly one of s3, cloudWatchLogs, firehose. */
function destination(v: FieldValidator, value: JsonValue | undefined, required: boolean): Destination | undefined {
  const union = v.structure('destinationConfiguration', value, required);
  if (!union) return undefined;
  const members = Object.keys(union).filter((key) => union[key] !== null && union[key] !== undefined);
  const unknown = members.filter((key) => !(DESTINATION_TYPES as readonly string[]).includes(key));
  if (unknown.length > 0 || members.length !== 1) {
    v.add('destinationConfiguration', `Member must set exactly one of ${DESTINATION_TYPES.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`);
    return undefined;
  }
  const type = members[0];
  const member = v.structure(`destinationConfiguration.${type}`, union[type], true);
  if (!member) return undefined;
  switch (type) {
    case 's3': {
      const bucketName = v.string('destinationConfiguration.s3.bucketName', member.bucketName, RULES.bucketName);
      return bucketName === undefined ? undefined : { s3: { bucketName } };
    }
    case 'cloudWatchLogs': {
      const logGroupName = v.string('destinationConfiguration.cloudWatchLogs.logGroupName', member.logGroupName, RULES.logGroupName);
      return logGroupName === undefined ? undefined : { cloudWatchLogs: { logGroupName } };
    }
    default: {
      const deliveryStreamName = v.string('destinationConfiguration.firehose.deliveryStreamName', member.deliveryStreamName, RULES.deliveryStreamName);
      return deliveryStreamName === undefined ? undefined : { firehose: { deliveryStreamName } };
    }
  }
}

interface Page {
  readonly maxResults: number;
  readonly offset: number;
}

function pagination(v: FieldValidator, input: JsonObject): Page {
  const maxResults = v.integer('maxResults', input.maxResults, RULES.maxResults) ?? DEFAULTS.maxResults;
  const token = v.string('nextToken', input.nextToken, RULES.nextToken);
  if (!token) return { maxResults, offset: 0 };
  const offset = Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^offset:/, ''));
  if (!Number.isInteger(offset) || offset < 0) v.add('nextToken', 'Member must be a nextToken returned by an earlier call');
  return { maxResults, offset: Number.isInteger(offset) ? offset : 0 };
}

function paginate<T>(all: readonly T[], page: Page): { items: T[]; nextToken?: string } {
  const end = page.offset + page.maxResults;
  const items = all.slice(page.offset, end);
  return end < all.length ? { items, nextToken: Buffer.from(`offset:${end}`).toString('base64url') } : { items };
}

// ---------------------------------------------------------------------------------------------
// Response shapes (timestamps are ISO 8601 strings: the model's Time uses timestampFormat date-time)
// ---------------------------------------------------------------------------------------------

function roomSummaryJson(room: RoomSnapshot): JsonObject {
  const handler = room.messageReviewHandler;
  return withOptional({
    arn: room.arn,
    id: room.id,
    name: room.name,
    createTime: room.createTime.toISOString(),
    updateTime: room.updateTime.toISOString(),
    tags: { ...room.tags },
    loggingConfigurationIdentifiers: [...room.loggingConfigurationIdentifiers],
  }, { messageReviewHandler: handler && { uri: handler.uri, fallbackResult: handler.fallbackResult } });
}

function roomJson(room: RoomSnapshot): JsonObject {
  return {
    ...roomSummaryJson(room),
    maximumMessageLength: room.maximumMessageLength,
    maximumMessageRatePerSecond: room.maximumMessageRatePerSecond,
  };
}

function loggingConfigurationJson(config: LoggingConfigurationSnapshot): JsonObject {
  return {
    arn: config.arn,
    id: config.id,
    name: config.name,
    createTime: config.createTime.toISOString(),
    updateTime: config.updateTime.toISOString(),
    destinationConfiguration: structuredClone(config.destinationConfiguration) as JsonObject,
    state: config.state,
    tags: { ...config.tags },
  };
}

function tokenJson(token: IssuedToken): JsonObject {
  return {
    token: token.token,
    tokenExpirationTime: token.tokenExpirationTime.toISOString(),
    sessionExpirationTime: token.sessionExpirationTime.toISOString(),
  };
}

/** Adds only the members that have a value: absent optional members are omitted, as the service does. */
function withOptional(base: JsonObject, optional: Record<string, JsonValue | undefined>): JsonObject {
  const result: JsonObject = { ...base };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) result[key] = value;
  }
  return result;
}
