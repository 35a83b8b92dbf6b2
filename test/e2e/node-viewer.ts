/**
 * A person in the chat, in Node: the unmodified `amazon-ivs-chat-messaging` ChatRoom with the README's
 * fetchChatToken against the end-to-end world's HTTP API. Not a test file; import './websocket-global' first.
 */
import {
  ChatError, ChatMessage, ChatRoom, ChatTokenProvider, DeleteMessageEvent, DisconnectReason, DisconnectUserEvent, SendMessageRequest,
} from 'amazon-ivs-chat-messaging';
import type { EndToEndWorld } from './harness';

/** What a front end sends the vendor; as in the README's fetchChatToken. */
export interface TokenRequest {
  readonly roomArn?: string;
  readonly capabilities?: string[];
  readonly attributes?: Record<string, string>;
  readonly sessionDurationInMinutes?: number;
}

/** The README's fetchChatToken for a signed-in `user` (the bearer token the JWT authorizer verifies). */
export function fetchChatTokenAs(world: EndToEndWorld, user: string, request: TokenRequest): ChatTokenProvider {
  return async () => {
    const res = await fetch(world.api.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'authorization': `Bearer ${user}` },
      body: JSON.stringify(request),
    });
    const body = await res.json() as Record<string, string>;
    if (!res.ok) throw new Error(`${res.status}: ${body.message}`);
    return {
      token: body.token,
      tokenExpirationTime: new Date(body.tokenExpirationTime),
      sessionExpirationTime: new Date(body.sessionExpirationTime),
    };
  };
}

/** One person's ChatRoom, with everything it received. */
export class Viewer {
  readonly messages: ChatMessage[] = [];
  readonly deletions: DeleteMessageEvent[] = [];
  readonly userDisconnects: DisconnectUserEvent[] = [];
  readonly room: ChatRoom;
  readonly disconnected: Promise<DisconnectReason>;
  readonly errors: unknown[][] = [];
  private readonly waiters = new Set<() => void>();
  private gone?: DisconnectReason;

  constructor(world: EndToEndWorld, readonly user: string, request: TokenRequest,
    tokenProvider: ChatTokenProvider = fetchChatTokenAs(world, user, request)) {
    this.room = new ChatRoom({ regionOrUrl: world.messaging.url, tokenProvider, maxReconnectAttempts: 0 });
    this.room.logLevel = 'error';
    this.room.logger = { debug: () => undefined, info: () => undefined, error: (...args: unknown[]) => this.errors.push(args) };
    this.room.addListener('message', (m) => this.received(this.messages.push(m)));
    this.room.addListener('messageDelete', (e) => this.received(this.deletions.push(e)));
    this.room.addListener('userDisconnect', (e) => this.received(this.userDisconnects.push(e)));
    this.disconnected = new Promise((resolve) => this.room.addListener('disconnect', resolve));
    void this.disconnected.then((reason) => {
      this.gone = reason;
      this.received();
    });
  }

  /**
   * Resolves once `condition` holds, checked now and after every event this viewer receives; fails if the
   * room disconnects first. No wall-clock deadline: jest's test timeout bounds a hang.
   */
  until(condition: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (condition()) {
          this.waiters.delete(check);
          resolve();
        } else if (this.gone !== undefined) {
          this.waiters.delete(check);
          reject(new Error(`${this.user} disconnected (${this.gone}) before the condition held; received ` +
            `${JSON.stringify({ messages: this.messages.map((m) => m.content), deletions: this.deletions.length, userDisconnects: this.userDisconnects.length })}`));
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  async join(): Promise<this> {
    const connected = new Promise<void>((resolve, reject) => {
      this.room.addListener('connect', () => resolve());
      void this.disconnected.then((reason) => reject(new Error(`${this.user} could not connect: ${reason}`)));
    });
    this.room.connect();
    await connected;
    return this;
  }

  private received(_count?: number): void {
    for (const check of [...this.waiters]) check();
  }

  send(content: string, attributes?: Record<string, string>): Promise<ChatMessage> {
    return this.room.sendMessage(new SendMessageRequest(content, attributes));
  }
}


/** The ChatError a chat request was refused with (fails if it was not refused). */
export async function chatErrorOf(promise: Promise<unknown>): Promise<ChatError> {
  try {
    await promise;
  } catch (e) {
    return e as ChatError;
  }
  throw new Error('expected the request to be refused');
}
