// The contract between the ChatTokenVendor construct and its handler: environment names, capabilities, limits and
// CORS headers, written once. Free of aws-cdk-lib: the handler bundle imports it.
import { ChatTokenCapability } from '../chat-token-capability';

/** Environment variables the construct sets and the handler reads. */
export const TOKEN_VENDOR_ENV = {
  /** JSON list of the room ARNs the vendor serves. */
  roomArns: 'CHAT_ROOM_ARNS',
  /** JSON list of the capabilities every caller may have. */
  capabilities: 'CHAT_CAPABILITIES',
  /** The longest session, in whole minutes. */
  maxSessionMinutes: 'CHAT_MAX_SESSION_MINUTES',
  /** `true`: a request without an authenticated caller may name its own userId. */
  allowUnauthenticatedUsers: 'CHAT_ALLOW_UNAUTHENTICATED_USERS',
  /** JSON list of the origins CORS allows; `*` for any. */
  allowedOrigins: 'CHAT_ALLOWED_ORIGINS',
} as const;

/** Capabilities as `CreateChatToken` spells them: the public enum's values. */
export const TOKEN_CAPABILITIES: readonly ChatTokenCapability[] = Object.values(ChatTokenCapability);

/** Limits of `CreateChatToken` (service model, API version 2020-07-14). */
export const TOKEN_LIMITS = {
  sessionDurationMinutes: { min: 1, max: 180, default: 60 },
  userIdMaxLength: 128,
  attributesMaxBytes: 1024,
} as const;

/** Request headers a browser may send: a bearer token, JSON, and a SigV4 signature for AWS_IAM URLs. */
export const CORS_ALLOWED_HEADERS: readonly string[] = ['authorization', 'content-type', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token'];
/** Methods a browser may use. */
export const CORS_ALLOWED_METHODS: readonly string[] = ['POST', 'OPTIONS'];
/** How long a browser may cache a preflight answer. */
export const CORS_MAX_AGE_SECONDS = 600;
