import { randomBytes, randomInt } from 'node:crypto';
import { conflictError, notFoundError, serviceQuotaError } from './errors';
import {
  ChatTokenCapability,
  DEFAULTS,
  FailedTransitionState,
  FallbackResult,
  LOGGING_CONFIGURATION_ARN_PATTERN,
  LoggingConfigurationState,
  PARTITION,
  RESOURCE_ID_ALPHABET,
  RESOURCE_ID_LENGTH,
  ResourceType,
  ROOM_ARN_PATTERN,
} from './model';

export interface MessageReviewHandlerState {
  readonly uri: string;
  readonly fallbackResult: FallbackResult;
}

/** The DestinationConfiguration union: exactly one member is set. */
export type Destination =
  | { readonly s3: { readonly bucketName: string } }
  | { readonly cloudWatchLogs: { readonly logGroupName: string } }
  | { readonly firehose: { readonly deliveryStreamName: string } };

export interface RoomSnapshot {
  readonly arn: string;
  readonly id: string;
  readonly name: string;
  readonly createTime: Date;
  readonly updateTime: Date;
  readonly maximumMessageLength: number;
  readonly maximumMessageRatePerSecond: number;
  /** Absent when the room has no review handler. */
  readonly messageReviewHandler?: MessageReviewHandlerState;
  readonly loggingConfigurationIdentifiers: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

export interface LoggingConfigurationSnapshot {
  readonly arn: string;
  readonly id: string;
  readonly name: string;
  readonly createTime: Date;
  readonly updateTime: Date;
  readonly destinationConfiguration: Destination;
  readonly state: LoggingConfigurationState;
  readonly tags: Readonly<Record<string, string>>;
}

/** Everything a chat token was issued for, so tests can check room, user, capabilities and duration. */
export interface IssuedToken {
  readonly token: string;
  readonly roomArn: string;
  readonly userId: string;
  readonly capabilities: readonly ChatTokenCapability[];
  readonly attributes: Readonly<Record<string, string>>;
  readonly sessionDurationInMinutes: number;
  readonly issuedAt: Date;
  readonly tokenExpirationTime: Date;
  readonly sessionExpirationTime: Date;
}

/** A room as CreateRoom asks for it: everything but the identity and times the store assigns. */
export type RoomSpec = Omit<RoomSnapshot, 'arn' | 'id' | 'createTime' | 'updateTime'>;

/** UpdateRoom: `undefined` leaves a field alone; `messageReviewHandler: null` removes the handler. */
export interface RoomPatch {
  readonly name?: string;
  readonly maximumMessageLength?: number;
  readonly maximumMessageRatePerSecond?: number;
  readonly messageReviewHandler?: MessageReviewHandlerState | null;
  readonly loggingConfigurationIdentifiers?: readonly string[];
}

/** A logging configuration as CreateLoggingConfiguration asks for it. */
export type LoggingConfigurationSpec = Pick<LoggingConfigurationSnapshot, 'name' | 'destinationConfiguration' | 'tags'>;

export interface LoggingConfigurationPatch {
  readonly name?: string;
  readonly destinationConfiguration?: Destination;
}

export interface TokenSpec {
  readonly roomArn: string;
  readonly userId: string;
  readonly capabilities: readonly ChatTokenCapability[];
  readonly attributes: Readonly<Record<string, string>>;
  readonly sessionDurationInMinutes: number;
}

export interface StoreOptions {
  readonly region: string;
  readonly accountId: string;
  readonly loggingConfigurationQuota: number;
  readonly clock: () => number;
  /** Read on every transition so it can change while the stand-in runs. */
  readonly transitionDelayMs: () => number;
  /** Consumes a forced CREATE_FAILED / UPDATE_FAILED outcome if one is queued. */
  readonly takeTransitionFailure: (state: FailedTransitionState) => boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type RoomRecord = Mutable<RoomSnapshot>;
type LoggingConfigurationRecord = Mutable<LoggingConfigurationSnapshot> & {
  /** A pending CREATING/UPDATING -> outcome change, applied lazily once the clock passes `at`. */
  transition?: { readonly to: LoggingConfigurationState; readonly at: number };
};

/** Transitional states during which the configuration cannot be updated or deleted. */
const BUSY_STATES: readonly LoggingConfigurationState[] = ['CREATING', 'UPDATING', 'DELETING'];

/** The stand-in's resources. Methods take validated input and throw ServiceError for service-level failures. */
export class Store {
  private readonly roomsByArn = new Map<string, RoomRecord>();
  private readonly configsByArn = new Map<string, LoggingConfigurationRecord>();
  private readonly tokens: IssuedToken[] = [];

  constructor(private readonly options: StoreOptions) {}

  get region(): string {
    return this.options.region;
  }

  get accountId(): string {
    return this.options.accountId;
  }

  // ------------------------------------------------------------------ rooms

  createRoom(spec: RoomSpec): RoomSnapshot {
    this.requireLoggingConfigurations(spec.loggingConfigurationIdentifiers);
    const { messageReviewHandler, ...fields } = spec;
    const room: RoomRecord = { ...this.newIdentity('room'), ...structuredClone(fields) };
    // Absent rather than undefined: a room without a handler has no such member.
    if (messageReviewHandler) room.messageReviewHandler = { ...messageReviewHandler };
    this.roomsByArn.set(room.arn, room);
    return structuredClone(room);
  }

  getRoom(arn: string): RoomSnapshot {
    return structuredClone(this.roomRecord(arn));
  }

  updateRoom(arn: string, patch: RoomPatch): RoomSnapshot {
    const room = this.roomRecord(arn);
    const { messageReviewHandler, ...fields } = patch;
    if (fields.loggingConfigurationIdentifiers) this.requireLoggingConfigurations(fields.loggingConfigurationIdentifiers);
    assignDefined(room, fields);
    if (messageReviewHandler === null) delete room.messageReviewHandler;
    else if (messageReviewHandler) room.messageReviewHandler = { ...messageReviewHandler };
    room.updateTime = new Date(this.options.clock());
    return structuredClone(room);
  }

  deleteRoom(arn: string): void {
    this.roomRecord(arn);
    this.roomsByArn.delete(arn);
  }

  /** Most recently updated first, as ListRooms documents. */
  listRooms(): RoomSnapshot[] {
    return [...this.roomsByArn.values()].sort(byUpdateTimeDesc).map((room) => structuredClone(room));
  }

  // ------------------------------------------------------------------ logging configurations

  createLoggingConfiguration(spec: LoggingConfigurationSpec): LoggingConfigurationSnapshot {
    const quota = this.options.loggingConfigurationQuota;
    if (this.configsByArn.size >= quota) {
      throw serviceQuotaError('LOGGING_CONFIGURATION', this.accountId, quota,
        `Limit of ${quota} logging configurations per account and region reached`);
    }
    const config: LoggingConfigurationRecord = { ...this.newIdentity('logging-configuration'), ...structuredClone(spec), state: 'CREATING' };
    this.startTransition(config, 'CREATE_FAILED');
    this.configsByArn.set(config.arn, config);
    return snapshotOf(config);
  }

  getLoggingConfiguration(arn: string): LoggingConfigurationSnapshot {
    return snapshotOf(this.configRecord(arn));
  }

  updateLoggingConfiguration(arn: string, patch: LoggingConfigurationPatch): LoggingConfigurationSnapshot {
    const config = this.configRecord(arn);
    this.requireSettled(config, 'updated');
    assignDefined(config, patch);
    config.updateTime = new Date(this.options.clock());
    config.state = 'UPDATING';
    this.startTransition(config, 'UPDATE_FAILED');
    return snapshotOf(config);
  }

  deleteLoggingConfiguration(arn: string): void {
    const config = this.configRecord(arn);
    this.requireSettled(config, 'deleted');
    const attachedTo = [...this.roomsByArn.values()].filter((room) => room.loggingConfigurationIdentifiers.includes(arn));
    if (attachedTo.length > 0) {
      throw conflictError('LOGGING_CONFIGURATION', config.id,
        `Logging configuration ${arn} is attached to ${attachedTo.length} room(s): ${attachedTo.map((room) => room.arn).join(', ')}`);
    }
    this.configsByArn.delete(arn);
  }

  listLoggingConfigurations(): LoggingConfigurationSnapshot[] {
    return [...this.configsByArn.values()].map((config) => this.settle(config)).sort(byUpdateTimeDesc).map(snapshotOf);
  }

  /** Test helper: put a configuration straight into a state, cancelling any pending transition. */
  forceLoggingConfigurationState(arn: string, state: LoggingConfigurationState): LoggingConfigurationSnapshot {
    const config = this.configRecord(arn);
    config.state = state;
    delete config.transition;
    return snapshotOf(config);
  }

  // ------------------------------------------------------------------ tags (rooms and logging configurations)

  tagsOf(arn: string): Record<string, string> {
    return { ...this.taggable(arn).tags };
  }

  setTags(arn: string, tags: Readonly<Record<string, string>>): void {
    this.taggable(arn).tags = { ...tags };
  }

  // ------------------------------------------------------------------ chat tokens

  issueToken(spec: TokenSpec): IssuedToken {
    this.roomRecord(spec.roomArn);
    const now = this.options.clock();
    const token: IssuedToken = {
      token: `ivschat-standin.${randomBytes(48).toString('base64url')}`,
      roomArn: spec.roomArn,
      userId: spec.userId,
      capabilities: [...spec.capabilities],
      attributes: { ...spec.attributes },
      sessionDurationInMinutes: spec.sessionDurationInMinutes,
      issuedAt: new Date(now),
      tokenExpirationTime: new Date(now + DEFAULTS.tokenValidityMs),
      sessionExpirationTime: new Date(now + spec.sessionDurationInMinutes * 60_000),
    };
    this.tokens.push(token);
    return structuredClone(token);
  }

  issuedTokens(): IssuedToken[] {
    return this.tokens.map((token) => structuredClone(token));
  }

  // ------------------------------------------------------------------ housekeeping

  reset(): void {
    this.roomsByArn.clear();
    this.configsByArn.clear();
    this.tokens.length = 0;
  }

  /** The resource type and id an ARN names, for error members; undefined if it is neither kind of ARN. */
  parseArn(arn: string): { resourceType: ResourceType; id: string } | undefined {
    const room = ROOM_ARN_PATTERN.exec(arn);
    if (room) return { resourceType: 'ROOM', id: room[3] };
    const config = LOGGING_CONFIGURATION_ARN_PATTERN.exec(arn);
    if (config) return { resourceType: 'LOGGING_CONFIGURATION', id: config[3] };
    return undefined;
  }

  private roomRecord(arn: string): RoomRecord {
    const room = this.roomsByArn.get(arn);
    if (!room) throw notFoundError('ROOM', this.parseArn(arn)?.id ?? arn, arn);
    return room;
  }

  private configRecord(arn: string): LoggingConfigurationRecord {
    const config = this.configsByArn.get(arn);
    if (!config) throw notFoundError('LOGGING_CONFIGURATION', this.parseArn(arn)?.id ?? arn, arn);
    return this.settle(config);
  }

  private taggable(arn: string): RoomRecord | LoggingConfigurationRecord {
    return this.parseArn(arn)?.resourceType === 'LOGGING_CONFIGURATION' ? this.configRecord(arn) : this.roomRecord(arn);
  }

  /** Attaching an unknown logging configuration is a 404 naming the configuration. */
  private requireLoggingConfigurations(arns: readonly string[]): void {
    for (const arn of arns) this.configRecord(arn);
  }

  private requireSettled(config: LoggingConfigurationRecord, action: string): void {
    if (BUSY_STATES.includes(config.state)) {
      throw conflictError('LOGGING_CONFIGURATION', config.id, `Logging configuration ${config.arn} is ${config.state} and cannot be ${action}`);
    }
  }

  private startTransition(config: LoggingConfigurationRecord, failure: FailedTransitionState): void {
    const to = this.options.takeTransitionFailure(failure) ? failure : 'ACTIVE';
    config.transition = { to, at: this.options.clock() + this.options.transitionDelayMs() };
  }

  private settle(config: LoggingConfigurationRecord): LoggingConfigurationRecord {
    if (config.transition && this.options.clock() >= config.transition.at) {
      config.state = config.transition.to;
      delete config.transition;
    }
    return config;
  }

  private arn(type: 'room' | 'logging-configuration', id: string): string {
    return `arn:${PARTITION}:ivschat:${this.region}:${this.accountId}:${type}/${id}`;
  }

  /** A new resource's ARN, id and times (created and updated now). */
  private newIdentity(type: 'room' | 'logging-configuration'): { arn: string; id: string; createTime: Date; updateTime: Date } {
    const id = this.newId();
    const now = this.options.clock();
    return { arn: this.arn(type, id), id, createTime: new Date(now), updateTime: new Date(now) };
  }

  private newId(): string {
    for (;;) {
      let id = '';
      for (let i = 0; i < RESOURCE_ID_LENGTH; i++) id += RESOURCE_ID_ALPHABET[randomInt(RESOURCE_ID_ALPHABET.length)];
      if (!this.roomsByArn.has(this.arn('room', id)) && !this.configsByArn.has(this.arn('logging-configuration', id))) return id;
    }
  }
}

/** Copies the members of `patch` that are not undefined into `target` (deep copies: the caller keeps its objects). */
function assignDefined<T extends object>(target: T, patch: Partial<T>): void {
  for (const [key, value] of Object.entries(structuredClone(patch))) {
    if (value !== undefined) (target as Record<string, unknown>)[key] = value;
  }
}

function snapshotOf(config: LoggingConfigurationRecord): LoggingConfigurationSnapshot {
  const { transition: _pending, ...snapshot } = config;
  return structuredClone(snapshot);
}

function byUpdateTimeDesc(a: { updateTime: Date; arn: string }, b: { updateTime: Date; arn: string }): number {
  return b.updateTime.getTime() - a.updateTime.getTime() || a.arn.localeCompare(b.arn);
}
