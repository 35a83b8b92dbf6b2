/**
 * Shared helpers for the lifecycle suites: they drive the BUNDLED handlers in `assets/` (what Lambda runs)
 * with the real `@aws-sdk/client-ivschat` against the local IVS Chat stand-in, and read the CloudFormation
 * response the provider PUTs to the event's ResponseURL from a tiny local HTTP server.
 *
 * Not a test file: the suites call `useLifecycleSuite()` at their top level.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { IvschatClient } from '@aws-sdk/client-ivschat';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { describeError } from '../../src/handlers/provider/errors';
import { markerValue } from '../../src/handlers/provider/marker';
import { MARKER_TAG_KEY, OWNER_TAG_KEY, TEST_RESPONSE_URL_PREFIX_ENV } from '../../src/private/contract';
import { CallRecord, CloudFormationStandIn, IvsChatStandIn, OperationName, StandInOptions } from 'cdk-ivs-chat/testing';

/** Root of the repository (the bundles live in `assets/handlers/<name>/index.js`). */
const ROOT = path.resolve(__dirname, '..', '..');

export const ROOM_TYPE = 'Custom::IvsChatRoom';
export const LOGGING_CONFIGURATION_TYPE = 'Custom::IvsChatLoggingConfiguration';
export const SERVICE_TOKEN = 'arn:aws:lambda:us-east-1:123456789012:function:IvsChatProvider';
export const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/LifecycleTest/11111111-2222-3333-4444-555555555555';
/** The provider Lambda's timeout (src/private/provider.ts PROVIDER_TIMEOUT). */
export const PROVIDER_TIMEOUT_MS = 600_000;

/** The JSON body the provider PUTs to the ResponseURL: what CloudFormation sees. */
export interface CfnResponseBody {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly NoEcho: boolean;
  readonly Data: Record<string, string>;
}

/** One PUT as the response server received it. */
export interface CapturedPut {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** What the server answered: 200, or 503 while `failNext` is in effect. */
  readonly status: number;
}

/**
 * Stands in for CloudFormation's pre-signed S3 ResponseURL: records every request made to it, and hands each
 * accepted answer to `onAccepted` (CloudFormation reading it) before answering 200.
 */
export class ResponseServer {
  static async start(onAccepted?: (body: string) => void): Promise<ResponseServer> {
    const server = new ResponseServer(onAccepted);
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.server.listen(0, '127.0.0.1', () => resolve());
    });
    return server;
  }

  private readonly puts: CapturedPut[] = [];
  private readonly server: Server;
  private failures = 0;

  private constructor(private readonly onAccepted?: (body: string) => void) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const status = this.failures > 0 ? 503 : 200;
        if (status !== 200) this.failures -= 1;
        const body = Buffer.concat(chunks).toString('utf8');
        this.puts.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, status });
        if (status === 200) this.onAccepted?.(body);
        // S3 answers 503 Slow Down under load
        res.writeHead(status);
        res.end(status === 200 ? undefined : '<Error><Code>SlowDown</Code></Error>');
      });
    });
  }

  /** A ResponseURL unique to the request, with a fake pre-signed query string (a secret that must never be logged). */
  urlFor(requestId: string): string {
    const port = (this.server.address() as AddressInfo).port;
    return `http://127.0.0.1:${port}/responses/${requestId}?X-Amz-Signature=secret-${requestId}`;
  }

  /** The next `count` PUTs (to any ResponseURL) are answered 503. */
  failNext(count: number): void {
    this.failures += count;
  }

  /** Forgets pending failures. */
  reset(): void {
    this.failures = 0;
  }

  /** Every request made to the ResponseURL of `requestId`. */
  putsFor(requestId: string): CapturedPut[] {
    return this.puts.filter((put) => put.path.startsWith(`/responses/${requestId}?`));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A Lambda context whose remaining time counts down from `timeoutMs` as real time passes. */
export function lambdaContext(timeoutMs = PROVIDER_TIMEOUT_MS): Context {
  const start = Date.now();
  const fail = () => {
    throw new Error('the provider must not use the callback-style context methods');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'IvsChatProvider',
    functionVersion: '$LATEST',
    invokedFunctionArn: SERVICE_TOKEN,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/IvsChatProvider',
    logStreamName: '2025/01/01/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - start)),
    done: fail,
    fail,
    succeed: fail,
  };
}

/**
 * Loads a bundle from `assets/handlers/<name>/index.js` in a fresh module registry after putting `env`
 * into `process.env`: the bundles build their SDK client at module load from the standard environment.
 */
export function loadBundle<T>(name: 'provider/provider.lambda' | 'token-vendor/token-vendor.lambda', env: Record<string, string>): T {
  Object.assign(process.env, env);
  let loaded: T | undefined;
  jest.isolateModules(() => {
    // A plain require: the bundle is CommonJS JavaScript, loaded as Lambda would load it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(path.join(ROOT, 'assets', 'handlers', name, 'index.js')) as T;
  });
  return loaded!;
}

/**
 * Loads the provider bundle as a NEW module instance each call, as a fresh Lambda container would: its own
 * module-level SDK client (and so its own connections and retry state). The SDK's own modules are shared, as
 * the runtime's would be cached on disk; only the bundle's code runs again.
 */
export function freshProvider(): ProviderBundle {
  const file = path.join(ROOT, 'assets', 'handlers', 'provider', 'provider.lambda', 'index.js');
  bundleSource ??= readFileSync(file, 'utf8');
  const module = { exports: {} as ProviderBundle };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('module', 'exports', 'require', '__filename', '__dirname', bundleSource)(module, module.exports, require, file, path.dirname(file));
  return module.exports;
}
let bundleSource: string | undefined;

/** What `assets/handlers/provider/provider.lambda/index.js` exports. */
export interface ProviderBundle {
  handler(event: CloudFormationCustomResourceEvent, context?: Context): Promise<void>;
}

export type ResourceProperties = Record<string, unknown>;

/** Builds CloudFormation custom resource events as CloudFormation sends them (every property a string). */
export class Events {
  constructor(private readonly responses: ResponseServer, private readonly resourceType: string, private readonly logicalId: string) {}

  create(props: ResourceProperties): CloudFormationCustomResourceEvent {
    return { ...this.base(props), RequestType: 'Create' } as CloudFormationCustomResourceEvent;
  }

  update(physicalId: string, oldProps: ResourceProperties, newProps: ResourceProperties): CloudFormationCustomResourceEvent {
    return {
      ...this.base(newProps),
      RequestType: 'Update',
      PhysicalResourceId: physicalId,
      OldResourceProperties: { ServiceToken: SERVICE_TOKEN, ...oldProps },
    } as CloudFormationCustomResourceEvent;
  }

  delete(physicalId: string, props: ResourceProperties): CloudFormationCustomResourceEvent {
    return { ...this.base(props), RequestType: 'Delete', PhysicalResourceId: physicalId } as CloudFormationCustomResourceEvent;
  }

  private base(props: ResourceProperties = {}) {
    const requestId = randomUUID();
    return {
      ServiceToken: SERVICE_TOKEN,
      ResponseURL: this.responses.urlFor(requestId),
      StackId: STACK_ID,
      RequestId: requestId,
      LogicalResourceId: this.logicalId,
      ResourceType: this.resourceType,
      ResourceProperties: { ServiceToken: SERVICE_TOKEN, ...props },
    };
  }
}

/** Resources that should exist in the stand-in when a test ends (ARNs). */
export interface ExpectedResources {
  rooms?: string[];
  loggingConfigurations?: string[];
}

export interface LifecycleSuiteOptions {
  /** Options of the stand-in this suite's bundle talks to. */
  readonly standIn?: StandInOptions;
}

/** The start of every ResponseURL the harness makes: the provider accepts it through its test-only variable. */
export const LOCAL_RESPONSE_URL_PREFIX = 'http://127.0.0.1:';

/**
 * Everything a lifecycle suite needs, filled in by `beforeAll`: a stand-in, the bundled provider loaded
 * against it, the response server, CloudFormation's records (what it sent and which answers it took), and a
 * direct SDK client for out-of-band changes.
 */
export class LifecycleSuite {
  standIn!: IvsChatStandIn;
  /** What CloudFormation records: `invoke` tells it a request was sent, the response server that an answer arrived. */
  cloudFormation!: CloudFormationStandIn;
  responses!: ResponseServer;
  provider!: ProviderBundle;
  /** A direct client (one attempt, no retries) for changes made behind the provider's back. */
  client!: IvschatClient;
  /** Every line the bundles logged with console.log. */
  readonly logs: string[] = [];
  private expected: ExpectedResources = {};

  /** Declares what should be left in the stand-in when this test ends (default: nothing). */
  expectRemaining(expected: ExpectedResources): void {
    this.expected = expected;
  }

  events(resourceType: string, logicalId: string): Events {
    return new Events(this.responses, resourceType, logicalId);
  }

  /**
   * Runs the bundled `handler` on the event and returns the one response it PUT to the ResponseURL, after
   * checking what CloudFormation would check: one PUT, ids echoed, a one-line reason that never leaks the URL.
   */
  async invoke(event: CloudFormationCustomResourceEvent, context: Context = lambdaContext()): Promise<CfnResponseBody> {
    this.cloudFormation.requestSent(event);
    await this.provider.handler(event, context);
    return this.responseOf(event);
  }

  /**
   * CloudFormation sends `event` (a second delivery of the same RequestId changes nothing in its records) and the
   * bundled handler runs to its end; unlike `invoke` it checks no response (a duplicate delivery answers twice, a
   * refused PUT not at all): read `cloudFormation.answers()`.
   */
  async deliver(event: CloudFormationCustomResourceEvent, context: Context = lambdaContext()): Promise<void> {
    this.cloudFormation.requestSent(event);
    await this.provider.handler(event, context);
  }

  /** `invoke` in a fresh container: the bundle loaded anew, with its own SDK client. */
  async invokeFresh(event: CloudFormationCustomResourceEvent, context: Context = lambdaContext()): Promise<CfnResponseBody> {
    this.cloudFormation.requestSent(event);
    await freshProvider().handler(event, context);
    return this.responseOf(event);
  }

  /** The single response PUT for `event` that was accepted (call after the handler resolved); retries must repeat it exactly. */
  responseOf(event: CloudFormationCustomResourceEvent): CfnResponseBody {
    const puts = this.responses.putsFor(event.RequestId);
    const accepted = puts.filter((p) => p.status === 200);
    expect(accepted).toHaveLength(1);
    expect(puts[puts.length - 1]).toBe(accepted[0]);
    for (const earlier of puts) expect(earlier.body).toBe(accepted[0].body);
    const put = accepted[0];
    expect(put.method).toBe('PUT');
    // The pre-signed S3 URL is signed without a content type: any other value would make S3 answer 403.
    expect(put.headers['content-type']).toBe('');
    expect(Buffer.byteLength(put.body)).toBeLessThanOrEqual(4096);
    const body = JSON.parse(put.body) as CfnResponseBody;
    expect(body).toMatchObject({ StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId });
    expect(body.Reason).not.toMatch(/[\r\n]/);
    if (body.Status === 'FAILED') expect(body.Reason).not.toBe('');
    for (const line of this.logs) expect(line).not.toContain('X-Amz-Signature');
    return body;
  }

  /** Calls of `operation` made since `since` (an index into `calls()`). */
  callsSince<Op extends OperationName>(since: number, operation?: Op): CallRecord[] {
    const all = this.standIn.calls().slice(since);
    return operation ? all.filter((call) => call.operation === operation) : all;
  }

  /** Index to pass to `callsSince` for "from now on". */
  mark(): number {
    return this.standIn.calls().length;
  }

  /** Operations that change something, seen since `since`. */
  writesSince(since: number): string[] {
    return this.callsSince(since).map((call) => call.operation).filter((op) => !/^(Get|List)/.test(op));
  }

  /** @internal */
  async setUp(options: LifecycleSuiteOptions): Promise<void> {
    jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      this.logs.push(args.map(String).join(' '));
    });
    this.standIn = await IvsChatStandIn.start(options.standIn);
    this.cloudFormation = await CloudFormationStandIn.start();
    this.responses = await ResponseServer.start((body) => this.cloudFormation.receiveAnswer(body));
    this.provider = loadBundle<ProviderBundle>('provider/provider.lambda', {
      ...this.standIn.environment(), ...this.cloudFormation.environment(), [TEST_RESPONSE_URL_PREFIX_ENV]: LOCAL_RESPONSE_URL_PREFIX,
    });
    this.client = new IvschatClient({ ...this.standIn.clientConfig(), maxAttempts: 1 });
  }

  /** @internal */
  checkAndReset(options: LifecycleSuiteOptions): void {
    const expected = this.expected;
    this.expected = {};
    try {
      // Snapshots settle due transitions; compare ARNs so a failure names what leaked.
      expect({
        rooms: this.standIn.rooms().map((room) => room.arn).sort(),
        loggingConfigurations: this.standIn.loggingConfigurations().map((config) => config.arn).sort(),
      }).toEqual({
        rooms: [...expected.rooms ?? []].sort(),
        loggingConfigurations: [...expected.loggingConfigurations ?? []].sort(),
      });
    } finally {
      this.standIn.reset();
      this.cloudFormation.reset();
      this.responses.reset();
      this.standIn.setRateLimits(options.standIn?.rateLimits ?? false);
      this.standIn.setTransitionDelay(options.standIn?.transitionDelayMs ?? 0);
      this.logs.length = 0;
    }
  }

  /** @internal */
  async tearDown(): Promise<void> {
    this.client?.destroy();
    await this.standIn?.stop();
    await this.cloudFormation?.stop();
    await this.responses?.stop();
  }
}

/**
 * Registers beforeAll / afterEach / afterAll for a lifecycle suite. After EVERY test the stand-in must hold
 * exactly the resources the test declared with `expectRemaining` (none by default); then it is reset.
 */
export function useLifecycleSuite(options: LifecycleSuiteOptions = {}): LifecycleSuite {
  const suite = new LifecycleSuite();
  beforeAll(() => suite.setUp(options));
  afterEach(() => suite.checkAndReset(options));
  afterAll(() => suite.tearDown());
  return suite;
}

/**
 * The tags the provider puts on what a Create event makes: the marker (the hash of the stack, the logical id and
 * the request id) and the ownership tag (the stack id).
 */
export function providerTagsOf(event: CloudFormationCustomResourceEvent): Record<string, string> {
  return { [MARKER_TAG_KEY]: markerValue(event.StackId, event.LogicalResourceId, event.RequestId), [OWNER_TAG_KEY]: event.StackId };
}

/** The provider's tags a resource carries (it must carry both). */
export function providerTagsOn(tags: Record<string, string>): Record<string, string> {
  const marker = tags[MARKER_TAG_KEY];
  const owner = tags[OWNER_TAG_KEY];
  if (!marker || !owner) throw new Error(`no ${MARKER_TAG_KEY} or ${OWNER_TAG_KEY} tag in ${JSON.stringify(tags)}`);
  return { [MARKER_TAG_KEY]: marker, [OWNER_TAG_KEY]: owner };
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 50 ms until it holds or `timeoutMs` passed. */
export async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('waitFor: condition still false');
    await sleep(50);
  }
}

/** Time `fn` in milliseconds along with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = Date.now();
  const result = await fn();
  return { result, ms: Date.now() - start };
}

/** A lifecycle function's failure as the provider would report it. */
export async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return describeError(err);
  }
  throw new Error('expected the lifecycle function to fail');
}
