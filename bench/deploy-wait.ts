/**
 * Table 3 - deployment wait and Lambda invocations.
 *  a) With the stand-in's logging configuration taking N s to become ACTIVE, how long after ACTIVE the provider's
 *     real wait code (the bundle's `onEvent`, production options) reports success: the poll interval's cost.
 *  b) Lambda invocations and service calls per lifecycle event with this provider (CloudFormation invokes it
 *     directly), counted where they are received: the invocations the handler entered (its own per-invocation log
 *     line), the further invocations it asked for (requests reaching local Lambda / Step Functions / EventBridge /
 *     Scheduler endpoints), and the responses reaching the ResponseURL; vs the custom-resources.Provider framework
 *     (computed from its design).
 */
import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { IvschatClient } from '@aws-sdk/client-ivschat';
import { bundlePath, ensureBundles } from './lib/bundles';
import { loadFresh, quietly } from './lib/load';
import { fmt, log, Section, verdict } from './lib/report';
import { ResponseSink } from './lib/sink';
import { startStandIn } from './lib/standin';

type CfnEvent = Record<string, any>;
interface ProviderBundle {
  onEvent(event: CfnEvent, remainingMs?: number): Promise<{ status: string; physicalResourceId: string; reason?: string }>;
  handler(event: CfnEvent, context?: unknown): Promise<void>;
}

/** The Provider framework's default isComplete query interval (custom-resources Provider `queryInterval`). */
const FRAMEWORK_QUERY_INTERVAL_S = 5;
const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/bench/00000000-0000-0000-0000-000000000000';
const CONFIG_TYPE = 'Custom::IvsChatLoggingConfiguration';
const ROOM_TYPE = 'Custom::IvsChatRoom';

let requestSeq = 0;
function event(requestType: 'Create' | 'Update' | 'Delete', resourceType: string, props: Record<string, unknown>,
  extra: Partial<CfnEvent> = {}): CfnEvent {
  return {
    RequestType: requestType,
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:bench',
    ResponseURL: 'http://127.0.0.1:9/unused',
    StackId: STACK_ID,
    RequestId: `bench-${++requestSeq}`,
    LogicalResourceId: 'Resource',
    ResourceType: resourceType,
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:bench', ...props },
    ...extra,
  };
}

const configProps = (name: string) => ({
  Name: name,
  DestinationConfiguration: { CloudWatchLogs: { LogGroupName: 'bench-chat-logs' } },
  Tags: { team: 'chat' },
});

/**
 * A local endpoint for an AWS service the provider could use to get itself invoked again (Lambda Invoke, a Step
 * Functions waiter, an EventBridge rule or schedule): it records every request it receives and refuses it.
 */
class ReinvocationEndpoint {
  static async start(service: string): Promise<ReinvocationEndpoint> {
    const endpoint = new ReinvocationEndpoint(service);
    await new Promise<void>((resolve) => endpoint.server.listen(0, '127.0.0.1', resolve));
    return endpoint;
  }

  readonly received: string[] = [];
  private readonly server: Server;

  private constructor(readonly service: string) {
    this.server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        this.received.push(`${service} ${req.method} ${req.url} ${req.headers['x-amz-target'] ?? ''}`.trim());
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"message":"bench: no further invocations"}');
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Standard SDK endpoint variables (AWS_ENDPOINT_URL_<service id>) of the services that can invoke a function. */
const REINVOKING_SERVICES = ['LAMBDA', 'SFN', 'EVENTBRIDGE', 'SCHEDULER'];

/** The console lines `fn` writes (dropped from the report), with its result: the handler's own record of each invocation. */
async function capturing<T>(fn: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  const keep = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  Object.assign(console, { log: keep, info: keep, warn: keep, error: keep });
  try {
    return { result: await fn(), lines };
  } finally {
    Object.assign(console, saved);
  }
}

interface WaitRow {
  readonly design: string;
  readonly n: number;
  readonly lagMs: number;
  readonly totalMs: number;
  readonly polls: number;
}

export async function deployWait(options: { activeAfterSeconds: number[] }): Promise<Section> {
  const section = new Section('3. Deployment wait and Lambda invocations per lifecycle event');
  const note = ensureBundles();
  const standIn = await startStandIn();
  // What CloudFormation records: the provider reads it back after each Create (issue 19).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cloudFormation = await (require('../src/testing') as typeof import('../src/testing')).CloudFormationStandIn.start();
  const sink = await ResponseSink.start();
  const reinvocations = await Promise.all(REINVOKING_SERVICES.map((service) => ReinvocationEndpoint.start(service)));
  try {
    const sinkPrefix = new URL(sink.next().url).origin + '/';
    const bundle = loadFresh<ProviderBundle>(bundlePath('provider/provider.lambda'), {
      ...standIn.environment(),
      ...cloudFormation.environment(),
      ...Object.fromEntries(reinvocations.map((e) => [`AWS_ENDPOINT_URL_${e.service}`, e.url])),
      // the provider accepts a ResponseURL outside CloudFormation's S3 bucket only under this prefix
      CDK_IVS_CHAT_TEST_RESPONSE_URL_PREFIX: sinkPrefix,
    });

    // ---- a) poll interval cost, production options (bundle's onEvent), and shorter intervals (src code, same logic)
    let alt: typeof import('../src/handlers/provider/logging-configuration') | undefined;
    let altNote = '';
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      alt = require('../src/handlers/provider/logging-configuration');
    } catch (err) {
      altNote = `shorter intervals not measured: ${(err as Error).message.split('\n')[0]}`;
    }
    const prodInterval = alt?.LOGGING_CONFIGURATION_WAITS.stable.intervalMs;
    const client = new IvschatClient(standIn.clientConfig());
    const designs: { name: string; create: (n: number, name: string) => Promise<string> }[] = [
      {
        name: `provider bundle onEvent (production: poll every ${prodInterval !== undefined ? prodInterval / 1000 : '?'} s)`,
        create: async (_n, name) => {
          const r = await quietly(() => bundle.onEvent(event('Create', CONFIG_TYPE, configProps(name)), 600_000));
          if (r.status !== 'SUCCESS') throw new Error(`Create failed: ${r.reason}`);
          return r.physicalResourceId;
        },
      },
    ];
    if (alt) {
      for (const intervalMs of [1_000, 2_000].filter((i) => i !== prodInterval)) {
        designs.push({
          name: `what-if: same wait code (src), poll every ${intervalMs / 1000} s`,
          create: async (_n, name) => (await alt!.createLoggingConfiguration(client, {
            name, destination: { type: 'CloudWatchLogs', name: 'bench-chat-logs' }, tags: {},
          }, `bench-${name}`, { ...alt!.LOGGING_CONFIGURATION_WAITS, stable: { ...alt!.LOGGING_CONFIGURATION_WAITS.stable, intervalMs } })).physicalResourceId,
        });
      }
    }
    const waitRows: WaitRow[] = [];
    for (const n of options.activeAfterSeconds) {
      standIn.setTransitionDelay(n * 1000);
      for (const design of designs) {
        const before = standIn.calls().length;
        const t0 = Date.now();
        const arn = await design.create(n, `bench-${n}-${waitRows.length}`);
        const done = Date.now();
        const calls = standIn.calls().slice(before);
        const created = calls.find((c) => c.operation === 'CreateLoggingConfiguration')!;
        const activeAt = created.time.getTime() + n * 1000;
        waitRows.push({
          design: design.name,
          n,
          lagMs: done - activeAt,
          totalMs: done - t0,
          polls: calls.filter((c) => c.operation === 'GetLoggingConfiguration').length,
        });
        log(`deploy wait: ACTIVE after ${n} s, ${design.name}: success ${done - activeAt} ms after ACTIVE`);
        standIn.setTransitionDelay(0);
        await quietly(() => bundle.onEvent(event('Delete', CONFIG_TYPE, configProps('x'), { PhysicalResourceId: arn }), 600_000));
        standIn.setTransitionDelay(n * 1000);
      }
    }
    standIn.setTransitionDelay(0);
    const frameworkLag = (n: number) => (Math.ceil(n / FRAMEWORK_QUERY_INTERVAL_S) * FRAMEWORK_QUERY_INTERVAL_S - n) * 1000;
    const rowsA = waitRows.map((r) => [r.design, `${r.n}`, fmt(r.lagMs / 1000, 2), fmt(r.totalMs / 1000, 2), `${r.polls}`]);
    for (const n of options.activeAfterSeconds) {
      rowsA.push([`computed: Provider framework isComplete waiter (queryInterval ${FRAMEWORK_QUERY_INTERVAL_S} s)`, `${n}`,
        `>= ${fmt(frameworkLag(n) / 1000, 2)}`, `>= ${fmt(n + frameworkLag(n) / 1000, 2)}`, `${Math.ceil(n / FRAMEWORK_QUERY_INTERVAL_S) + 1}`]);
    }
    section.text('**a) Logging configuration create: success reported after ACTIVE** (stand-in transition delay N s; ' +
      'lag = success time - (CreateLoggingConfiguration time + N))');
    section.table(['design', 'ACTIVE after N s', 's after ACTIVE', 'create total s', 'GetLoggingConfiguration polls'], rowsA);
    const prod = waitRows.filter((r) => r.design === designs[0].name);
    const meanLag = prod.reduce((a, r) => a + r.lagMs, 0) / Math.max(1, prod.length);
    section.bullets([
      `Production poll interval costs ${fmt(meanLag / 1000, 2)} s after ACTIVE on average over these N ` +
        `(expected interval/2 = ${prodInterval !== undefined ? fmt(prodInterval / 2000, 1) : '?'} s for a random N); ` +
        'one deployment waits this once per configuration (configurations in one stack are created in parallel).',
      ...(altNote ? [altNote] : []),
      `${note}.`,
    ]);

    // ---- b) invocations and service calls per lifecycle event, through the real handler and ResponseURL.
    // Counted where received: the handler logs each event it is invoked with (one line per invocation); any
    // further invocation it asked for would reach one of the re-invocation endpoints; the response reaches the sink.
    const reinvocationRequests = () => reinvocations.reduce((n, e) => n + e.received.length, 0);
    const invoke = async (e: CfnEvent) => {
      const { url, arrival } = sink.next();
      let responded = false;
      void arrival.then(() => {
        responded = true;
      });
      const before = standIn.calls().length;
      const reinvocationsBefore = reinvocationRequests();
      const t0 = Date.now();
      cloudFormation.requestSent(e as Parameters<typeof cloudFormation.requestSent>[0]);
      // CloudFormation reads the answer as it arrives, before the provider asks what it recorded
      const taken = arrival.then((a) => {
        cloudFormation.receiveAnswer(a.body);
        return a;
      });
      const { lines } = await capturing(() => bundle.handler({ ...e, ResponseURL: url }, { getRemainingTimeInMillis: () => 600_000 }));
      const ms = Date.now() - t0;
      // a response PUT inside the invocation has been received by the time the handler's promise settles (one turn later at most)
      await new Promise((resolve) => setImmediate(resolve));
      const respondedInside = responded;
      const response = JSON.parse((await taken).body);
      const entered = lines.filter((line) => {
        try {
          return (JSON.parse(line) as CfnEvent).RequestId === e.RequestId;
        } catch {
          return false;
        }
      }).length;
      const calls = standIn.calls().slice(before);
      return { response, ms, calls, entered, requested: reinvocationRequests() - reinvocationsBefore, respondedInside };
    };
    const lifecycleN = 1;
    const steps: { label: string; resource: 'room' | 'config'; make: (id: string) => CfnEvent; polls: boolean }[] = [
      {
        label: 'room Create',
        resource: 'room',
        polls: false,
        make: () => event('Create', ROOM_TYPE, { Name: 'bench', MaximumMessageLength: '200', MaximumMessageRatePerSecond: '5', Tags: { team: 'chat' } }),
      },
      {
        label: 'room Update (length + a tag)',
        resource: 'room',
        polls: false,
        make: (id) => event('Update', ROOM_TYPE,
          { Name: 'bench', MaximumMessageLength: '300', MaximumMessageRatePerSecond: '5', Tags: { team: 'chat', env: 'prod' } },
          {
            PhysicalResourceId: id,
            OldResourceProperties: { Name: 'bench', MaximumMessageLength: '200', MaximumMessageRatePerSecond: '5', Tags: { team: 'chat' } },
          }),
      },
      {
        label: 'room Delete',
        resource: 'room',
        polls: false,
        make: (id) => event('Delete', ROOM_TYPE, { Name: 'bench' }, { PhysicalResourceId: id }),
      },
      {
        label: `logging configuration Create (ACTIVE after ${lifecycleN} s)`,
        resource: 'config',
        polls: true,
        make: () => event('Create', CONFIG_TYPE, configProps('bench-life')),
      },
      {
        label: `logging configuration Update (destination; ACTIVE after ${lifecycleN} s)`,
        resource: 'config',
        polls: true,
        make: (id) => event('Update', CONFIG_TYPE, { ...configProps('bench-life'), DestinationConfiguration: { S3: { BucketName: 'bench-chat-bucket' } } },
          { PhysicalResourceId: id, OldResourceProperties: configProps('bench-life') }),
      },
      {
        label: 'logging configuration Delete',
        resource: 'config',
        polls: true,
        make: (id) => event('Delete', CONFIG_TYPE, configProps('bench-life'), { PhysicalResourceId: id }),
      },
    ];
    const ids: Record<string, string> = {};
    const rowsB: string[][] = [];
    const perEvent: { label: string; invocations: number; ok: boolean }[] = [];
    const bundleRequires = [...new Set([...readFileSync(bundlePath('provider/provider.lambda'), 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))].sort();
    standIn.setTransitionDelay(lifecycleN * 1000);
    for (const step of steps) {
      const r = await invoke(step.make(ids[step.resource]));
      const invocations = r.entered + r.requested;
      ids[step.resource] = r.response.PhysicalResourceId;
      const ops = new Map<string, number>();
      for (const c of r.calls) ops.set(c.operation, (ops.get(c.operation) ?? 0) + 1);
      const opsText = [...ops].map(([op, k]) => (k > 1 ? `${op} x${k}` : op)).join(', ');
      // Framework: framework onEvent + user onEvent; with an isComplete waiter, each poll is framework isComplete + user isComplete.
      perEvent.push({ label: step.label, invocations, ok: r.response.Status === 'SUCCESS' && r.respondedInside });
      const waiterPolls = step.polls ? (step.label.includes('Delete') ? 1 : Math.ceil(lifecycleN / FRAMEWORK_QUERY_INTERVAL_S) + 1) : 0;
      rowsB.push([
        step.label,
        `${r.response.Status}${r.respondedInside ? '' : ' (after the invocation returned)'}`,
        `${invocations} (${r.entered} entered + ${r.requested} requested)`,
        opsText || '(none)',
        fmt(r.ms / 1000, 2),
        '2',
        step.polls ? `${2 + 2 * waiterPolls} (2 + 2 x ${waiterPolls} poll${waiterPolls > 1 ? 's' : ''}) + Step Functions` : '2 (no waiter needed)',
      ]);
    }
    standIn.setTransitionDelay(0);
    section.text('**b) Lambda invocations per lifecycle event** (measured where received: the harness plays CloudFormation and ' +
      'invokes the bundle\'s `handler` once per event; "entered" counts the invocations the handler itself logged for the event, ' +
      '"requested" the requests that reached local Lambda, Step Functions, EventBridge and Scheduler endpoints (how a function gets ' +
      'itself invoked again); "reported" is the ResponseURL PUT, received before the invocation returned unless noted; service calls ' +
      'from the stand-in\'s `calls()`)');
    section.table(['lifecycle event', 'reported', 'Lambda invocations (this provider, measured)', 'IVS Chat calls (stand-in)', 'wall s',
      'computed: Provider framework, onEvent polls inside', `computed: Provider framework + isComplete waiter (${FRAMEWORK_QUERY_INTERVAL_S} s)`], rowsB);
    const rooms = perEvent.filter((e) => e.label.startsWith('room'));
    const configs = perEvent.filter((e) => !e.label.startsWith('room'));
    section.targetTable([
      ['one Lambda invocation per room create / update / delete (framework design: 2 each)',
        `${rooms.map((e) => e.invocations).join(' / ')}, ${rooms.every((e) => e.ok) ? 'all SUCCESS inside it' : 'NOT all SUCCESS inside it'}`,
        verdict(rooms.every((e) => e.invocations === 1 && e.ok))],
      ['one Lambda invocation per logging configuration create / update / delete, waits included',
        `${configs.map((e) => e.invocations).join(' / ')}, ${configs.every((e) => e.ok) ? 'all SUCCESS inside it' : 'NOT all SUCCESS inside it'}`,
        verdict(configs.every((e) => e.invocations === 1 && e.ok))],
      ['success reported after ACTIVE (production poll interval)', `${fmt(meanLag / 1000, 2)} s mean over N = ${options.activeAfterSeconds.join(', ')} s ` +
        `(max ${fmt(Math.max(...prod.map((r) => r.lagMs)) / 1000, 2)} s)`, 'info'],
    ]);
    section.bullets([
      'The framework columns are computed from the custom-resources.Provider design, not measured: CloudFormation invokes the ' +
        'framework onEvent Lambda, which invokes the user onEvent Lambda (2 per event); with isComplete, a Step Functions waiter ' +
        `invokes the framework isComplete Lambda, which invokes the user isComplete Lambda, first at once and then every ${FRAMEWORK_QUERY_INTERVAL_S} s ` +
        '(2 per poll), and reports only on a poll, so success comes up to queryInterval after ACTIVE.',
      'This provider waits inside its one invocation, so it is billed for the wait (256 MB x create time) instead of extra invocations and state transitions.',
      `The provider bundle requires only ${bundleRequires.map((r) => `\`${r}\``).join(', ')}: it carries no client that could invoke a function.`,
    ]);
  } finally {
    await Promise.all(reinvocations.map((e) => e.stop()));
    await sink.stop();
    await cloudFormation.stop();
    await standIn.stop();
  }
  return section;
}
