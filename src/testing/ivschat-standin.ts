/**
 * A local stand-in for the Amazon IVS Chat control-plane API, for tests.
 *
 * Point the real `@aws-sdk/client-ivschat` at `endpoint` (or set `AWS_ENDPOINT_URL_IVSCHAT`) with any
 * credentials. Behaviour follows the service model and the API reference; where they are silent the
 * stand-in makes these choices (so a test failing here may be stricter than the real service):
 * - requests must carry a SigV4-looking `authorization` header (the signature itself is not checked), else 403 AccessDeniedException;
 * - unknown routes answer 400 ValidationException UNKNOWN_OPERATION, and so do SendEvent / DeleteMessage / DisconnectUser
 *   unless a messaging endpoint (`./messaging.ts`) is attached, which then serves them to its connections;
 * - an unknown logging configuration in CreateRoom / UpdateRoom / ListRooms is a 404 ResourceNotFoundException
 *   with resourceType LOGGING_CONFIGURATION (the model's ResourceType enum only lists ROOM);
 * - a review handler must be a Lambda in the stand-in's region and account; on create an empty uri means no handler;
 *   UpdateRoom replaces the handler: `uri: ""` removes it, a missing uri keeps the current one, a missing fallbackResult is ALLOW;
 * - Create/UpdateLoggingConfiguration answer CREATING / UPDATING (the model's response enums say ACTIVE); the
 *   configuration turns ACTIVE (or the forced *_FAILED) once `transitionDelayMs` has passed, checked on every read;
 *   updating or deleting it meanwhile is a 409 ConflictException;
 * - UntagResource without any tagKeys (what the SDK sends for `[]`) is a ValidationException, tag keys starting with `aws:` are refused,
 *   and TagResource may not leave a resource with more than 50 tags;
 * - rooms, but not logging configurations, have no count quota; rate limiting is off unless enabled, and then each
 *   operation has its own token bucket (burst = TPS) and a throttled request takes no token;
 * - ListRooms / ListLoggingConfigurations summaries carry the resource's tags at once (the model lists `tags` in both).
 */
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type {
  CreateChatTokenRequest,
  CreateLoggingConfigurationRequest,
  CreateRoomRequest,
  DeleteLoggingConfigurationRequest,
  DeleteRoomRequest,
  GetLoggingConfigurationRequest,
  GetRoomRequest,
  ListLoggingConfigurationsRequest,
  ListRoomsRequest,
  ListTagsForResourceRequest,
  TagResourceRequest,
  UntagResourceRequest,
  UpdateLoggingConfigurationRequest,
  UpdateRoomRequest,
} from '@aws-sdk/client-ivschat';
import { accessDeniedError, internalError, ServiceError, unknownOperationError, validationError } from './errors';
import { AfterCommitFault, Fault, FaultInjector, faultToError } from './faults';
import { close, listen } from './listen';
import {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_LOGGING_CONFIGURATION_QUOTA,
  DEFAULT_REGION,
  FailedTransitionState,
  LoggingConfigurationState,
  OPERATION_GROUP,
  OperationName,
  PARTITION,
  ResourceType,
  SIGV4_AUTHORIZATION_PREFIX,
  SUCCESS_STATUS,
} from './model';
import { createOperationHandlers, OperationHandler } from './operations';
import { RateLimiter, RateLimitOptions } from './rate-limiter';
import { matchRoute } from './routes';
import { IssuedToken, LoggingConfigurationSnapshot, RoomSnapshot, Store } from './store';
import { isJsonObject, JsonObject } from './validation';

export type { AfterCommitFault, CustomFault, Fault, FaultKind } from './faults';
export { FAULT_KINDS } from './faults';
export type { FailedTransitionState, LoggingConfigurationState, OperationGroup, OperationName } from './model';
export { DEFAULT_RATE_LIMITS, OPERATIONS } from './model';
export type { RateLimitOptions } from './rate-limiter';
export type { Destination, IssuedToken, LoggingConfigurationSnapshot, MessageReviewHandlerState, RoomSnapshot } from './store';

/** Options of {@link IvsChatStandIn.start} (and of `LocalIvsChat.start`). */
export interface StandInOptions {
  /** Region in minted ARNs; review-handler Lambdas must be in it too. Default us-east-1. */
  readonly region?: string;
  /** Account in minted ARNs; review-handler Lambdas must be in it too. Default 123456789012. */
  readonly accountId?: string;
  /** How long CREATING / UPDATING last. Default 0: ACTIVE (or the forced failure) from the next request on. */
  readonly transitionDelayMs?: number;
  /** Per-operation token buckets answering ThrottlingException. Default off; `true` uses the Service Quotas rates. */
  readonly rateLimits?: RateLimitOptions;
  /** Logging configurations per account before ServiceQuotaExceededException. Default 10. */
  readonly loggingConfigurationQuota?: number;
  /** Port to listen on (127.0.0.1). Default 0: a free port. */
  readonly port?: number;
  /** Milliseconds since the epoch; inject to control timestamps, transitions and rate limits. Default Date.now. */
  readonly clock?: () => number;
}

/** The request shape of each operation, as the SDK sends it. */
export interface OperationInputs {
  CreateRoom: CreateRoomRequest;
  GetRoom: GetRoomRequest;
  UpdateRoom: UpdateRoomRequest;
  DeleteRoom: DeleteRoomRequest;
  ListRooms: ListRoomsRequest;
  CreateLoggingConfiguration: CreateLoggingConfigurationRequest;
  GetLoggingConfiguration: GetLoggingConfigurationRequest;
  UpdateLoggingConfiguration: UpdateLoggingConfigurationRequest;
  DeleteLoggingConfiguration: DeleteLoggingConfigurationRequest;
  ListLoggingConfigurations: ListLoggingConfigurationsRequest;
  TagResource: TagResourceRequest;
  UntagResource: UntagResourceRequest;
  ListTagsForResource: ListTagsForResourceRequest;
  CreateChatToken: CreateChatTokenRequest;
}

/** Requests that matched no route are logged under this name. */
export const UNKNOWN_OPERATION = 'UnknownOperation';

/** Control-plane operations that act on a room's connections: served only while a messaging endpoint is attached. */
export const MESSAGING_OPERATIONS = ['SendEvent', 'DeleteMessage', 'DisconnectUser'] as const;
export type MessagingOperationName = typeof MESSAGING_OPERATIONS[number];
/** How an attached messaging endpoint answers a control-plane request (JSON body in, JSON answer out, or a ServiceError). */
export type MessagingOperationHandler = (input: JsonObject) => JsonObject;

/** One request as the stand-in saw and answered it. */
export interface CallRecord {
  readonly operation: OperationName | MessagingOperationName | typeof UNKNOWN_OPERATION;
  readonly method: string;
  /** Path and query string as received (the tag operations' ARN is URL-encoded in it). */
  readonly path: string;
  /** Body members merged with path and query members, as sent (unvalidated). */
  readonly input: JsonObject;
  /** The HTTP status answered; 0 when an after-commit `noAnswer` fault left the request unanswered. */
  readonly status: number;
  /** True when the request was done although the answer was an after-commit fault (500 or none). */
  readonly committed?: boolean;
  /** The `x-amzn-errortype` of an error answer. */
  readonly errorType?: string;
  readonly errorMessage?: string;
  readonly time: Date;
}

/** A call record narrowed to one operation, with its input typed like the SDK's request. */
export type OperationCallRecord<Op extends OperationName> = Omit<CallRecord, 'operation' | 'input'> & {
  readonly operation: Op;
  readonly input: OperationInputs[Op];
};

/** Client settings that point `new IvschatClient(...)` at the stand-in. */
export interface StandInClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * A local stand-in for the Amazon IVS Chat control-plane API: a node:http server on 127.0.0.1 speaking
 * restJson1 so that the real `@aws-sdk/client-ivschat` works against it, with fault injection and
 * inspection for tests.
 */
export class IvsChatStandIn {
  /** Starts a stand-in listening on 127.0.0.1 (a free port unless `options.port` is given). */
  static async start(options: StandInOptions = {}): Promise<IvsChatStandIn> {
    const standIn = new IvsChatStandIn(options);
    standIn.boundPort = await listen(standIn.server, options.port);
    return standIn;
  }

  readonly region: string;
  readonly accountId: string;
  private boundPort = 0;
  private readonly server: Server;
  private readonly store: Store;
  private readonly faults = new FaultInjector();
  private readonly rateLimiter: RateLimiter;
  private readonly handlers: Record<OperationName, OperationHandler>;
  private readonly callLog: CallRecord[] = [];
  private readonly clock: () => number;
  private transitionDelayMs: number;
  private messagingOperations?: Readonly<Record<MessagingOperationName, MessagingOperationHandler>>;

  private constructor(options: StandInOptions) {
    this.region = options.region ?? DEFAULT_REGION;
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    this.clock = options.clock ?? Date.now;
    this.transitionDelayMs = options.transitionDelayMs ?? 0;
    this.rateLimiter = new RateLimiter(options.rateLimits, this.clock);
    this.store = new Store({
      region: this.region,
      accountId: this.accountId,
      loggingConfigurationQuota: options.loggingConfigurationQuota ?? DEFAULT_LOGGING_CONFIGURATION_QUOTA,
      clock: this.clock,
      transitionDelayMs: () => this.transitionDelayMs,
      takeTransitionFailure: (state) => this.faults.takeTransitionFailure(state),
    });
    this.handlers = createOperationHandlers(this.store);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => res.destroy());
    });
  }

  /** `http://127.0.0.1:PORT`: pass as the client's `endpoint` or set `AWS_ENDPOINT_URL_IVSCHAT` to it. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }


  /** The port it listens on (127.0.0.1); once stopped, the port it listened on. */
  get port(): number {
    return this.boundPort;
  }

  /** Everything `new IvschatClient(...)` needs, with dummy credentials. */
  clientConfig(): StandInClientConfig {
    return { endpoint: this.endpoint, region: this.region, credentials: { accessKeyId: 'standin', secretAccessKey: 'standin' } };
  }

  /** Environment variables that point an SDK client built with no arguments at the stand-in. */
  environment(): Record<string, string> {
    return {
      AWS_ENDPOINT_URL_IVSCHAT: this.endpoint,
      AWS_REGION: this.region,
      AWS_ACCESS_KEY_ID: 'standin',
      AWS_SECRET_ACCESS_KEY: 'standin',
    };
  }

  /** Closes the server and every connection to it. */
  async stop(): Promise<void> {
    await close(this.server);
  }

  /** The stand-in's clock (milliseconds since the epoch): token and session times are on it. */
  now(): number {
    return this.clock();
  }

  /** Serves SendEvent / DeleteMessage / DisconnectUser with these handlers (the messaging endpoint's); `undefined` detaches. */
  attachMessagingOperations(handlers: Readonly<Record<MessagingOperationName, MessagingOperationHandler>> | undefined): void {
    this.messagingOperations = handlers;
  }

  // ------------------------------------------------------------------ fault injection

  /** The next `count` requests of `operation` get `fault` instead of being processed. Queued faults add up. */
  failNext(operation: OperationName, count: number, fault: Fault): void {
    this.faults.failNext(operation, count, fault);
  }

  /**
   * The next `count` requests of `operation` are done (a create creates), then answered 500 InternalServerException
   * (`internal`) or not at all (`noAnswer`: the connection stays open until the client gives up).
   */
  failNextAfterCommit(operation: OperationName, count: number, fault: AfterCommitFault): void {
    this.faults.failNextAfterCommit(operation, count, fault);
  }

  /** Delays every answer to `operation` (faults included) by `ms`, before the request is done; 0 removes the delay. */
  setLatency(operation: OperationName, ms: number): void {
    this.faults.setLatency(operation, ms);
  }

  /** The next `count` created (CREATE_FAILED) or updated (UPDATE_FAILED) logging configurations end in that state. */
  failNextLoggingConfigurationTransition(state: FailedTransitionState, count = 1): void {
    this.faults.failNextTransition(state, count);
  }

  /** Changes how long later CREATING / UPDATING transitions last. */
  setTransitionDelay(ms: number): void {
    this.transitionDelayMs = ms;
  }

  /** Turns rate limiting on (`true`, or TPS overrides per group or operation) or off (`false`), with full buckets. */
  setRateLimits(options: RateLimitOptions): void {
    this.rateLimiter.configure(options);
  }

  // ------------------------------------------------------------------ inspection

  /** Every room, most recently updated first. */
  rooms(): RoomSnapshot[] {
    return this.store.listRooms();
  }

  /** The room with this ARN, if it exists. */
  room(arn: string): RoomSnapshot | undefined {
    return this.rooms().find((room) => room.arn === arn);
  }

  /** Current state of every logging configuration (pending transitions that are due are applied first). */
  loggingConfigurations(): LoggingConfigurationSnapshot[] {
    return this.store.listLoggingConfigurations();
  }

  /** The logging configuration with this ARN, if it exists. */
  loggingConfiguration(arn: string): LoggingConfigurationSnapshot | undefined {
    return this.loggingConfigurations().find((config) => config.arn === arn);
  }

  /** Every chat token issued (CreateChatToken or seedToken), oldest first. */
  issuedTokens(): IssuedToken[] {
    return this.store.issuedTokens();
  }

  /** Every request received, oldest first; with an operation, only that operation's, inputs typed. */
  calls(): CallRecord[];
  calls<Op extends OperationName>(operation: Op): OperationCallRecord<Op>[];
  calls(operation?: OperationName): CallRecord[] {
    const records = operation ? this.callLog.filter((call) => call.operation === operation) : this.callLog;
    return records.map((call) => structuredClone(call));
  }

  /** Faults still queued (for one operation, or all). */
  pendingFaults(operation?: OperationName): number {
    return this.faults.pending(operation);
  }

  /** The ARN a room with this id has here (to name one that does not exist). */
  roomArn(id: string): string {
    return `arn:${PARTITION}:ivschat:${this.region}:${this.accountId}:room/${id}`;
  }

  /** The ARN a logging configuration with this id has here. */
  loggingConfigurationArn(id: string): string {
    return `arn:${PARTITION}:ivschat:${this.region}:${this.accountId}:logging-configuration/${id}`;
  }

  /** Forgets all resources, tokens, calls, faults, latencies and rate-limit buckets; keeps the options. */
  reset(): void {
    this.store.reset();
    this.faults.reset();
    this.rateLimiter.reset();
    this.callLog.length = 0;
  }

  // ------------------------------------------------------------------ seeding (validated, not logged, never faulted)

  /** Creates a room as CreateRoom would, without a request. */
  seedRoom(input: CreateRoomRequest = {}): RoomSnapshot {
    const { arn } = this.handlers.CreateRoom(toJson(input)) as { arn: string };
    return this.room(arn)!;
  }

  /** Issues a chat token as CreateChatToken would, without a request. */
  seedToken(input: CreateChatTokenRequest): IssuedToken {
    const { token } = this.handlers.CreateChatToken(toJson(input)) as { token: string };
    return this.issuedTokens().find((issued) => issued.token === token)!;
  }

  /** Creates a logging configuration already in `state` (default ACTIVE). */
  seedLoggingConfiguration(input: CreateLoggingConfigurationRequest, state: LoggingConfigurationState = 'ACTIVE'): LoggingConfigurationSnapshot {
    const { arn } = this.handlers.CreateLoggingConfiguration(toJson(input)) as { arn: string };
    return this.store.forceLoggingConfigurationState(arn, state);
  }

  // ------------------------------------------------------------------ HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const body = await readBody(req);
    const url = new URL(path, 'http://127.0.0.1');
    const route = matchRoute(method, url);
    const messaging = route ? undefined : this.messagingRoute(method, url);
    let input: JsonObject = {};
    let status: number;
    let payload: JsonObject | undefined;
    let error: ServiceError | undefined;
    let afterCommit: AfterCommitFault | undefined;
    try {
      if (!req.headers.authorization?.startsWith(SIGV4_AUTHORIZATION_PREFIX)) {
        throw accessDeniedError('Missing or malformed SigV4 Authorization header');
      }
      if (messaging) {
        input = parseMessagingBody(body);
        payload = messaging.handler(input);
        status = 200;
      } else {
        if (!route) throw unknownOperationError(method, url.pathname);
        input = route.buildInput(body);
        const latency = this.faults.latencyOf(route.operation);
        if (latency > 0) await sleep(latency);
        payload = this.process(route.operation, input);
        status = SUCCESS_STATUS[route.operation];
        afterCommit = this.faults.takeAfterCommit(route.operation);
        if (afterCommit === 'internal') {
          error = internalError('Injected after the request was done');
          status = error.status;
        } else if (afterCommit === 'noAnswer') {
          status = 0;
        }
      }
    } catch (e) {
      error = e instanceof ServiceError ? e : internalError(e instanceof Error ? e.message : String(e));
      status = error.status;
    }
    // Log before answering so a test that awaited the SDK call always sees its record.
    this.callLog.push({
      operation: route?.operation ?? messaging?.operation ?? UNKNOWN_OPERATION,
      method,
      path,
      input,
      status,
      ...(afterCommit ? { committed: true } : {}),
      ...(error ? { errorType: error.errorType, errorMessage: error.message } : {}),
      time: new Date(this.clock()),
    });
    // Never answered: the client's own timeout ends the request; stop() closes the connection.
    if (afterCommit === 'noAnswer') return;
    const headers: Record<string, string> = { 'x-amzn-requestid': randomUUID() };
    if (error) headers['x-amzn-errortype'] = error.errorType;
    const text = error ? JSON.stringify(error.body) : status === 204 ? undefined : JSON.stringify(payload ?? {});
    if (text !== undefined) headers['content-type'] = 'application/json';
    res.writeHead(status, headers);
    res.end(text);
  }

  private messagingRoute(method: string, url: URL): { operation: MessagingOperationName; handler: MessagingOperationHandler } | undefined {
    const operation = MESSAGING_OPERATIONS.find((op) => url.pathname === `/${op}`);
    if (method !== 'POST' || !operation || !this.messagingOperations) return undefined;
    return { operation, handler: this.messagingOperations[operation] };
  }

  /** Injected faults first, then rate limits, then the operation itself. */
  private process(operation: OperationName, input: JsonObject): JsonObject | undefined {
    const fault = this.faults.take(operation);
    if (fault !== undefined) throw faultToError(fault, { operation, limit: this.rateLimiter.limitOf(operation), ...this.targetOf(operation, input) });
    if (!this.rateLimiter.tryTake(operation)) {
      throw faultToError('throttling', { operation, limit: this.rateLimiter.limitOf(operation), ...this.targetOf(operation, input) });
    }
    return this.handlers[operation](input);
  }

  /** The resource a request is about, for the members of injected and throttling errors. */
  private targetOf(operation: OperationName, input: JsonObject): { resourceType: ResourceType; resourceId: string } {
    const identifier = [input.identifier, input.roomIdentifier, input.resourceArn].find((value) => typeof value === 'string');
    const parsed = typeof identifier === 'string' ? this.store.parseArn(identifier) : undefined;
    if (parsed) return { resourceType: parsed.resourceType, resourceId: parsed.id };
    const resourceType: ResourceType = OPERATION_GROUP[operation] === 'loggingConfiguration' ? 'LOGGING_CONFIGURATION' : 'ROOM';
    return { resourceType, resourceId: this.accountId };
  }
}

/** SendEvent / DeleteMessage / DisconnectUser bodies are JSON objects like every POST operation's. */
function parseMessagingBody(body: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    throw validationError('OTHER', 'Request body is not valid JSON');
  }
  if (!isJsonObject(parsed)) throw validationError('OTHER', 'Request body must be a JSON object');
  return parsed;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** SDK request objects are plain JSON data; this drops undefined members and gives them the JSON type. */
function toJson(input: object): JsonObject {
  return JSON.parse(JSON.stringify(input)) as JsonObject;
}
