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
  /** The claim that is the userId of a token-bearing caller; absent: `sub`. */
  userIdClaim: 'CHAT_USER_ID_CLAIM',
  /** `true`: IAM callers other than identity-pool users are accepted, their ARN is the userId. */
  trustIamPrincipals: 'CHAT_TRUST_IAM_PRINCIPALS',
  /** `true`: a payload without an HTTP envelope is a trusted direct invocation whose `userId` is taken as is. */
  trustDirectInvocation: 'CHAT_TRUST_DIRECT_INVOCATION',
  /** The ARN of the load balancer whose `x-amzn-oidc-data` the vendor verifies; absent: ALB events are unauthenticated. */
  loadBalancerArn: 'CHAT_LOAD_BALANCER_ARN',
  /** The Cognito user pool whose bearer tokens the vendor verifies itself; absent: bearer tokens are ignored. */
  userPoolId: 'CHAT_USER_POOL_ID',
  /** JSON list of the app client ids a bearer token may be issued to; absent or empty: any client of the pool. */
  userPoolClientIds: 'CHAT_USER_POOL_CLIENT_IDS',
  /** An OIDC issuer (`iss`) whose bearer tokens the vendor verifies itself; absent: none. Exclusive with userPoolId. */
  oidcIssuer: 'CHAT_OIDC_ISSUER',
  /** JSON list of the audiences an OIDC bearer token must carry one of. */
  oidcAudience: 'CHAT_OIDC_AUDIENCE',
  /** Where the OIDC issuer's JWKS is; absent: `<issuer>/.well-known/jwks.json`. */
  oidcJwksUri: 'CHAT_OIDC_JWKS_URI',
  /** How long, in milliseconds, the vendor waits out CreateChatToken throttling before answering 429. */
  throttleWaitMs: 'CHAT_THROTTLE_WAIT_MS',
  /** JSON map of token attribute to claim name, filled from the caller's claims. */
  attributesFromClaims: 'CHAT_ATTRIBUTES_FROM_CLAIMS',
  /** JSON list of the attribute keys a request body may set. */
  clientAttributes: 'CHAT_CLIENT_ATTRIBUTES',
  /** JSON map of group name to the capabilities its members get on top of `capabilities`. */
  groupCapabilities: 'CHAT_GROUP_CAPABILITIES',
  /** The claim that lists the caller's groups; absent: `cognito:groups`. */
  groupsClaim: 'CHAT_GROUPS_CLAIM',
  /**
   * Key endpoint overrides, never set by the construct (as `AWS_ENDPOINT_URL_*` for the SDK): where the user pool's
   * JWKS and the load balancer's public keys are fetched. Tests point them at a local HTTPS server.
   */
  userPoolJwksUri: 'CHAT_USER_POOL_JWKS_URI',
  loadBalancerKeysUri: 'CHAT_LOAD_BALANCER_KEYS_URI',
} as const;

/** Capabilities as `CreateChatToken` spells them: the public enum's values. */
export const TOKEN_CAPABILITIES: readonly ChatTokenCapability[] = Object.values(ChatTokenCapability);

/** Limits of `CreateChatToken` (service model, API version 2020-07-14). */
export const TOKEN_LIMITS = {
  sessionDurationMinutes: { min: 1, max: 180, default: 60 },
  userIdMaxLength: 128,
  attributesMaxBytes: 1024,
} as const;

/** Claim names used when the construct names none. */
export const DEFAULT_CLAIMS = {
  userId: 'sub',
  groups: 'cognito:groups',
} as const;

/** Request headers a browser may send: a bearer token, JSON, and a SigV4 signature for AWS_IAM URLs. */
export const CORS_ALLOWED_HEADERS: readonly string[] = ['authorization', 'content-type', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token'];
/** Response headers a browser page may read cross-origin: Retry-After is not CORS-safelisted. */
export const CORS_EXPOSED_HEADERS: readonly string[] = ['retry-after'];
/** Methods a browser may use. */
export const CORS_ALLOWED_METHODS: readonly string[] = ['POST', 'OPTIONS'];
/** How long a browser may cache a preflight answer. */
export const CORS_MAX_AGE_SECONDS = 600;

/** How the vendor rides out CreateChatToken throttling (200 TPS per account and region) before answering 429. */
export const THROTTLE_WAIT = {
  /** Default wait, in milliseconds: a join storm's first seconds, while a Lambda execution stays cheap to hold. */
  defaultMs: 3_000,
  /** Longest wait: API Gateway ends an integration at 29 s (REST) / 30 s (HTTP API); leave time to answer. */
  maxMs: 25_000,
  /** Time the function keeps after the wait to answer before its own timeout. */
  answerReserveMs: 1_000,
  /** Full-jitter exponential backoff between attempts: first cap and highest cap, in milliseconds. */
  backoffBaseMs: 250,
  backoffCapMs: 1_000,
  /** The Retry-After (seconds) a 429 carries: a client then adds its own jitter (the README's snippet doubles at most). */
  retryAfterSeconds: 1,
} as const;
