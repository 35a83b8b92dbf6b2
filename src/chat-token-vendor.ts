import * as path from 'node:path';
import { Annotations, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ChatTokenCapability } from './chat-token-capability';
import { ValidationError } from './private/errors';
import { CORS_ALLOWED_HEADERS, CORS_MAX_AGE_SECONDS, TOKEN_CAPABILITIES, TOKEN_LIMITS, TOKEN_VENDOR_ENV as ENV } from './private/token-vendor-contract';
import { validateSamePlacement } from './private/validation';
import type { IRoom } from './room';

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
   * The most a token may carry. A request that names no capabilities gets all of these; one that asks
   * for any other is refused (403). An empty list makes every token view-only.
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
   * Whether an HTTP request without an authenticated caller (no authorizer, no IAM) may name its own
   * `userId`. Leave false unless anyone may chat under any name.
   * @default false
   */
  readonly allowUnauthenticatedUsers?: boolean;

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
   * `lambda:InvokeFunctionUrl` (the signer's ARN is the userId); `NONE` lets anyone call it and needs
   * `allowUnauthenticatedUsers`, since a function URL carries no other identity.
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
 * end, within limits set here: which rooms, which capabilities, how long a session.
 *
 * The request is a JSON body `{ roomArn?, userId?, capabilities?, sessionDurationInMinutes?, attributes? }`.
 * Over HTTP (API Gateway REST or HTTP API, function URL, ALB), the userId is the authenticated caller's
 * identity: a JWT or Cognito `sub`, else a Lambda authorizer's `userId`, else its `principalId`, else the
 * IAM caller's ARN; a body naming another userId is refused (403), and a request with none is refused
 * (401) unless `allowUnauthenticatedUsers` lets the body name it. A direct invocation (the payload is
 * the body) already passed IAM, so its `userId` is trusted; it returns `{ token, tokenExpirationTime,
 * sessionExpirationTime }` and throws on refusal, with the error's name saying the status (`BadRequest`,
 * `Forbidden`, `TooManyRequests`, `BadGateway`, ...).
 *
 * HTTP answers: 200 token; 400 malformed body, out-of-range session or attributes, missing roomArn with
 * several rooms; 401 no caller; 403 another userId, another room, a capability beyond the vendor's;
 * 405 not POST; 413 body over 16 KiB; 429 throttled; 502 any other service failure (no detail). Every
 * answer is JSON with `Cache-Control: no-store`, and CORS headers for the allowed origins.
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
      code: lambda.Code.fromAsset(path.join(__dirname, '..', 'assets', 'handlers', 'token-vendor.lambda')),
      handler: 'index.handler',
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
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
    if (authType === lambda.FunctionUrlAuthType.NONE && !this.allowUnauthenticatedUsers) {
      throw new ValidationError(this, '`authType` NONE: a function URL with `authType` NONE carries no caller identity, so the vendor would refuse ' +
        'every request (401). Use AWS_IAM, or set `allowUnauthenticatedUsers` to let callers name their own userId');
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
        maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
      },
    });
    if (authType === lambda.FunctionUrlAuthType.NONE) {
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

function validateCapabilities(scope: Construct, capabilities: ChatTokenCapability[]): void {
  const known = TOKEN_CAPABILITIES as readonly string[];
  const seen = new Set<string>();
  for (const capability of capabilities) {
    if (!known.includes(capability)) {
      throw new ValidationError(scope, `\`capabilities\` may hold ${known.join(', ')}. Received "${capability}"`);
    }
    if (seen.has(capability)) {
      throw new ValidationError(scope, `\`capabilities\` must not repeat a capability. Received ${capability} twice`);
    }
    seen.add(capability);
  }
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
