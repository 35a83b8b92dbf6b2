import * as path from 'node:path';
import { Annotations, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ChatTokenCapability } from './chat-token-capability';
import { ValidationError } from './private/errors';
import {
  CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS, CORS_MAX_AGE_SECONDS, DEFAULT_CLAIMS, THROTTLE_WAIT, TOKEN_CAPABILITIES, TOKEN_LIMITS,
  TOKEN_VENDOR_ENV as ENV,
} from './private/token-vendor-contract';
import { validateSamePlacement } from './private/validation';
import type { IRoom } from './room';

/** An https URL (issuer, JWKS location). */
const HTTPS_URL_PATTERN = /^https:\/\/[^\s/?#]+(\/[^\s?#]*)?$/;

/**
 * An OpenID Connect issuer (Auth0, Okta, Entra ID, a Cognito user pool...) whose bearer tokens the vendor verifies.
 */
export interface ChatTokenVendorOidcIssuer {
  /**
   * The issuer, exactly as tokens carry it in `iss` (`https://example.eu.auth0.com/`, with or without the trailing
   * slash the issuer uses).
   */
  readonly issuer: string;

  /**
   * The audiences a token must carry one of in `aud`: your API's identifier (access tokens) or the app's client
   * id (id tokens).
   */
  readonly audience: string[];

  /**
   * Where the issuer publishes its signing keys (the `jwks_uri` of its `.well-known/openid-configuration`).
   * @default - `<issuer>/.well-known/jwks.json` (Auth0's location; Okta and Entra ID publish elsewhere)
   */
  readonly jwksUri?: string;
}

/** `*`, or an origin: scheme, host and optional port, no path. */
const ORIGIN_PATTERN = /^https?:\/\/[^/\s?#]+$/;

/**
 * Properties of a chat token vendor.
 */
export interface ChatTokenVendorProps {
  /**
   * The rooms the vendor issues tokens for, at least one; imported rooms are allowed. They must be in
   * the vendor's account and region. A request names one by `roomArn`, which may be left out when
   * there is only one room.
   */
  readonly rooms: IRoom[];

  /**
   * The most a token may carry, for every caller (`groupCapabilities` adds to it per group). A request that
   * names no capabilities gets all the caller may have; one that asks for any other is refused (403). An
   * empty list makes every token view-only.
   * @default [ChatTokenCapability.SEND_MESSAGE]
   */
  readonly capabilities?: ChatTokenCapability[];

  /**
   * The longest chat session a token grants, in whole minutes from 1 to 180. A request that names no
   * duration gets this one; one that asks for more is refused (400).
   * @default Duration.minutes(60)
   */
  readonly sessionDuration?: Duration;

  /**
   * Whether an HTTP request without an authenticated caller (no authorizer, IAM signature, load balancer
   * sign-in or bearer token) may name its own `userId`, and Cognito identity-pool guests (and identity-pool
   * callers whose event does not say they signed in) get tokens as their identity id. Leave false unless anyone
   * may chat under any name.
   * @default false
   */
  readonly allowUnauthenticatedUsers?: boolean;

  /**
   * The claim of the caller's token that is its userId: for bearer tokens and the load balancer's sign-in data
   * the vendor verifies, and API Gateway JWT and Cognito authorizers (`cognito:username`, ...). A token without
   * it is refused (401). `email` and `phone_number` count only when `email_verified` / `phone_number_verified`
   * is true (else 403); a claim users can change is a poor userId.
   * @default 'sub'
   */
  readonly userIdClaim?: string;

  /**
   * Whether IAM callers other than Cognito identity-pool users (roles, users signing with SigV4) get tokens,
   * with their ARN as the userId (`arn:aws:sts::<account>:assumed-role/<role>/<session>`), which every
   * participant sees. Whoever assumes a role chooses its session name, so anyone allowed to assume the role
   * can take any userId of that role: trust only roles your own backends assume. When false they get 403.
   * @default false
   */
  readonly trustIamPrincipals?: boolean;

  /**
   * Whether a payload without an HTTP envelope (`lambda:InvokeFunction` whose payload is the request) may name
   * any `userId`, taken as is: everyone allowed to invoke the function can then mint a token for anyone. When
   * false such a payload is refused (`Forbidden`). HTTP-shaped payloads are not affected: they follow the identity
   * rules, under which only `userPool`, `oidcIssuer` and `loadBalancer` verify who the caller is.
   * @default false
   */
  readonly trustDirectInvocation?: boolean;

  /**
   * The Application Load Balancer (with an `authenticate-oidc` or `authenticate-cognito` action) in front
   * of the vendor: the vendor verifies the `x-amzn-oidc-data` it signs (ES256, `signer` = this load
   * balancer's ARN) and takes the userId from it. It must be in the vendor's account and region.
   * @default - ALB events are unauthenticated
   */
  readonly loadBalancer?: elbv2.IApplicationLoadBalancer;

  /**
   * A Cognito user pool whose id or access tokens the vendor verifies itself on every request, from
   * `Authorization: Bearer <token>`, taking the userId, groups and attributes only from them: claims an event
   * carries never name the user (claims naming another user are refused, 403). A function URL with `authType`
   * NONE is then secure without an authorizer.
   * @default - bearer tokens are not read; the identity comes from the event, and the invoke permission is the trust boundary
   */
  readonly userPool?: cognito.IUserPool;

  /**
   * The app clients of `userPool` a bearer token must have been issued to.
   * @default - any app client of `userPool`
   */
  readonly userPoolClients?: cognito.IUserPoolClient[];

  /**
   * An OIDC issuer whose bearer tokens the vendor verifies itself (signature from its JWKS, expiry, issuer,
   * audience), as `userPool` does for Cognito; the two are exclusive. Event claims then never name the user.
   * @default - no OIDC issuer
   */
  readonly oidcIssuer?: ChatTokenVendorOidcIssuer;

  /**
   * How long a request waits out `CreateChatToken` throttling (200 TPS per account and region), retrying with
   * jittered backoff, before the caller gets 429 with `Retry-After`. Each waiting request holds one concurrent
   * execution. At most 25 seconds (API Gateway ends an integration at 29 s) and 1 second less than `timeout`.
   * @default Duration.seconds(3)
   */
  readonly throttleWait?: Duration;

  /**
   * Token attributes (shown to every participant as `Sender.Attributes`) filled from claims of the caller's
   * identity, as attribute name to claim name: `{ displayName: 'name', avatar: 'picture' }`. A missing claim
   * is left out; a request can never set these keys. A Lambda authorizer's context counts as claims.
   * @default - none
   */
  readonly attributesFromClaims?: Record<string, string>;

  /**
   * The attribute keys a request body may set; a body with any other key is refused (400). Attributes from
   * claims and the body together must fit in 1 KB.
   * @default - none: a body with `attributes` is refused
   */
  readonly clientAttributes?: string[];

  /**
   * Capabilities that members of a group get on top of `capabilities`, as group name to capabilities
   * (`{ moderators: [DELETE_MESSAGE, DISCONNECT_USER] }`). A caller gets the union of its groups', read
   * from `groupsClaim`.
   * @default - none
   */
  readonly groupCapabilities?: Record<string, ChatTokenCapability[]>;

  /**
   * The claim listing the caller's groups. A list, and the forms API Gateway flattens it to (`"a,b"` from
   * REST API Cognito authorizers, `"[a b]"` from HTTP API JWT authorizers), are read alike.
   * @default 'cognito:groups'
   */
  readonly groupsClaim?: string;

  /**
   * Browser origins (`https://example.com`, or `*` for any) allowed to read the vendor's answers (CORS),
   * for HTTP events and for a function URL added without origins of its own.
   * @default - no CORS headers: only same-origin pages and non-browser clients can read the answers
   */
  readonly allowedOrigins?: string[];

  /**
   * The function's memory, in MiB.
   * @default 256
   */
  readonly memorySize?: number;

  /**
   * How long the function may run.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;

  /**
   * How long the function's log group keeps its logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Concurrent executions reserved for the function, which also caps it.
   * @default - no reservation: the function shares the account's unreserved concurrency
   */
  readonly reservedConcurrentExecutions?: number;

  /**
   * The KMS key that encrypts the function's environment variables.
   * @default - the AWS managed key for Lambda
   */
  readonly environmentEncryption?: kms.IKey;

  /**
   * The function's description.
   * @default - a description naming the vendor's purpose
   */
  readonly description?: string;
}

/**
 * Options of the vendor's function URL.
 */
export interface ChatTokenVendorFunctionUrlOptions {
  /**
   * Who may call the URL: `AWS_IAM` takes SigV4-signed requests from principals granted
   * `lambda:InvokeFunctionUrl` (Cognito identity-pool users get their identity id as userId; other
   * principals need `trustIamPrincipals`); `NONE` lets anyone call it and needs `userPool` or `oidcIssuer`
   * (the vendor verifies bearer tokens) or `allowUnauthenticatedUsers`.
   * @default lambda.FunctionUrlAuthType.AWS_IAM
   */
  readonly authType?: lambda.FunctionUrlAuthType;

  /**
   * Browser origins (`https://example.com`, or `*` for any) allowed to call the URL (CORS); the handler
   * sends the same CORS headers.
   * @default - the vendor's `allowedOrigins`; with none, the URL has no CORS configuration
   */
  readonly allowedOrigins?: string[];
}

/**
 * A Lambda function that hands out Amazon IVS Chat tokens (`CreateChatToken`) to the users of a front
 * end, within limits set here: which rooms, which capabilities (per group too), how long a session, which
 * attributes.
 *
 * The request is a JSON body `{ roomArn?, userId?, capabilities?, sessionDurationInMinutes?, attributes? }`.
 * Over HTTP (API Gateway REST or HTTP API, function URL, ALB; proxy integrations only), the userId is the
 * authenticated caller's. With `userPool`, `oidcIssuer` or `loadBalancer`, only what the vendor verifies names
 * the caller: the bearer token, or the load balancer's signed sign-in data. Without them, the event's own
 * fields do (an API Gateway JWT / Cognito authorizer's `userIdClaim`, else a Lambda authorizer's `userId` or
 * `principalId`, else a Cognito identity-pool user's identity id, other IAM principals only with
 * `trustIamPrincipals`), and the invoke permission is the trust boundary. A body naming another userId is
 * refused (403); a request with no caller is refused (401) unless `allowUnauthenticatedUsers` lets the body name it. A direct invocation (no HTTP
 * envelope) is refused unless `trustDirectInvocation`; then its `userId` is taken as is, it returns
 * `{ token, tokenExpirationTime, sessionExpirationTime }` and throws on refusal, with the error's name saying
 * the status (`BadRequest`, `Forbidden`, `TooManyRequests`, `BadGateway`, ...).
 *
 * HTTP answers: 200 token; 400 malformed body, out-of-range session, attributes not allowed or over 1 KB,
 * missing roomArn with several rooms; 401 no caller, an invalid or expired token, a guest, a token without
 * `userIdClaim`; 403 another userId, another room, a capability beyond the caller's, an IAM caller not
 * trusted; 405 not POST; 413 body over 16 KiB; 429 still throttled after `throttleWait`, with `Retry-After`;
 * 502 any other service failure (no detail).
 * Every answer is JSON with `Cache-Control: no-store`, and CORS headers for the allowed origins.
 *
 * The function may call `ivschat:CreateChatToken` on its rooms and write to its own log group, nothing
 * else; it logs the status, room, identity source and userId length, never the token or the userId.
 */
export class ChatTokenVendor extends Construct {
  /** The function: wire it into API Gateway, an ALB, a function URL, or invoke it directly. */
  public readonly handler: lambda.IFunction;

  /** The log group the function writes to. */
  public readonly logGroup: logs.ILogGroup;

  private readonly fn: lambda.Function;
  private readonly defaultOrigins: string[];
  private readonly allowUnauthenticatedUsers: boolean;
  private readonly verifiesBearerTokens: boolean;
  /** Every origin the handler allows: the vendor's and its function URL's. */
  private readonly handlerOrigins: string[] = [];
  private functionUrl?: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: ChatTokenVendorProps) {
    super(scope, id);
    const rooms = props.rooms ?? [];
    validateRooms(this, rooms);
    const capabilities = props.capabilities ?? [ChatTokenCapability.SEND_MESSAGE];
    validateCapabilities(this, capabilities);
    const sessionDuration = props.sessionDuration ?? Duration.minutes(TOKEN_LIMITS.sessionDurationMinutes.default);
    validateSessionDuration(this, sessionDuration);
    this.defaultOrigins = props.allowedOrigins ?? [];
    validateOrigins(this, 'allowedOrigins', this.defaultOrigins);
    this.addHandlerOrigins(this.defaultOrigins);
    this.allowUnauthenticatedUsers = props.allowUnauthenticatedUsers ?? false;
    this.verifiesBearerTokens = props.userPool !== undefined || props.oidcIssuer !== undefined;
    const identityEnvironment = renderIdentitySettings(this, props);
    const timeout = props.timeout ?? Duration.seconds(10);
    const throttleWaitEnvironment = renderThrottleWait(this, props.throttleWait, timeout);

    const stack = Stack.of(this);
    const logGroup = new logs.LogGroup(this, 'LogGroup', { retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH });
    // Its own role, not AWSLambdaBasicExecutionRole: logs only to its own log group.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'IVS Chat token vendor (cdk-ivs-chat)',
    });
    this.fn = new lambda.Function(this, 'Handler', {
      description: props.description ?? 'Issues IVS Chat tokens for its rooms to authenticated users (cdk-ivs-chat)',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      code: lambda.Code.fromAsset(path.join(__dirname, '..', 'assets', 'handlers', 'token-vendor', 'token-vendor.lambda')),
      handler: 'index.handler',
      memorySize: props.memorySize ?? 256,
      timeout,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environmentEncryption: props.environmentEncryption,
      role,
      logGroup,
      environment: {
        [ENV.roomArns]: stack.toJsonString(rooms.map((room) => room.roomArn)),
        [ENV.capabilities]: JSON.stringify(capabilities),
        [ENV.maxSessionMinutes]: sessionDuration.toMinutes().toString(),
        [ENV.allowUnauthenticatedUsers]: String(this.allowUnauthenticatedUsers),
        [ENV.allowedOrigins]: Lazy.string({ produce: () => stack.toJsonString(this.handlerOrigins) }),
        ...identityEnvironment,
        ...throttleWaitEnvironment,
      },
    });
    logGroup.grantWrite(role);
    for (const room of rooms) {
      room.grantCreateChatToken(this.fn);
    }
    this.handler = this.fn;
    this.logGroup = logGroup;
  }

  /**
   * Adds a function URL (one per vendor): `AWS_IAM` auth unless `authType` says `NONE`, CORS for
   * POST from the allowed origins.
   */
  public addFunctionUrl(options: ChatTokenVendorFunctionUrlOptions = {}): lambda.FunctionUrl {
    if (this.functionUrl) {
      throw new ValidationError(this, 'addFunctionUrl() may be called once: the vendor already has a function URL');
    }
    const authType = options.authType ?? lambda.FunctionUrlAuthType.AWS_IAM;
    if (authType === lambda.FunctionUrlAuthType.NONE && !this.allowUnauthenticatedUsers && !this.verifiesBearerTokens) {
      throw new ValidationError(this, '`authType` NONE: a function URL with `authType` NONE carries no caller identity, so the vendor would refuse ' +
        'every request (401). Use AWS_IAM, set `userPool` or `oidcIssuer` so the vendor verifies bearer tokens, or set `allowUnauthenticatedUsers` to let ' +
        'callers name their own userId');
    }
    const origins = options.allowedOrigins ?? this.defaultOrigins;
    validateOrigins(this, 'allowedOrigins', origins);
    this.addHandlerOrigins(origins);
    this.functionUrl = this.fn.addFunctionUrl({
      authType,
      cors: origins.length === 0 ? undefined : {
        allowedOrigins: origins,
        allowedMethods: [lambda.HttpMethod.POST],
        allowedHeaders: [...CORS_ALLOWED_HEADERS],
        exposedHeaders: [...CORS_EXPOSED_HEADERS],
        maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
      },
    });
    if (authType === lambda.FunctionUrlAuthType.NONE && this.allowUnauthenticatedUsers) {
      Annotations.of(this).addWarningV2('cdk-ivs-chat:tokenVendorPublicUrl',
        'This function URL lets anyone on the internet get a chat token under any userId they choose. ' +
        'Put an authorizer in front of the vendor (API Gateway) or use AWS_IAM unless that is intended');
    }
    return this.functionUrl;
  }

  private addHandlerOrigins(origins: string[]): void {
    for (const origin of origins) {
      if (!this.handlerOrigins.includes(origin)) this.handlerOrigins.push(origin);
    }
  }
}

function validateRooms(scope: Construct, rooms: IRoom[]): void {
  if (rooms.length === 0) {
    throw new ValidationError(scope, '`rooms` must hold at least one room. Received 0');
  }
  const stack = Stack.of(scope);
  const seen = new Set<string>();
  for (const room of rooms) {
    const key = Token.isUnresolved(room.roomArn) ? room.node.path : room.roomArn;
    if (seen.has(key)) {
      throw new ValidationError(scope, `\`rooms\` must not repeat a room. Received ${key} twice`);
    }
    seen.add(key);
    // The function's client calls IVS Chat in its own region, and IVS Chat has no cross-account access.
    validateSamePlacement(scope, stack, room.env, (field, mine, theirs) =>
      `\`rooms\` must be in the vendor's ${field} (${mine}). Received ${room.node.path} in ${field} ${theirs}`);
  }
}

function validateCapabilities(scope: Construct, capabilities: ChatTokenCapability[], property = 'capabilities'): void {
  const known = TOKEN_CAPABILITIES as readonly string[];
  const seen = new Set<string>();
  for (const capability of capabilities) {
    if (!known.includes(capability)) {
      throw new ValidationError(scope, `\`${property}\` may hold ${known.join(', ')}. Received "${capability}"`);
    }
    if (seen.has(capability)) {
      throw new ValidationError(scope, `\`${property}\` must not repeat a capability. Received ${capability} twice`);
    }
    seen.add(capability);
  }
}

/**
 * Checks the identity props and renders the environment the handler reads for them. Settings left at their
 * default are not rendered: the handler's defaults are the same (the contract's).
 */
function renderIdentitySettings(scope: Construct, props: ChatTokenVendorProps): Record<string, string> {
  const stack = Stack.of(scope);
  const env: Record<string, string> = {};
  if (props.userIdClaim !== undefined) {
    validateName(scope, 'userIdClaim', props.userIdClaim);
    if (props.userIdClaim !== DEFAULT_CLAIMS.userId) env[ENV.userIdClaim] = props.userIdClaim;
  }
  if (props.groupsClaim !== undefined) {
    validateName(scope, 'groupsClaim', props.groupsClaim);
    if (props.groupsClaim !== DEFAULT_CLAIMS.groups) env[ENV.groupsClaim] = props.groupsClaim;
  }
  if (props.trustIamPrincipals) env[ENV.trustIamPrincipals] = 'true';
  if (props.trustDirectInvocation) env[ENV.trustDirectInvocation] = 'true';

  if (props.loadBalancer) {
    const loadBalancer = props.loadBalancer;
    // The vendor checks the token's `signer` against this ARN; the load balancer passes sign-in only to its own targets.
    validateSamePlacement(scope, stack, loadBalancer.env, (field, mine, theirs) =>
      `\`loadBalancer\` must be in the vendor's ${field} (${mine}). Received ${loadBalancer.node.path} in ${field} ${theirs}`);
    env[ENV.loadBalancerArn] = loadBalancer.loadBalancerArn;
  }

  if (props.userPoolClients !== undefined && !props.userPool) {
    throw new ValidationError(scope, `\`userPoolClients\` needs \`userPool\`: the clients are checked on tokens of that pool. Received ${props.userPoolClients.length} clients and no userPool`);
  }
  if (props.userPool) {
    env[ENV.userPoolId] = props.userPool.userPoolId;
    const clients = props.userPoolClients ?? [];
    if (props.userPoolClients !== undefined && clients.length === 0) {
      throw new ValidationError(scope, '`userPoolClients` must hold at least one client, or be left out to accept any client of `userPool`. Received 0');
    }
    if (clients.length > 0) env[ENV.userPoolClientIds] = stack.toJsonString(clients.map((client) => client.userPoolClientId));
  }

  if (props.oidcIssuer) {
    const oidc = props.oidcIssuer;
    if (props.userPool) {
      throw new ValidationError(scope, '`oidcIssuer` and `userPool` are exclusive: a user pool is one OIDC issuer. Received both');
    }
    validateHttpsUrl(scope, 'oidcIssuer.issuer', oidc.issuer);
    if (oidc.audience.length === 0) {
      throw new ValidationError(scope, '`oidcIssuer.audience` must hold at least one audience: a token for another application must not pass. Received 0');
    }
    oidc.audience.forEach((audience) => validateName(scope, 'oidcIssuer.audience', audience, 'entries'));
    env[ENV.oidcIssuer] = oidc.issuer;
    env[ENV.oidcAudience] = stack.toJsonString(oidc.audience);
    if (oidc.jwksUri !== undefined) {
      validateHttpsUrl(scope, 'oidcIssuer.jwksUri', oidc.jwksUri);
      env[ENV.oidcJwksUri] = oidc.jwksUri;
    }
  }

  const fromClaims = props.attributesFromClaims ?? {};
  for (const [attribute, claim] of Object.entries(fromClaims)) {
    validateName(scope, 'attributesFromClaims', attribute, 'keys');
    validateName(scope, `attributesFromClaims.${attribute}`, claim);
  }
  if (Object.keys(fromClaims).length > 0) env[ENV.attributesFromClaims] = stack.toJsonString(fromClaims);

  const clientAttributes = props.clientAttributes ?? [];
  const seen = new Set<string>();
  for (const key of clientAttributes) {
    validateName(scope, 'clientAttributes', key, 'entries');
    if (seen.has(key)) throw new ValidationError(scope, `\`clientAttributes\` must not repeat a key. Received "${key}" twice`);
    seen.add(key);
    if (!Token.isUnresolved(key) && Object.prototype.hasOwnProperty.call(fromClaims, key)) {
      throw new ValidationError(scope, `\`clientAttributes\` must not hold a key of \`attributesFromClaims\`: a claim sets it, the client never may. Received "${key}"`);
    }
  }
  if (clientAttributes.length > 0) env[ENV.clientAttributes] = stack.toJsonString(clientAttributes);

  const groupCapabilities = props.groupCapabilities ?? {};
  for (const [group, capabilities] of Object.entries(groupCapabilities)) {
    validateName(scope, 'groupCapabilities', group, 'group names');
    validateCapabilities(scope, capabilities, `groupCapabilities.${group}`);
  }
  if (Object.keys(groupCapabilities).length > 0) env[ENV.groupCapabilities] = stack.toJsonString(groupCapabilities);
  return env;
}

/** A claim name, attribute key or group name: not empty, no surrounding spaces; tokens pass. */
function validateName(scope: Construct, property: string, value: string, what?: string): void {
  if (Token.isUnresolved(value)) return;
  if (value.trim() === '' || value.trim() !== value) {
    throw new ValidationError(scope, `\`${property}\`${what ? ` ${what}` : ''} must be a non-empty name without surrounding spaces. Received ${JSON.stringify(value)}`);
  }
}

function validateHttpsUrl(scope: Construct, property: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (!HTTPS_URL_PATTERN.test(value)) {
    throw new ValidationError(scope, `\`${property}\` must be an https URL. Received ${JSON.stringify(value)}`);
  }
}

/** The throttle wait, checked against API Gateway's limit and the function's timeout; the default is not rendered. */
function renderThrottleWait(scope: Construct, wait: Duration | undefined, timeout: Duration): Record<string, string> {
  // The default needs no check: at run time the wait never passes the function's remaining time less 1 second.
  if (wait === undefined) return {};
  if (wait.isUnresolved()) return { [ENV.throttleWaitMs]: wait.toMilliseconds().toString() };
  const ms = wait.toMilliseconds({ integral: false });
  if (!Number.isInteger(ms) || ms < 0 || ms > THROTTLE_WAIT.maxMs) {
    throw new ValidationError(scope, `\`throttleWait\` must be whole milliseconds from 0 to ${THROTTLE_WAIT.maxMs / 1000} seconds ` +
      `(API Gateway ends an integration at 29 s). Received ${wait.toHumanString()}`);
  }
  if (!timeout.isUnresolved() && ms > timeout.toMilliseconds() - THROTTLE_WAIT.answerReserveMs) {
    throw new ValidationError(scope, `\`throttleWait\` must be at least 1 second less than \`timeout\` (${timeout.toHumanString()}), ` +
      `to leave time to answer. Received ${wait.toHumanString()}`);
  }
  return { [ENV.throttleWaitMs]: String(ms) };
}

function validateSessionDuration(scope: Construct, duration: Duration): void {
  if (duration.isUnresolved()) return;
  const { min, max } = TOKEN_LIMITS.sessionDurationMinutes;
  const ms = duration.toMilliseconds({ integral: false });
  if (ms % 60_000 !== 0 || ms < min * 60_000 || ms > max * 60_000) {
    throw new ValidationError(scope, `\`sessionDuration\` must be a whole number of minutes between ${min} and ${max}. ` +
      `Received ${duration.toHumanString()}`);
  }
}

function validateOrigins(scope: Construct, property: string, origins: string[]): void {
  for (const origin of origins) {
    if (Token.isUnresolved(origin)) continue;
    if (origin !== '*' && !ORIGIN_PATTERN.test(origin)) {
      throw new ValidationError(scope, `\`${property}\` must hold origins such as "https://example.com" (scheme, host, optional port; ` +
        `no path or trailing slash), or "*". Received "${origin}"`);
    }
  }
}
