/**
 * The stand-in's second face: a local IVS Chat messaging endpoint (WebSocket, on `ws`) that shares the
 * control-plane stand-in's state: its rooms (limits and review handlers, read live), the tokens its
 * CreateChatToken issued, and its clock. Attached, it also serves the control plane's SendEvent,
 * DeleteMessage and DisconnectUser to the room's connections.
 *
 * Point `new ChatRoom({ regionOrUrl: endpoint.url, ... })` from `amazon-ivs-chat-messaging` at it.
 * Review handlers are local functions registered under the Lambda ARN the room names.
 *
 * Where the Messaging API reference and the SDK's code are silent, the endpoint decides (a test failing
 * here may be stricter or differ from the real service):
 * - a refused upgrade (no token, unknown, used or expired token) is an HTTP 401 before the WebSocket opens;
 *   a token whose room no longer exists is an HTTP 404;
 * - requests are checked in this order: JSON object, known Action, string RequestId (400); capability (403);
 *   required fields and their types (400); Content length in code points (400); the room's rate (429);
 *   then the review handler (406 on DENY);
 * - a request that cannot be parsed gets an ERROR without RequestId;
 * - the rate limit counts SEND_MESSAGE requests that passed the checks before it, room-wide, over a
 *   sliding one-second window; refused requests do not count;
 * - a MESSAGE always carries `Attributes` and `Sender.Attributes` (`{}` when there are none);
 * - ALLOW without `Content` / `Attributes` keeps the message's own; a rewritten Content is not length-checked again;
 * - DENY's ErrorMessage is `Message rejected by the review handler` plus `: <Reason>` when the answer has
 *   `Attributes.Reason`; a fallback DENY says `Message rejected: the review handler failed (<why>)`;
 * - DELETE_MESSAGE does not check that the message exists; `Reason` is in the event only when given;
 * - `aws:DISCONNECT_USER` goes to every connection in the room (the disconnected user's too), then that
 *   user's sockets are closed with code 1000; a session that reaches its expiration is closed with 1000 too.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { notFoundError, ServiceError } from './errors';
import type { IssuedToken, IvsChatStandIn, MessagingOperationHandler, MessagingOperationName, RoomSnapshot } from './ivschat-standin';
import { close, listen } from './listen';
import {
  Attributes,
  ErrorFrame,
  EVENT_ATTRIBUTES_MAX_BYTES,
  EVENT_NAME_MAX_LENGTH,
  EventFrame,
  isAttributes,
  MESSAGE_ID_LENGTH,
  MessageFrame,
  MESSAGING_ACTIONS,
  MESSAGING_ERROR_CODES,
  MessagingAction,
  MessagingErrorCode,
  parseReviewAnswer,
  ReviewAnswer,
  REASON_MAX_LENGTH,
  REVIEW_HANDLER_TIMEOUT_MS,
  ReviewEvent,
  SERVER_CLOSE_CODE,
  ServerFrame,
  SYSTEM_EVENTS,
} from './messaging-protocol';
import { RESOURCE_ID_ALPHABET, ROOM_ARN_PATTERN } from './model';
import { codePointLength, FieldValidator, JsonObject, JsonValue } from './validation';

export * from './messaging-protocol';

/** A review handler as IVS Chat calls it: the Lambda function's `handler(event)`. */
export type ReviewFunction = (event: ReviewEvent) => unknown;

/** Options of {@link MessagingEndpoint.start}. */
export interface MessagingEndpointOptions {
  /** Port to listen on (127.0.0.1). Default 0: a free port. */
  readonly port?: number;
  /** Ends every session after at most this long (real milliseconds), standing in for a short session. Default: the token's sessionExpirationTime only. */
  readonly maxSessionMs?: number;
  /** How long a review handler may take. Default 200 ms, as the service. */
  readonly reviewTimeoutMs?: number;
}

/** One open chat connection. */
export interface ConnectionInfo {
  readonly id: string;
  readonly roomArn: string;
  readonly userId: string;
  readonly capabilities: readonly string[];
  readonly openedAt: Date;
}

/** A frame the endpoint sent, and to whom. */
export interface SentFrame {
  /** The receiving connection. */
  readonly connectionId: string;
  /** The receiving connection's user. */
  readonly userId: string;
  /** The receiving connection's room. */
  readonly roomArn: string;
  readonly frame: ServerFrame;
}

/** An upgrade the endpoint refused. */
export interface RefusedUpgrade {
  readonly status: number;
  readonly reason: string;
}

interface Connection extends ConnectionInfo {
  readonly socket: WebSocket;
  readonly token: IssuedToken;
  readonly ip: string;
  sessionTimer?: NodeJS.Timeout;
}

class RequestError extends Error {
  constructor(readonly code: MessagingErrorCode, message: string) {
    super(message);
  }
}

/**
 * The local IVS Chat messaging endpoint: a WebSocket server on 127.0.0.1 for `amazon-ivs-chat-messaging`'s
 * ChatRoom, sharing an {@link IvsChatStandIn}'s rooms, tokens and clock. {@link LocalIvsChat} starts both.
 */
export class MessagingEndpoint {
  /** Starts an endpoint on 127.0.0.1 that shares `standIn`'s state and serves its messaging operations. */
  static async start(standIn: IvsChatStandIn, options: MessagingEndpointOptions = {}): Promise<MessagingEndpoint> {
    const endpoint = new MessagingEndpoint(standIn, options);
    endpoint.boundPort = await listen(endpoint.server, options.port);
    standIn.attachMessagingOperations(endpoint.controlPlaneOperations());
    return endpoint;
  }

  private boundPort = 0;
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => [...protocols][0] ?? false });
  private readonly open = new Map<string, Connection>();
  private readonly usedTokens = new Set<string>();
  private readonly functions = new Map<string, ReviewFunction>();
  private readonly sendTimes = new Map<string, number[]>();
  private readonly sent: SentFrame[] = [];
  private readonly refused: RefusedUpgrade[] = [];
  private readonly reviews: ReviewEvent[] = [];
  private maxSessionMs: number | undefined;
  private readonly reviewTimeoutMs: number;

  private constructor(private readonly standIn: IvsChatStandIn, options: MessagingEndpointOptions) {
    this.maxSessionMs = options.maxSessionMs;
    this.reviewTimeoutMs = options.reviewTimeoutMs ?? REVIEW_HANDLER_TIMEOUT_MS;
    this.server = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' });
      res.end('Upgrade Required');
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.upgrade(req, socket, head));
  }

  /** `ws://127.0.0.1:PORT`: the SDK's `regionOrUrl`. */
  get url(): string {
    return `ws://127.0.0.1:${this.boundPort}`;
  }

  /** Makes `handler` the Lambda function with this ARN, for rooms whose review handler names it. */
  registerFunction(functionArn: string, handler: ReviewFunction): void {
    this.functions.set(functionArn, handler);
  }

  /** Changes the session cap for connections opened from now on. */
  setMaxSession(ms: number | undefined): void {
    this.maxSessionMs = ms;
  }

  /** Open connections (of one room, or all). */
  connections(roomArn?: string): ConnectionInfo[] {
    return [...this.open.values()]
      .filter((c) => roomArn === undefined || c.roomArn === roomArn)
      .map(({ id, roomArn: room, userId, capabilities, openedAt }) => ({ id, roomArn: room, userId, capabilities, openedAt }));
  }

  /** Every frame sent, oldest first. */
  sentFrames(): SentFrame[] {
    return structuredClone(this.sent);
  }

  /** Every WebSocket upgrade refused (bad, used or expired token; deleted room), oldest first. */
  refusedUpgrades(): RefusedUpgrade[] {
    return [...this.refused];
  }

  /** Every event passed to a review handler. */
  reviewEvents(): ReviewEvent[] {
    return structuredClone(this.reviews);
  }

  /** Closes every connection and forgets tokens used, functions, rates and logs. */
  reset(): void {
    for (const connection of this.open.values()) this.close(connection, 'reset');
    this.usedTokens.clear();
    this.functions.clear();
    this.sendTimes.clear();
    this.sent.length = 0;
    this.refused.length = 0;
    this.reviews.length = 0;
  }

  /** Closes every connection and the server; the control plane stops serving SendEvent, DeleteMessage and DisconnectUser. */
  async stop(): Promise<void> {
    this.standIn.attachMessagingOperations(undefined);
    for (const connection of this.open.values()) connection.socket.terminate();
    this.open.clear();
    this.wss.close();
    await close(this.server);
  }

  // ------------------------------------------------------------------ connecting

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    const token = offered.length === 1 ? this.standIn.issuedTokens().find((t) => t.token === offered[0]) : undefined;
    const refusal = this.refusalOf(offered, token);
    if (refusal) {
      this.refused.push(refusal);
      socket.end(`HTTP/1.1 ${refusal.status} ${refusal.status === 404 ? 'Not Found' : 'Unauthorized'}\r\n`
        + `Content-Type: text/plain\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(refusal.reason)}\r\n\r\n${refusal.reason}`);
      return;
    }
    this.usedTokens.add(token!.token);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.opened(ws, token!, req.socket.remoteAddress ?? '127.0.0.1'));
  }

  private refusalOf(offered: string[], token: IssuedToken | undefined): RefusedUpgrade | undefined {
    if (offered.length === 0) return { status: 401, reason: 'Missing chat token (Sec-WebSocket-Protocol)' };
    if (!token) return { status: 401, reason: 'Unknown chat token' };
    if (this.usedTokens.has(token.token)) return { status: 401, reason: 'Chat token already used' };
    if (this.standIn.now() >= token.tokenExpirationTime.getTime()) return { status: 401, reason: 'Chat token expired' };
    if (!this.standIn.room(token.roomArn)) return { status: 404, reason: 'Room not found' };
    return undefined;
  }

  private opened(socket: WebSocket, token: IssuedToken, ip: string): void {
    const connection: Connection = {
      id: randomUUID(),
      roomArn: token.roomArn,
      userId: token.userId,
      capabilities: token.capabilities,
      openedAt: new Date(this.standIn.now()),
      socket,
      token,
      ip,
    };
    this.open.set(connection.id, connection);
    const untilExpiry = token.sessionExpirationTime.getTime() - this.standIn.now();
    const sessionMs = Math.max(0, Math.min(untilExpiry, this.maxSessionMs ?? untilExpiry));
    connection.sessionTimer = setTimeout(() => this.close(connection, 'Session expired'), sessionMs);
    socket.on('message', (data, isBinary) => {
      this.request(connection, isBinary ? undefined : data.toString()).catch(() => this.close(connection, 'Internal error'));
    });
    socket.on('close', () => {
      clearTimeout(connection.sessionTimer);
      this.open.delete(connection.id);
    });
  }

  private close(connection: Connection, reason: string): void {
    clearTimeout(connection.sessionTimer);
    this.open.delete(connection.id);
    connection.socket.close(SERVER_CLOSE_CODE, reason);
  }

  // ------------------------------------------------------------------ requests

  private async request(connection: Connection, text: string | undefined): Promise<void> {
    let requestId: string | undefined;
    try {
      const request = parseRequest(text);
      requestId = request.RequestId as string;
      const action = request.Action as MessagingAction;
      if (!connection.capabilities.includes(action)) {
        throw new RequestError(MESSAGING_ERROR_CODES.forbidden, `The connection does not have the ${action} capability`);
      }
      const room = this.standIn.room(connection.roomArn);
      if (!room) throw new RequestError(MESSAGING_ERROR_CODES.notFound, 'Room not found');
      switch (action) {
        case 'SEND_MESSAGE':
          return await this.sendMessage(connection, room, request, requestId);
        case 'DELETE_MESSAGE':
          this.deleteMessage(room.arn, requiredString(request, 'Id'), optionalReason(request), { connection, requestId });
          return;
        default:
          return this.disconnectUser(room.arn, requiredString(request, 'UserId'), optionalReason(request), { connection, requestId });
      }
    } catch (e) {
      if (!(e instanceof RequestError)) throw e;
      this.send(connection, errorFrame(e.code, e.message, requestId));
    }
  }

  private async sendMessage(connection: Connection, room: RoomSnapshot, request: JsonObject, requestId: string): Promise<void> {
    const content = requiredString(request, 'Content');
    const attributes = request.Attributes ?? {};
    if (!isAttributes(attributes)) throw badRequest('Attributes must be a map of strings');
    const length = codePointLength(content);
    if (length > room.maximumMessageLength) {
      throw badRequest(`Content is ${length} characters; the room allows at most ${room.maximumMessageLength}`);
    }
    this.takeRate(room);

    const messageId = newMessageId();
    const reviewed = await this.review(connection, room, { content, attributes, messageId });
    if ('denied' in reviewed) throw new RequestError(MESSAGING_ERROR_CODES.notAcceptable, reviewed.denied);

    const sendTime = new Date(this.standIn.now()).toISOString();
    for (const target of this.roomConnections(room.arn)) {
      const frame: MessageFrame = {
        Type: 'MESSAGE',
        Id: messageId,
        ...(target === connection ? { RequestId: requestId } : {}),
        Content: reviewed.content,
        Attributes: reviewed.attributes,
        Sender: { UserId: connection.userId, Attributes: { ...connection.token.attributes } },
        SendTime: sendTime,
      };
      this.send(target, frame);
    }
  }

  /** Room-wide: at most maximumMessageRatePerSecond SEND_MESSAGE requests in any one second. */
  private takeRate(room: RoomSnapshot): void {
    const now = this.standIn.now();
    const recent = (this.sendTimes.get(room.arn) ?? []).filter((t) => now - t < 1000);
    if (recent.length >= room.maximumMessageRatePerSecond) {
      this.sendTimes.set(room.arn, recent);
      throw new RequestError(MESSAGING_ERROR_CODES.tooManyRequests, `Rate exceeded: the room allows ${room.maximumMessageRatePerSecond} messages per second`);
    }
    recent.push(now);
    this.sendTimes.set(room.arn, recent);
  }

  private async review(
    connection: Connection,
    room: RoomSnapshot,
    message: { content: string; attributes: Attributes; messageId: string },
  ): Promise<{ content: string; attributes: Attributes } | { denied: string }> {
    const handlerState = room.messageReviewHandler;
    if (!handlerState) return message;
    const event: ReviewEvent = {
      Content: message.content,
      MessageId: message.messageId,
      RoomArn: room.arn,
      Attributes: { ...message.attributes },
      Sender: { UserId: connection.userId, Ip: connection.ip, Attributes: { ...connection.token.attributes } },
    };
    this.reviews.push(structuredClone(event));
    const outcome = await this.invoke(handlerState.uri, event);
    if ('failure' in outcome) {
      return handlerState.fallbackResult === 'ALLOW'
        ? message
        : { denied: `Message rejected: the review handler failed (${outcome.failure})` };
    }
    const answer = outcome.answer;
    if (answer.ReviewResult === 'DENY') {
      const reason = answer.Attributes?.Reason;
      return { denied: `Message rejected by the review handler${reason ? `: ${reason}` : ''}` };
    }
    return { content: answer.Content ?? message.content, attributes: answer.Attributes ?? message.attributes };
  }

  private async invoke(uri: string, event: ReviewEvent): Promise<{ answer: ReviewAnswer } | { failure: string }> {
    const fn = this.functions.get(uri);
    if (!fn) return { failure: 'function not found' };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<{ failure: string }>((resolve) => {
      timer = setTimeout(() => resolve({ failure: 'timed out' }), this.reviewTimeoutMs);
    });
    const call = Promise.resolve()
      .then(() => fn(structuredClone(event)))
      .then((value) => {
        const answer = parseReviewAnswer(value);
        return answer ? { answer } : { failure: 'invalid answer' };
      }, () => ({ failure: 'error' }));
    try {
      return await Promise.race([call, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private deleteMessage(roomArn: string, messageId: string, reason: string | undefined, requester?: Requester): string {
    return this.broadcastEvent(roomArn, SYSTEM_EVENTS.deleteMessage,
      { MessageId: messageId, MessageID: messageId, ...(reason !== undefined ? { Reason: reason } : {}) }, requester);
  }

  private disconnectUser(roomArn: string, userId: string, reason: string | undefined, requester?: Requester): void {
    this.broadcastEvent(roomArn, SYSTEM_EVENTS.disconnectUser, { UserId: userId, ...(reason !== undefined ? { Reason: reason } : {}) }, requester);
    for (const connection of this.roomConnections(roomArn)) {
      if (connection.userId === userId) this.close(connection, 'Disconnected');
    }
  }

  /** Sends one EVENT (one Id) to every connection in the room; the requester's copy carries its RequestId. */
  private broadcastEvent(roomArn: string, eventName: string, attributes: Attributes, requester?: Requester): string {
    const id = newMessageId();
    const sendTime = new Date(this.standIn.now()).toISOString();
    for (const target of this.roomConnections(roomArn)) {
      const frame: EventFrame = {
        Type: 'EVENT',
        Id: id,
        ...(target === requester?.connection ? { RequestId: requester.requestId } : {}),
        EventName: eventName,
        Attributes: attributes,
        SendTime: sendTime,
      };
      this.send(target, frame);
    }
    return id;
  }

  private roomConnections(roomArn: string): Connection[] {
    return [...this.open.values()].filter((c) => c.roomArn === roomArn);
  }

  private send(connection: Connection, frame: ServerFrame): void {
    this.sent.push({ connectionId: connection.id, userId: connection.userId, roomArn: connection.roomArn, frame: structuredClone(frame) });
    if (connection.socket.readyState === WebSocket.OPEN) connection.socket.send(JSON.stringify(frame));
  }

  // ------------------------------------------------------------------ control plane (SendEvent, DeleteMessage, DisconnectUser)

  private controlPlaneOperations(): Record<MessagingOperationName, MessagingOperationHandler> {
    return {
      SendEvent: this.roomOperation((v, input) => {
        const eventName = v.string('eventName', input.eventName, { required: true, min: 1, max: EVENT_NAME_MAX_LENGTH });
        const attributes = v.stringMap('attributes', input.attributes) ?? {};
        const bytes = Object.entries(attributes).reduce((sum, [k, value]) => sum + Buffer.byteLength(k) + Buffer.byteLength(value), 0);
        if (bytes > EVENT_ATTRIBUTES_MAX_BYTES) v.add('attributes', `Member must be at most ${EVENT_ATTRIBUTES_MAX_BYTES} bytes in total; got ${bytes}`);
        return (roomArn) => ({ id: this.broadcastEvent(roomArn, eventName!, attributes) });
      }),
      DeleteMessage: this.roomOperation((v, input) => {
        const id = v.string('id', input.id, { required: true, min: MESSAGE_ID_LENGTH, max: MESSAGE_ID_LENGTH });
        const reason = v.string('reason', input.reason, { min: 1, max: REASON_MAX_LENGTH });
        return (roomArn) => ({ id: this.deleteMessage(roomArn, id!, reason) });
      }),
      DisconnectUser: this.roomOperation((v, input) => {
        const userId = v.string('userId', input.userId, { required: true, min: 1, max: 128 });
        const reason = v.string('reason', input.reason, { min: 1, max: REASON_MAX_LENGTH });
        return (roomArn) => {
          this.disconnectUser(roomArn, userId!, reason);
          return {};
        };
      }),
    };
  }

  /**
   * A control-plane operation on one room: `parse` validates the members besides roomIdentifier and returns the
   * action, which runs only once every member is valid and the room exists.
   */
  private roomOperation(parse: (v: FieldValidator, input: JsonObject) => (roomArn: string) => JsonObject): MessagingOperationHandler {
    return (input) => {
      const v = new FieldValidator();
      const roomArn = v.string('roomIdentifier', input.roomIdentifier, { required: true, min: 1, max: 128, pattern: ROOM_ARN_PATTERN });
      const act = parse(v, input);
      v.throwIfInvalid();
      this.requireRoom(roomArn!);
      return act(roomArn!);
    };
  }

  private requireRoom(arn: string): void {
    if (!this.standIn.room(arn)) {
      const error: ServiceError = notFoundError('ROOM', ROOM_ARN_PATTERN.exec(arn)?.[3] ?? arn, arn);
      throw error;
    }
  }
}

interface Requester {
  readonly connection: Connection;
  readonly requestId: string;
}

function badRequest(message: string): RequestError {
  return new RequestError(MESSAGING_ERROR_CODES.badRequest, message);
}

/** A JSON object with a known Action and a string RequestId, or a 400. */
function parseRequest(text: string | undefined): JsonObject {
  if (text === undefined) throw badRequest('Requests must be text frames');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('Request is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('Request must be a JSON object');
  const request = parsed as JsonObject;
  if (!(MESSAGING_ACTIONS as readonly JsonValue[]).includes(request.Action)) throw badRequest(`Unknown Action ${JSON.stringify(request.Action ?? null)}`);
  if (typeof request.RequestId !== 'string' || request.RequestId === '') throw badRequest('RequestId must be a non-empty string');
  return request;
}

function requiredString(request: JsonObject, field: string): string {
  const value = request[field];
  if (typeof value !== 'string') throw badRequest(`${field} must be a string`);
  return value;
}

function optionalReason(request: JsonObject): string | undefined {
  const value = request.Reason;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest('Reason must be a string');
  return value;
}

function errorFrame(code: MessagingErrorCode, message: string, requestId: string | undefined): ErrorFrame {
  return { Type: 'ERROR', Id: newMessageId(), ...(requestId ? { RequestId: requestId } : {}), ErrorCode: code, ErrorMessage: message };
}

function newMessageId(): string {
  let id = '';
  for (let i = 0; i < MESSAGE_ID_LENGTH; i++) id += RESOURCE_ID_ALPHABET[randomInt(RESOURCE_ID_ALPHABET.length)];
  return id;
}
