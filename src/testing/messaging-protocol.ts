/**
 * The IVS Chat Messaging API (the WebSocket protocol chat clients speak), as the messaging stand-in serves it.
 *
 * Sources: the Amazon IVS Chat Messaging API reference (actions, events, errors), the chat message review
 * handler page, and what `amazon-ivs-chat-messaging` 1.1 (dist/esm) sends and requires. Where they are
 * silent the stand-in decides; those decisions are listed in `messaging.ts`.
 */

/** Client requests; each needs the token capability of the same name. */
export const MESSAGING_ACTIONS = ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'] as const;
export type MessagingAction = typeof MESSAGING_ACTIONS[number];

/** `ErrorCode` values of ERROR frames (Messaging API reference; the SDK's `chatErrorCodes`). */
export const MESSAGING_ERROR_CODES = {
  badRequest: 400,
  unauthorized: 401,
  forbidden: 403,
  notFound: 404,
  notAcceptable: 406,
  payloadTooLarge: 413,
  tooManyRequests: 429,
  internalServerError: 500,
} as const;
export type MessagingErrorCode = typeof MESSAGING_ERROR_CODES[keyof typeof MESSAGING_ERROR_CODES];

/** Event names the service itself sends. `aws:DISCONNECT_USER` is what the SDK listens for (not on AWS's events page). */
export const SYSTEM_EVENTS = {
  deleteMessage: 'aws:DELETE_MESSAGE',
  disconnectUser: 'aws:DISCONNECT_USER',
} as const;

/** The review handler has 200 ms to answer (chat message review handler page; fixed). */
export const REVIEW_HANDLER_TIMEOUT_MS = 200;
export const REVIEW_RESULTS = ['ALLOW', 'DENY'] as const;
export type ReviewResult = typeof REVIEW_RESULTS[number];

/** Message ids are what DeleteMessage takes: 12 characters (model: DeleteMessage `id`). */
export const MESSAGE_ID_LENGTH = 12;

/** Control-plane SendEvent: `eventName` 1-100 characters, attributes 1 KB in total (model). */
export const EVENT_NAME_MAX_LENGTH = 100;
export const EVENT_ATTRIBUTES_MAX_BYTES = 1024;
/** DeleteMessage / DisconnectUser `reason`: 1-256 characters (model). */
export const REASON_MAX_LENGTH = 256;

/** WebSocket close code for the sockets the server ends itself (session over, user disconnected). */
export const SERVER_CLOSE_CODE = 1000;

export type Attributes = Record<string, string>;

export interface MessageFrame {
  readonly Type: 'MESSAGE';
  readonly Id: string;
  /** Only in the copy sent to the sender's connection. */
  readonly RequestId?: string;
  readonly Content: string;
  readonly Attributes: Attributes;
  readonly Sender: { readonly UserId: string; readonly Attributes: Attributes };
  readonly SendTime: string;
}

export interface EventFrame {
  readonly Type: 'EVENT';
  readonly Id: string;
  readonly RequestId?: string;
  readonly EventName: string;
  readonly Attributes: Attributes;
  readonly SendTime: string;
}

export interface ErrorFrame {
  readonly Type: 'ERROR';
  readonly Id: string;
  readonly RequestId?: string;
  readonly ErrorCode: MessagingErrorCode;
  readonly ErrorMessage: string;
}

export type ServerFrame = MessageFrame | EventFrame | ErrorFrame;

/** What IVS Chat passes to a message review handler (chat message review handler page). */
export interface ReviewEvent {
  readonly Content: string;
  readonly MessageId: string;
  readonly RoomArn: string;
  readonly Attributes: Attributes;
  readonly Sender: { readonly UserId: string; readonly Ip: string; readonly Attributes: Attributes };
}

/** A valid review handler answer. */
export interface ReviewAnswer {
  readonly ReviewResult: ReviewResult;
  readonly Content?: string;
  readonly Attributes?: Attributes;
}

/** Every value a string: the SDK refuses anything else in `Attributes`. */
export function isAttributes(value: unknown): value is Attributes {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    && Object.values(value).every((v) => typeof v === 'string');
}

/** The answer if it is a valid one, else undefined (then the room's fallback result applies). */
export function parseReviewAnswer(value: unknown): ReviewAnswer | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const answer = value as Record<string, unknown>;
  if (!(REVIEW_RESULTS as readonly unknown[]).includes(answer.ReviewResult)) return undefined;
  if (answer.Content !== undefined && typeof answer.Content !== 'string') return undefined;
  if (answer.Attributes !== undefined && !isAttributes(answer.Attributes)) return undefined;
  return answer as unknown as ReviewAnswer;
}
