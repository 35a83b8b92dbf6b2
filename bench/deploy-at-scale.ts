/**
 * Table 5 - deploy at scale: N rooms created at once, then N deleted at once, as CloudFormation does for a stack's
 * independent resources. Each invocation loads the provider bundle fresh (its own module-level SDK client, as
 * separate Lambda containers have) and gets a Lambda context counting down from the provider's real 10 minutes.
 * The stand-in answers ThrottlingException (429) from a token bucket for room operations (TPS requests per second,
 * burst = TPS). Measured: wall time from the first invocation to the last response against the physical limit N / TPS,
 * FAILED responses, 429 answers per success, and rooms left behind (made but not reported, or not deleted).
 */
import { randomUUID } from 'node:crypto';
import { bundlePath, ensureBundles } from './lib/bundles';
import { loadFresh, quietly } from './lib/load';
import { fmt, int, log, now, percentile, Section, verdict } from './lib/report';
import { ResponseSink } from './lib/sink';
import { startStandIn } from './lib/standin';
import { TEST_RESPONSE_URL_PREFIX_ENV } from '../src/private/contract';
import type { CloudFormationStandIn } from '../src/testing';

type CfnEvent = Record<string, any>;
interface ProviderBundle {
  handler(event: CfnEvent, context?: unknown): Promise<void>;
}

const ROOM_TYPE = 'Custom::IvsChatRoom';
const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/bench-scale/00000000-0000-0000-0000-000000000005';
const SERVICE_TOKEN = 'arn:aws:lambda:us-east-1:123456789012:function:bench-scale';
/** The provider's Lambda timeout (src/private/provider.ts). */
const PROVIDER_TIMEOUT_MS = 600_000;
/** The issue's target: wall time within this factor of N / TPS, with no failure. */
const WALL_TARGET = 1.25;
/** Room operations (src/testing/model.ts OPERATION_GROUP): their 429s are counted. */
const ROOM_OPERATIONS = new Set(['CreateRoom', 'GetRoom', 'UpdateRoom', 'DeleteRoom', 'ListRooms']);

export interface DeployAtScaleOptions {
  /** Numbers of rooms created (and then deleted) at once. */
  readonly sizes: number[];
  /** Requests per second of the room bucket, also its burst. */
  readonly tps: number;
  /** Runs per size (a small N is dominated by the slowest backoff: more runs show its spread). Default 1. */
  readonly runs?: (n: number) => number;
}

interface PhaseResult {
  readonly n: number;
  readonly phase: 'create' | 'delete';
  readonly wallMs: number;
  readonly failures: number;
  readonly reasons: string[];
  readonly throttled: number;
  readonly successes: number;
  /** Rooms in the stand-in that CloudFormation would not know about (create) or would believe deleted (delete). */
  readonly leftBehind: number;
  readonly slowestMs: number;
  readonly p50Ms: number;
}

/** A Lambda context whose remaining time counts down from the provider's timeout as real time passes. */
function lambdaContext(): { getRemainingTimeInMillis(): number } {
  const start = Date.now();
  return { getRemainingTimeInMillis: () => Math.max(0, PROVIDER_TIMEOUT_MS - (Date.now() - start)) };
}

function roomEvent(requestType: 'Create' | 'Delete', i: number, responseUrl: string, physicalId?: string): CfnEvent {
  return {
    RequestType: requestType,
    ServiceToken: SERVICE_TOKEN,
    ResponseURL: responseUrl,
    StackId: STACK_ID,
    RequestId: randomUUID(),
    LogicalResourceId: `Room${i}`,
    ResourceType: ROOM_TYPE,
    ResourceProperties: { ServiceToken: SERVICE_TOKEN, Name: `bench-room-${i}`, Tags: { team: 'chat' } },
    ...(physicalId ? { PhysicalResourceId: physicalId } : {}),
  };
}

export async function deployAtScale(options: DeployAtScaleOptions): Promise<Section> {
  const section = new Section('5. Deploy at scale: concurrent room creates and deletes under the rate limit');
  const note = ensureBundles();
  const standIn = await startStandIn();
  // What CloudFormation records: the provider reads it back after each Create (and deletes what it does not hold).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cloudFormation: CloudFormationStandIn = await (require('../src/testing') as typeof import('../src/testing')).CloudFormationStandIn.start();
  const sink = await ResponseSink.start();
  const environment = () => ({ ...standIn.environment(), ...cloudFormation.environment(), [TEST_RESPONSE_URL_PREFIX_ENV]: 'http://127.0.0.1:' });
  const results: PhaseResult[] = [];
  try {
    /** N invocations at once, each with a freshly loaded bundle; returns the responses CloudFormation would read. */
    const runAll = async (n: number, phase: 'create' | 'delete', physicalIds: string[]) => {
      // Load before the clock starts: a container's cold start is not what this table measures.
      const bundles = Array.from({ length: n }, () => loadFresh<ProviderBundle>(bundlePath('provider/provider.lambda'), environment()));
      standIn.setRateLimits({ room: options.tps });
      const mark = standIn.calls().length;
      const t0 = now();
      const responses = await quietly(() => Promise.all(bundles.map(async (bundle, i) => {
        const { url, arrival } = sink.next();
        const event = roomEvent(phase === 'create' ? 'Create' : 'Delete', i, url, physicalIds[i]);
        cloudFormation.requestSent(event as Parameters<CloudFormationStandIn['requestSent']>[0]);
        // CloudFormation reads the answer as it arrives (before the provider, answered, asks what it recorded)
        const taken = arrival.then((a) => {
          cloudFormation.receiveAnswer(a.body);
          return a;
        });
        const started = now();
        await bundle.handler(event, lambdaContext());
        const body = JSON.parse((await taken).body) as { Status: string; Reason?: string; PhysicalResourceId: string };
        return { ...body, ms: now() - started };
      })));
      const wallMs = now() - t0;
      const calls = standIn.calls().slice(mark);
      return { responses, wallMs, throttled: calls.filter((c) => c.status === 429 && ROOM_OPERATIONS.has(c.operation)).length };
    };

    for (const n of options.sizes) {
      for (let run = 0; run < (options.runs?.(n) ?? 1); run++) {
      // ---- creates
        standIn.reset();
        log(`deploy at scale: ${n} room creates at once (${options.tps} TPS)`);
        const created = await runAll(n, 'create', []);
        const succeeded = created.responses.filter((r) => r.Status === 'SUCCESS');
        const reported = new Set(succeeded.map((r) => r.PhysicalResourceId));
        const createLeft = standIn.rooms().filter((room) => !reported.has(room.arn)).length;
        results.push(summarize(n, 'create', created, createLeft));
        log(`  creates: ${fmt(created.wallMs / 1000)} s, ${created.responses.length - succeeded.length} failed, ${created.throttled} x 429`);

        // ---- deletes: exactly N rooms exist (seeded, unthrottled), then N Deletes at once with a full bucket
        standIn.reset();
        standIn.setRateLimits(false);
        const arns = Array.from({ length: n }, (_, i) => standIn.seedRoom({ name: `bench-room-${i}`, tags: { team: 'chat' } }).arn);
        log(`deploy at scale: ${n} room deletes at once (${options.tps} TPS)`);
        const deleted = await runAll(n, 'delete', arns);
        const deleteLeft = standIn.rooms().length;
        results.push(summarize(n, 'delete', deleted, deleteLeft));
        log(`  deletes: ${fmt(deleted.wallMs / 1000)} s, ${deleted.responses.filter((r) => r.Status !== 'SUCCESS').length} failed, ${deleted.throttled} x 429`);
      }
    }
  } finally {
    await sink.stop();
    await cloudFormation.stop();
    await standIn.stop();
  }

  const limitS = (n: number) => n / options.tps;
  const groups = new Map<string, PhaseResult[]>();
  for (const r of results) groups.set(`${r.n} ${r.phase}`, [...(groups.get(`${r.n} ${r.phase}`) ?? []), r]);
  const rows = [...groups.values()].map((runs) => {
    const { n, phase } = runs[0];
    const walls = runs.map((r) => r.wallMs / 1000);
    const successes = runs.reduce((a, r) => a + r.successes, 0);
    const throttled = runs.reduce((a, r) => a + r.throttled, 0);
    return {
      n,
      phase,
      runs: runs.length,
      wallS: percentile(walls, 50),
      minS: Math.min(...walls),
      maxS: Math.max(...walls),
      failures: runs.reduce((a, r) => a + r.failures, 0),
      leftBehind: runs.reduce((a, r) => a + r.leftBehind, 0),
      perSuccess: successes > 0 ? fmt(throttled / successes, 2) : `${int(throttled)} (no success)`,
      p50S: percentile(runs.map((r) => r.p50Ms / 1000), 50),
      slowestS: Math.max(...runs.map((r) => r.slowestMs / 1000)),
    };
  });
  section.text('**Rooms created, then deleted, N at once** (each invocation its own freshly loaded provider bundle and SDK client; ' +
    `stand-in token bucket ${options.tps} requests/s for room operations, burst ${options.tps}; Lambda context counting down from 10 minutes; ` +
    'wall is the median of the runs, with their range)');
  section.table(
    ['N', 'phase', 'runs', 'wall s', 'N / TPS s', 'wall / (N / TPS)', 'failures', '429 answers per success', 'rooms left behind', 'invocation p50 / max s'],
    rows.map((r) => [
      `${r.n}`, r.phase, `${r.runs}`, r.runs > 1 ? `${fmt(r.wallS)} (${fmt(r.minS)}-${fmt(r.maxS)})` : fmt(r.wallS), fmt(limitS(r.n)),
      r.runs > 1 ? `${fmt(r.wallS / limitS(r.n), 2)}x (${fmt(r.minS / limitS(r.n), 2)}-${fmt(r.maxS / limitS(r.n), 2)}x)` : `${fmt(r.wallS / limitS(r.n), 2)}x`,
      `${r.failures}`, r.perSuccess, `${r.leftBehind}`, `${fmt(r.p50S)} / ${fmt(r.slowestS)}`,
    ]),
  );
  section.targetTable(rows.map((r) => {
    const ratio = r.wallS / limitS(r.n);
    return [
      `${r.n} ${r.phase}s at once: 0 failures, 0 left behind, wall <= ${WALL_TARGET}x N / TPS${r.runs > 1 ? ' (median of runs)' : ''}`,
      `${r.failures} failed, ${r.leftBehind} left behind, ${fmt(ratio, 2)}x${r.runs > 1 ? ` (worst ${fmt(r.maxS / limitS(r.n), 2)}x)` : ''}`,
      verdict(r.failures === 0 && r.leftBehind === 0 && ratio <= WALL_TARGET),
    ];
  }));
  const firstReasons = [...new Set(results.flatMap((r) => r.reasons))].slice(0, 3);
  section.bullets([
    `N / TPS is the physical limit: a full bucket lets ${options.tps} calls through at once and then ${options.tps} per second, ` +
      `so N calls need at least (N - ${options.tps}) / ${options.tps} s.`,
    'Rooms left behind: after creates, rooms in the stand-in that no SUCCESS reported (duplicates or leaks); after deletes, ' +
      'rooms still there.',
    'The stand-in keeps one bucket per operation (CreateRoom, DeleteRoom, ListRooms... each at the room quota): a phase runs one ' +
      'kind of call against its own quota.',
    ...(firstReasons.length > 0 ? [`First failure reasons: ${firstReasons.map((r) => `"${r}"`).join('; ')}`] : []),
    `${note}.`,
  ]);
  return section;
}

function summarize(n: number, phase: 'create' | 'delete',
  run: { responses: Array<{ Status: string; Reason?: string; ms: number }>; wallMs: number; throttled: number }, leftBehind: number): PhaseResult {
  const failed = run.responses.filter((r) => r.Status !== 'SUCCESS');
  const durations = run.responses.map((r) => r.ms);
  return {
    n,
    phase,
    wallMs: run.wallMs,
    failures: failed.length,
    reasons: failed.map((r) => (r.Reason ?? '').slice(0, 160)),
    throttled: run.throttled,
    successes: run.responses.length - failed.length,
    leftBehind,
    slowestMs: Math.max(...durations),
    p50Ms: percentile(durations, 50),
  };
}
