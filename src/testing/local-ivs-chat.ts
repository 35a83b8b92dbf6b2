/**
 * `LocalIvsChat`: the control plane (for `@aws-sdk/client-ivschat`) and the messaging endpoint (for
 * `amazon-ivs-chat-messaging`) started together on 127.0.0.1, sharing rooms, tokens and clock.
 */
import { IvsChatStandIn, IssuedToken, LoggingConfigurationSnapshot, RoomSnapshot, StandInClientConfig, StandInOptions } from './ivschat-standin';
import { LambdaHandler, libraryBundlePath, loadHandler, LoadHandlerOptions } from './lambda-handler';
import { Attributes, ConnectionInfo, EventFrame, MessageFrame, MessagingEndpoint, MessagingEndpointOptions, ReviewFunction, SentFrame } from './messaging';

/**
 * A review handler for the Lambda function ARN it is registered under: a function called with IVS Chat's review
 * event, or the path of a module exporting `handler` (a bundle such as the library's `MessageReviewFunction`,
 * or the user's own), optionally with the environment its function has.
 */
export type ReviewHandlerSource = ReviewFunction | string | { readonly path: string; readonly environment?: Readonly<Record<string, string>> };

/** Options of {@link LocalIvsChat.start}. */
export interface LocalIvsChatOptions extends StandInOptions, Omit<MessagingEndpointOptions, 'port'> {
  /**
   * Port of the messaging endpoint (127.0.0.1); `port` is the control plane's.
   * @default 0 - a free port the system picks
   */
  readonly messagingPort?: number;
  /**
   * Review handlers by Lambda function ARN: a room whose `messageReviewHandler.uri` names one has its messages
   * reviewed by it. An ARN no handler is registered for fails as a missing function (the room's fallbackResult applies).
   * @default - none
   */
  readonly reviewHandlers?: Readonly<Record<string, ReviewHandlerSource>>;
}

/** A frame the messaging endpoint delivered once (one Id) to one or more connections of a room. */
export interface Delivery {
  readonly roomArn: string;
  readonly id: string;
  readonly attributes: Attributes;
  readonly sendTime: Date;
  /** The user ids of the receiving connections, one per connection (a message's sender included). */
  readonly recipients: readonly string[];
}

/** A message the messaging endpoint delivered; one denied by its review handler never is. */
export interface DeliveredMessage extends Delivery {
  /** As delivered: after the review handler's rewrite, if any. */
  readonly content: string;
  readonly sender: { readonly userId: string; readonly attributes: Attributes };
}

/** An event the messaging endpoint delivered (SendEvent's, or the system's `aws:DELETE_MESSAGE` / `aws:DISCONNECT_USER`). */
export interface DeliveredEvent extends Delivery {
  readonly eventName: string;
}

/**
 * A local Amazon IVS Chat for Node.js tests: no AWS account, no network beyond 127.0.0.1.
 *
 * ```ts
 * const chat = await LocalIvsChat.start({ reviewHandlers: { [reviewArn]: async (e) => ({ ReviewResult: 'ALLOW', Content: e.Content }) } });
 * const client = new IvschatClient(chat.clientConfig());                // or AWS_ENDPOINT_URL_IVSCHAT = chat.endpoint
 * const room = new ChatRoom({ regionOrUrl: chat.messagingUrl, tokenProvider });
 * await chat.stop();
 * ```
 *
 * Faults, latency, transitions and the call log are on {@link controlPlane}; connections, sent frames and review
 * events on {@link messaging}.
 */
export class LocalIvsChat {
  /** Starts both endpoints; resolves once both listen. */
  static async start(options: LocalIvsChatOptions = {}): Promise<LocalIvsChat> {
    // Resolve the handlers first: a bad path fails before anything listens.
    const handlers = Object.entries(options.reviewHandlers ?? {}).map(([arn, source]) => [arn, reviewFunctionOf(source)] as const);
    const controlPlane = await IvsChatStandIn.start(options);
    let messaging: MessagingEndpoint;
    try {
      messaging = await MessagingEndpoint.start(controlPlane, { ...options, port: options.messagingPort });
    } catch (e) {
      await controlPlane.stop();
      throw e;
    }
    return new LocalIvsChat(controlPlane, messaging, handlers);
  }

  private constructor(
    /** The control plane: the AWS SDK's endpoint, with fault injection, latency, rate limits and the call log. */
    readonly controlPlane: IvsChatStandIn,
    /** The messaging endpoint: the chat SDK's WebSocket server, with its connections, frames and review events. */
    readonly messaging: MessagingEndpoint,
    private readonly initialHandlers: ReadonlyArray<readonly [string, ReviewFunction]>,
  ) {
    this.registerAll();
  }

  /** `http://127.0.0.1:PORT`: the AWS SDK client's `endpoint`, or the value of `AWS_ENDPOINT_URL_IVSCHAT`. */
  get endpoint(): string {
    return this.controlPlane.endpoint;
  }

  /** `ws://127.0.0.1:PORT`: the chat SDK's `regionOrUrl`. */
  get messagingUrl(): string {
    return this.messaging.url;
  }

  /** The region of the ARNs it mints (`us-east-1` unless given). */
  get region(): string {
    return this.controlPlane.region;
  }

  /** The account of the ARNs it mints (`123456789012` unless given). */
  get accountId(): string {
    return this.controlPlane.accountId;
  }

  /** Everything `new IvschatClient(...)` needs: endpoint, region and dummy credentials. */
  clientConfig(): StandInClientConfig {
    return this.controlPlane.clientConfig();
  }

  /** `AWS_ENDPOINT_URL_IVSCHAT`, `AWS_REGION` and dummy credentials, for code that builds its client with no arguments. */
  environment(): Record<string, string> {
    return this.controlPlane.environment();
  }

  /** Makes `source` the review handler of rooms whose `messageReviewHandler.uri` is `functionArn` (replacing any). */
  registerReviewHandler(functionArn: string, source: ReviewHandlerSource): void {
    this.messaging.registerFunction(functionArn, reviewFunctionOf(source));
  }

  /**
   * The library's `ChatTokenVendor` function, loaded from its shipped bundle as a new Lambda container: its
   * `environment` (what the construct configures; read it from your synthesized template) plus this chat's
   * endpoint, region and credentials. Call it with the API Gateway or function URL event your front end's request makes.
   */
  tokenVendor<TEvent = unknown, TResult = unknown>(environment: Readonly<Record<string, string>>): LambdaHandler<TEvent, TResult> {
    return loadHandler<TEvent, TResult>(libraryBundlePath('token-vendor'), { environment: { ...this.environment(), ...environment }, fresh: true });
  }

  // ------------------------------------------------------------------ state

  /** Every room, most recently updated first. */
  rooms(): RoomSnapshot[] {
    return this.controlPlane.rooms();
  }

  room(arn: string): RoomSnapshot | undefined {
    return this.controlPlane.room(arn);
  }

  /** Every logging configuration, in its current state. */
  loggingConfigurations(): LoggingConfigurationSnapshot[] {
    return this.controlPlane.loggingConfigurations();
  }

  /** Every chat token CreateChatToken issued, oldest first. */
  issuedTokens(): IssuedToken[] {
    return this.controlPlane.issuedTokens();
  }

  /** Open chat connections (of one room, or all). */
  connections(roomArn?: string): ConnectionInfo[] {
    return this.messaging.connections(roomArn);
  }

  /** Messages delivered (in one room, or all), oldest first; a message denied by its review handler is not among them. */
  messages(roomArn?: string): DeliveredMessage[] {
    return deliveries<MessageFrame, Omit<DeliveredMessage, keyof Delivery>>(this.messaging.sentFrames(), 'MESSAGE', roomArn, (frame) => ({
      content: frame.Content,
      sender: { userId: frame.Sender.UserId, attributes: frame.Sender.Attributes },
    }));
  }

  /** Events delivered (in one room, or all) to at least one connection, oldest first. */
  events(roomArn?: string): DeliveredEvent[] {
    return deliveries<EventFrame, Omit<DeliveredEvent, keyof Delivery>>(this.messaging.sentFrames(), 'EVENT', roomArn, (frame) => ({ eventName: frame.EventName }));
  }

  /** Closes every chat connection and forgets all resources, tokens, deliveries, calls and faults; keeps the options' review handlers. */
  reset(): void {
    this.messaging.reset();
    this.controlPlane.reset();
    this.registerAll();
  }

  /** Closes both endpoints and every connection to them. */
  async stop(): Promise<void> {
    await this.messaging.stop();
    await this.controlPlane.stop();
  }

  private registerAll(): void {
    for (const [arn, fn] of this.initialHandlers) this.messaging.registerFunction(arn, fn);
  }
}

function reviewFunctionOf(source: ReviewHandlerSource): ReviewFunction {
  if (typeof source === 'function') return source;
  const { path, ...options }: { path: string } & LoadHandlerOptions = typeof source === 'string' ? { path: source } : source;
  return loadHandler(path, options);
}

/** Frames of one type sent to one or more connections, one per room and Id in the order first sent, with `fields` of each. */
function deliveries<F extends MessageFrame | EventFrame, T>(sent: SentFrame[], type: F['Type'], roomArn: string | undefined, fields: (frame: F) => T): Array<Delivery & T> {
  const byId = new Map<string, { roomArn: string; frame: F; recipients: string[] }>();
  for (const { frame, roomArn: room, userId } of sent) {
    if (frame.Type !== type || (roomArn !== undefined && room !== roomArn)) continue;
    const key = `${room} ${frame.Id}`;
    const delivery = byId.get(key) ?? { roomArn: room, frame: frame as F, recipients: [] };
    delivery.recipients.push(userId);
    byId.set(key, delivery);
  }
  return [...byId.values()].map(({ roomArn: room, frame, recipients }) => ({
    roomArn: room,
    id: frame.Id,
    attributes: frame.Attributes,
    sendTime: new Date(frame.SendTime),
    recipients,
    ...fields(frame),
  }));
}
