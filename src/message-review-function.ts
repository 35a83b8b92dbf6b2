import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, Node } from 'constructs';
import { ValidationError } from './private/errors';
import {
  PATTERN_FLAGS, REVIEW_CONFIG_FILE, REVIEW_ENV, REVIEW_METRICS, ReviewConfig,
} from './private/message-review-contract';
import { ivsChatMetric } from './private/metrics';
import { FallbackResult } from './room';

/** The shipped handler bundle, copied with the configuration file into one code asset per configuration. */
const BUNDLE_DIR = path.join(__dirname, '..', 'assets', 'handlers', 'message-review', 'message-review.lambda');
const DEFAULT_DENY_REASON = 'This message breaks the chat rules.';
/** A domain name: labels of letters, digits and '-', at least two. */
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/**
 * What the message review function does with a message that contains a blocked term, pattern or link.
 */
export enum ReviewAction {
  /** Deliver the message with each matched character replaced by `*` (ReviewResult ALLOW). */
  MASK = 'MASK',
  /** Refuse the message: the sender gets a 406 carrying `denyReason` (ReviewResult DENY). */
  DENY = 'DENY',
}

/**
 * Properties of a message review function.
 */
export interface MessageReviewFunctionProps {
  /**
   * Words and phrases to block, matched as whole words in any case, with accents, look-alike characters
   * (Cyrillic "а", fullwidth "Ａ"), leet digits ("b4dw0rd"), repeated letters ("baaad") and spaced
   * letters ("b a d") read as the plain word. Thousands are fine: they ship in a file, not in the environment.
   * @default - no terms
   */
  readonly blockedTerms?: string[];

  /**
   * Regular expressions (JavaScript syntax, without slashes) to block, matched case-insensitively against
   * the message as sent; each is compiled at synth, so a bad one is a synth error naming it.
   * @default - no patterns
   */
  readonly blockedPatterns?: string[];

  /**
   * Treat links as matches: `http(s)://` and `www.` links, and bare host names under common top-level domains.
   * @default false
   */
  readonly blockLinks?: boolean;

  /**
   * Domains whose links (and their subdomains' links) stay when `blockLinks` is on, e.g. `example.com`.
   * @default - no link is allowed
   */
  readonly allowedLinkDomains?: string[];

  /**
   * What happens to a message that matched.
   * @default ReviewAction.MASK
   */
  readonly onMatch?: ReviewAction;

  /**
   * The reason a sender sees in the 406 when `onMatch` is `DENY` (`Attributes.Reason` of the answer).
   * @default 'This message breaks the chat rules.'
   */
  readonly denyReason?: string;

  /**
   * The answer when the function cannot review a message (never an exception, so IVS Chat does not wait for
   * the fallback): `ALLOW` delivers it unchanged, `DENY` refuses it.
   * @default FallbackResult.ALLOW
   */
  readonly onError?: FallbackResult;

  /**
   * Instances kept warm: provisioned concurrency on an alias (`live`), which rooms then invoke, so no message
   * waits for a cold start. Billed per instance-hour whether messages come or not.
   * @default - none: the first message to a new instance waits for its cold start
   */
  readonly provisionedConcurrentExecutions?: number;

  /**
   * Memory of the function in MiB; CPU, and so the cold start, scales with it.
   * @default 512
   */
  readonly memorySize?: number;

  /**
   * How long the function's logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A ready-made message review handler: masks or denies messages with blocked terms, patterns or links,
 * answering IVS Chat within its 200 ms budget. Use it as any function:
 * `messageReviewHandler: { handler: new MessageReviewFunction(...) }`.
 */
export class MessageReviewFunction extends lambda.FunctionBase {
  /** The Lambda function itself. */
  public readonly lambdaFunction: lambda.Function;
  /** The alias rooms invoke, with provisioned concurrency; undefined without `provisionedConcurrentExecutions`. */
  public readonly alias?: lambda.Alias;
  /** The function's log group. */
  public readonly logGroup: logs.ILogGroup;

  public readonly functionName: string;
  /** The ARN rooms invoke: the alias's when there is one, else the function's. */
  public readonly functionArn: string;
  public readonly grantPrincipal: iam.IPrincipal;
  public readonly role?: iam.IRole;
  public readonly permissionsNode: Node;
  public readonly architecture: lambda.Architecture;
  public readonly tenancyConfig?: lambda.TenancyConfig;
  public readonly resourceArnsForGrantInvoke: string[];
  protected readonly canCreatePermissions = true;

  constructor(scope: Construct, id: string, props: MessageReviewFunctionProps = {}) {
    super(scope, id);
    const config = renderConfig(this, props);
    const onError = props.onError ?? FallbackResult.ALLOW;
    validateProvisioned(this, props.provisionedConcurrentExecutions);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', { retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH });
    // Its own role, not AWSLambdaBasicExecutionRole: logs only to its own log group.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'IVS Chat message review function (cdk-ivs-chat)',
    });
    this.lambdaFunction = new lambda.Function(this, 'Handler', {
      description: 'Reviews IVS Chat messages: blocked terms, patterns and links (cdk-ivs-chat)',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      code: lambda.Code.fromAsset(stageCode(config)),
      handler: 'index.handler',
      memorySize: props.memorySize ?? 512,
      // IVS Chat stops waiting after 200 ms; a stuck instance is freed soon.
      timeout: Duration.seconds(1),
      role,
      logGroup: this.logGroup,
      environment: { [REVIEW_ENV.onError]: onError },
    });
    this.logGroup.grantWrite(role);

    if (props.provisionedConcurrentExecutions !== undefined) {
      this.alias = new lambda.Alias(this, 'Alias', {
        aliasName: 'live',
        version: this.lambdaFunction.currentVersion,
        provisionedConcurrentExecutions: props.provisionedConcurrentExecutions,
      });
    }
    const target: lambda.IFunction = this.alias ?? this.lambdaFunction;
    this.functionName = this.lambdaFunction.functionName;
    this.functionArn = target.functionArn;
    this.grantPrincipal = this.lambdaFunction.grantPrincipal;
    this.role = role;
    this.permissionsNode = this.node;
    this.architecture = this.lambdaFunction.architecture;
    this.resourceArnsForGrantInvoke = target.resourceArnsForGrantInvoke;
  }

  /**
   * Messages delivered unchanged (`MessagesAllowed`).
   * @default - sum over 5 minutes
   */
  public metricMessagesAllowed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.reviewMetric(REVIEW_METRICS.allowed, props);
  }

  /**
   * Messages delivered with matches masked (`MessagesMasked`).
   * @default - sum over 5 minutes
   */
  public metricMessagesMasked(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.reviewMetric(REVIEW_METRICS.masked, props);
  }

  /**
   * Messages refused with the deny reason (`MessagesDenied`).
   * @default - sum over 5 minutes
   */
  public metricMessagesDenied(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.reviewMetric(REVIEW_METRICS.denied, props);
  }

  /**
   * Messages the function could not review and answered with `onError` (`ReviewErrors`).
   * @default - sum over 5 minutes
   */
  public metricReviewErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.reviewMetric(REVIEW_METRICS.errors, props);
  }

  private reviewMetric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return ivsChatMetric({
      namespace: REVIEW_METRICS.namespace,
      metricName,
      dimensionsMap: { [REVIEW_METRICS.dimension]: this.functionName },
      env: this.env,
    }, props);
  }
}

/** Validates the props and renders the configuration file's content. */
function renderConfig(scope: Construct, props: MessageReviewFunctionProps): ReviewConfig {
  const blockedTerms = props.blockedTerms ?? [];
  blockedTerms.forEach((term, i) => {
    if (Token.isUnresolved(term)) {
      throw new ValidationError(scope, `\`blockedTerms[${i}]\` must be known at synth (it ships in the function's code). Received a token`);
    }
    if (!/[\p{L}\p{N}]/u.test(term)) {
      throw new ValidationError(scope, `\`blockedTerms[${i}]\` must contain a letter or digit. Received ${JSON.stringify(term)}`);
    }
  });
  const blockedPatterns = (props.blockedPatterns ?? []).map((source, i) => {
    if (Token.isUnresolved(source)) {
      throw new ValidationError(scope, `\`blockedPatterns[${i}]\` must be known at synth (it is compiled then). Received a token`);
    }
    let compiled: RegExp;
    try {
      compiled = new RegExp(source, PATTERN_FLAGS);
    } catch (err) {
      throw new ValidationError(scope, `\`blockedPatterns[${i}]\` is not a valid regular expression (flags ${PATTERN_FLAGS}): ` +
        `${(err as Error).message}. Received ${JSON.stringify(source)}`);
    }
    if (compiled.test('')) {
      throw new ValidationError(scope, `\`blockedPatterns[${i}]\` must not match the empty string. Received ${JSON.stringify(source)}`);
    }
    return { source, flags: PATTERN_FLAGS };
  });
  const blockLinks = props.blockLinks ?? false;
  const allowedLinkDomains = (props.allowedLinkDomains ?? []).map((domain, i) => {
    const normalized = Token.isUnresolved(domain) ? domain : domain.trim().toLowerCase().replace(/\.$/, '');
    if (Token.isUnresolved(domain) || !DOMAIN.test(normalized)) {
      throw new ValidationError(scope, `\`allowedLinkDomains[${i}]\` must be a domain name such as example.com. Received ${JSON.stringify(domain)}`);
    }
    return normalized;
  });
  if (allowedLinkDomains.length > 0 && !blockLinks) {
    throw new ValidationError(scope, '`allowedLinkDomains` only applies with `blockLinks: true`. Received blockLinks false');
  }
  const onMatch = props.onMatch ?? ReviewAction.MASK;
  if (props.denyReason !== undefined && onMatch !== ReviewAction.DENY) {
    throw new ValidationError(scope, '`denyReason` only applies with `onMatch: ReviewAction.DENY`. Received onMatch MASK');
  }
  const denyReason = props.denyReason ?? DEFAULT_DENY_REASON;
  if (Token.isUnresolved(denyReason) || denyReason.trim() === '') {
    throw new ValidationError(scope, `\`denyReason\` must be a non-empty string known at synth. Received ${JSON.stringify(denyReason)}`);
  }
  return { version: 1, blockedTerms, blockedPatterns, blockLinks, allowedLinkDomains, onMatch, denyReason };
}

function validateProvisioned(scope: Construct, value: number | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < 1) {
    throw new ValidationError(scope, `\`provisionedConcurrentExecutions\` must be an integer of at least 1. Received ${value}`);
  }
}

/**
 * A folder holding the shipped bundle and the configuration file, named by their hash: the same configuration
 * gives the same folder, the same asset hash and no redeploy.
 */
function stageCode(config: ReviewConfig): string {
  const bundle = fs.readFileSync(path.join(BUNDLE_DIR, 'index.js'));
  const json = JSON.stringify(config);
  const hash = createHash('sha256').update(bundle).update('\0').update(json).digest('hex').slice(0, 32);
  const dir = path.join(os.tmpdir(), 'cdk-ivs-chat-message-review', hash);
  if (!fs.existsSync(path.join(dir, REVIEW_CONFIG_FILE))) {
    // Written under a temporary name and renamed, so a parallel synth never sees half a folder.
    const tmp = `${dir}.${process.pid}.${Date.now()}`;
    fs.mkdirSync(tmp, { recursive: true });
    fs.writeFileSync(path.join(tmp, 'index.js'), bundle);
    fs.writeFileSync(path.join(tmp, REVIEW_CONFIG_FILE), json);
    try {
      fs.renameSync(tmp, dir);
    } catch {
      // another process staged the same folder first: same content
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  return dir;
}
