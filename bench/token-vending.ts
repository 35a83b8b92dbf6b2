/**
 * Table 4 - token vending: requests per second and p50 / p99 latency of the token-vendor bundle serving a
 * Function URL (HTTP API v2) event against the stand-in, vs the bare SDK CreateChatTokenCommand, in one process,
 * after warm-up, in interleaved blocks; the handler's own cost with the service call stubbed; peak RSS of a
 * process serving tokens (to size the function's memory).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CreateChatTokenCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import { bundlePath, ensureBundles } from './lib/bundles';
import { loadFresh, quietly } from './lib/load';
import { fmt, int, log, median, now, percentile, Section, sum, verdict } from './lib/report';
import { startStandIn } from './lib/standin';

const CHILDREN = path.join(__dirname, 'children');
const USER_ID = 'user-0123456789';
const ORIGIN = 'https://chat.example.com';
const ATTRIBUTES = { displayName: 'Ana' };
const CAPABILITIES = ['SEND_MESSAGE'];
const SESSION_MINUTES = 60;
/** Most time one block may take, whatever its count. */
const BLOCK_TIME_LIMIT_MS = 15_000;
const CONCURRENCY = 8;

interface VendorBundle {
  handler(event: unknown): Promise<{ statusCode?: number; body?: string } & Record<string, unknown>>;
}

/** The token vendor's environment (names from src/private/token-vendor-contract.ts, set by the construct). */
function vendorEnvironment(roomArn: string): Record<string, string> {
  let names = {
    roomArns: 'CHAT_ROOM_ARNS',
    capabilities: 'CHAT_CAPABILITIES',
    maxSessionMinutes: 'CHAT_MAX_SESSION_MINUTES',
    allowUnauthenticatedUsers: 'CHAT_ALLOW_UNAUTHENTICATED_USERS',
    allowedOrigins: 'CHAT_ALLOWED_ORIGINS',
  };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    names = { ...names, ...(require('../src/private/token-vendor-contract') as { TOKEN_VENDOR_ENV: typeof names }).TOKEN_VENDOR_ENV };
  } catch { /* keep the names above */ }
  return {
    [names.roomArns]: JSON.stringify([roomArn]),
    [names.capabilities]: JSON.stringify(CAPABILITIES),
    [names.maxSessionMinutes]: String(SESSION_MINUTES),
    [names.allowUnauthenticatedUsers]: 'false',
    [names.allowedOrigins]: JSON.stringify([ORIGIN]),
  };
}

/** A Function URL / HTTP API (payload 2.0) POST with a JWT authorizer's `sub`. */
function functionUrlEvent(body: object) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'origin': ORIGIN, 'host': 'abc.lambda-url.us-east-1.on.aws' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc',
      domainName: 'abc.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abc',
      http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: 'bench',
      routeKey: '$default',
      stage: '$default',
      time: '22/Nov/2026:00:00:00 +0000',
      timeEpoch: 0,
      authorizer: { jwt: { claims: { sub: USER_ID }, scopes: [] } },
    },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

type Side = 'vendor' | 'sdk' | 'sdk2';
const SIDES: Side[] = ['vendor', 'sdk', 'sdk2'];
interface Block {
  readonly latencies: number[];
  readonly ms: number;
}

/** `count` requests, `concurrency` in flight, bounded by BLOCK_TIME_LIMIT_MS; per-request latencies. */
async function block(fn: () => Promise<void>, count: number, concurrency: number): Promise<Block> {
  const latencies: number[] = [];
  const start = now();
  let issued = 0;
  const worker = async () => {
    while (issued < count && now() - start < BLOCK_TIME_LIMIT_MS) {
      issued++;
      const t = now();
      await fn();
      latencies.push(now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, ms: now() - start };
}

/**
 * Sequential requests interleaved one by one across the sides (the order rotated every round), so that load from
 * elsewhere on the machine hits every side alike. Returns, per side, `groups` blocks of consecutive rounds whose
 * `ms` is the time spent serving that side (so blocks of the same index are paired in time).
 */
async function interleaved<S extends string>(fns: Record<S, () => Promise<void>>, rounds: number, groups: number): Promise<Record<S, Block[]>> {
  const names = Object.keys(fns) as S[];
  const out = Object.fromEntries(names.map((n) => [n, [] as Block[]])) as unknown as Record<S, Block[]>;
  const perGroup = Math.ceil(rounds / groups);
  const start = now();
  for (let r = 0; r < rounds && now() - start < BLOCK_TIME_LIMIT_MS * groups; r++) {
    if (r % perGroup === 0) for (const n of names) out[n].push({ latencies: [], ms: 0 });
    for (let k = 0; k < names.length; k++) {
      const n = names[(k + r) % names.length];
      const t = now();
      await fns[n]();
      const dt = now() - t;
      const b = out[n][out[n].length - 1] as { latencies: number[]; ms: number };
      b.latencies.push(dt);
      b.ms += dt;
    }
  }
  return out;
}

interface Rss {
  readonly baseline: number;
  readonly loaded: number;
  readonly end: number;
  readonly maxRss: number;
}

async function measureRss(args: string[], env: Record<string, string>, nodeArgs: string[] = []): Promise<Rss> {
  const child = spawn(process.execPath, [...nodeArgs, path.join(CHILDREN, 'token-rss.js'), ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('exit', (c) => { clearTimeout(timer); resolve(c); });
  });
  const line = stderr.split('\n').find((l) => l.startsWith('BENCH '));
  if (code !== 0 || !line) throw new Error(`token-rss ${args[0]} exited ${code}: ${stderr.trim().split('\n').slice(-2).join(' | ')}`);
  return JSON.parse(line.slice(6));
}

const concBlocksOf = (blocks: number) => blocks * 2;
const mb = (bytes: number) => fmt(bytes / 2 ** 20, 1);

export async function tokenVending(options: { blocks: number; requestsPerBlock: number }): Promise<Section> {
  const section = new Section('4. Token vending: vendor bundle (Function URL event) vs bare SDK CreateChatToken, one process');
  const note = ensureBundles();
  const file = bundlePath('token-vendor.lambda');
  if (!fs.existsSync(file)) throw new Error('assets/handlers/token-vendor.lambda/index.js does not exist');
  if (!fs.readFileSync(file, 'utf8').includes('CreateChatToken')) {
    throw new Error('the token-vendor bundle is still a stub (no CreateChatToken call)');
  }

  const standIn = await startStandIn();
  try {
    const room = standIn.seedRoom({ name: 'bench' });
    const vendorEnv = vendorEnvironment(room.arn);
    const vendor = loadFresh<VendorBundle>(file, { ...standIn.environment(), ...vendorEnv });
    const event = functionUrlEvent({ attributes: ATTRIBUTES, capabilities: CAPABILITIES, sessionDurationInMinutes: SESSION_MINUTES });
    // The bare SDK: one client, built like the vendor's (from the same environment), reused.
    const client = new IvschatClient({});
    // A second, identical bare-SDK side: the A/A difference is the noise floor of this run.
    const client2 = new IvschatClient({});
    const input = {
      roomIdentifier: room.arn, userId: USER_ID, capabilities: CAPABILITIES as any, sessionDurationInMinutes: SESSION_MINUTES, attributes: ATTRIBUTES,
    };

    let bad: string | undefined;
    const sides: Record<Side, () => Promise<void>> = {
      vendor: async () => {
        const res = await vendor.handler(event);
        if (res.statusCode !== 200 && bad === undefined) bad = `vendor answered ${res.statusCode}: ${res.body}`;
      },
      sdk: async () => {
        await client.send(new CreateChatTokenCommand(input));
      },
      sdk2: async () => {
        await client2.send(new CreateChatTokenCommand(input));
      },
    };

    const results = await quietly(async () => {
      // Warm-up: JIT, sockets, both paths.
      for (const side of SIDES) await block(sides[side], 300, 1);
      if (bad) throw new Error(bad);
      // 1 in flight: request by request across the three sides.
      const seq = await interleaved(sides, options.blocks * options.requestsPerBlock, options.blocks);
      // 8 in flight: short blocks, the order of the sides rotated block by block.
      const conc: Record<Side, Block[]> = { vendor: [], sdk: [], sdk2: [] };
      const concBlocks = concBlocksOf(options.blocks);
      for (let b = 0; b < concBlocks; b++) {
        const order = SIDES.map((_, k) => SIDES[(k + b) % SIDES.length]);
        for (const side of order) conc[side].push(await block(sides[side], Math.ceil(options.requestsPerBlock / 2), CONCURRENCY));
      }

      // The handler's own cost: the same two paths with the service call stubbed out (no network, no stand-in).
      const proto = IvschatClient.prototype as any;
      const realSend = proto.send;
      let stubbed: Record<'vendor' | 'sdk', Block[]>;
      const fakeAnswer = { token: 'stub-token', tokenExpirationTime: new Date(), sessionExpirationTime: new Date(), $metadata: {} };
      proto.send = function send() { return Promise.resolve(fakeAnswer); };
      try {
        for (const side of ['vendor', 'sdk'] as Side[]) await block(sides[side], 2000, 1);
        stubbed = await interleaved({ vendor: sides.vendor, sdk: sides.sdk }, options.blocks * options.requestsPerBlock * 4, options.blocks);
      } finally {
        proto.send = realSend;
      }
      return { seq, conc, stubbed: stubbed! };
    });
    if (bad) throw new Error(bad);
    const issued = standIn.issuedTokens().length;

    const all = (blocks: Block[]) => blocks.flatMap((x) => x.latencies);
    const rps = (blocks: Block[]) => sum(blocks.map((x) => x.latencies.length)) / (sum(blocks.map((x) => x.ms)) / 1000);
    // Paired figures: block b of one side against block b of the baseline (same moment of the run), median over b.
    const pairedRatio = (blocks: Block[], base: Block[]) =>
      median(blocks.map((x, b) => (x.latencies.length / x.ms) / (base[b].latencies.length / base[b].ms)));
    const pairedP50 = (blocks: Block[], base: Block[]) =>
      median(blocks.map((x, b) => median(x.latencies) - median(base[b].latencies)));
    const row = (label: string, side: Side | 'sdk', blocks: Block[], base: Block[], digits = 3) => {
      const lat = all(blocks);
      return [
        label,
        int(lat.length),
        int(rps(blocks)),
        side === 'sdk' ? '1.00x' : `${fmt(pairedRatio(blocks, base), 2)}x`,
        fmt(median(lat), digits),
        fmt(percentile(lat, 99), digits),
        side === 'sdk' ? '-' : fmt(pairedP50(blocks, base), digits),
      ];
    };
    const { seq, conc, stubbed } = results;
    section.table(['path', 'requests', 'req/s', 'throughput vs SDK (paired)', 'p50 ms', 'p99 ms', 'p50 overhead ms (paired)'], [
      row('bare SDK CreateChatTokenCommand, 1 in flight', 'sdk', seq.sdk, seq.sdk),
      row('A/A control: a second bare SDK client, 1 in flight', 'sdk2', seq.sdk2, seq.sdk),
      row('token-vendor handler (Function URL event), 1 in flight', 'vendor', seq.vendor, seq.sdk),
      row(`bare SDK, ${CONCURRENCY} in flight`, 'sdk', conc.sdk, conc.sdk),
      row(`A/A control: second bare SDK client, ${CONCURRENCY} in flight`, 'sdk2', conc.sdk2, conc.sdk),
      row(`token-vendor handler, ${CONCURRENCY} in flight`, 'vendor', conc.vendor, conc.sdk),
      row('service call stubbed: bare `client.send` (no network)', 'sdk', stubbed.sdk, stubbed.sdk, 4),
      row('service call stubbed: token-vendor handler logic only', 'vendor', stubbed.vendor, stubbed.sdk, 4),
    ]);

    // Peak RSS of a process serving tokens, vendor vs bare SDK.
    const childEnv: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ...standIn.environment(),
      ...vendorEnv,
      AWS_CONFIG_FILE: '/nonexistent/bench-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/bench-credentials',
      BENCH_EVENT: JSON.stringify(event),
      BENCH_TOKEN_INPUT: JSON.stringify(input),
      BENCH_REQUESTS: '2000',
    };
    const rssRows: string[][] = [];
    let vendorRss: Rss | undefined;
    const rssRuns: [string, string[], string[]][] = [
      ['token-vendor bundle', ['vendor', file], []],
      ['bare SDK', ['sdk'], []],
      ['token-vendor bundle, --max-old-space-size=96 (heap capped roughly as in a 128 MB function)', ['vendor', file], ['--max-old-space-size=96']],
    ];
    for (const [label, args, nodeArgs] of rssRuns) {
      try {
        const r = await measureRss(args, childEnv, nodeArgs);
        if (args[0] === 'vendor' && nodeArgs.length === 0) vendorRss = r;
        rssRows.push([label, mb(r.baseline), mb(r.loaded), mb(r.end), mb(r.maxRss)]);
      } catch (err) {
        rssRows.push([label, `not measured: ${(err as Error).message}`, '-', '-', '-']);
      }
    }
    section.table(['process serving 2,000 tokens (node, fresh)', 'RSS at start MB', 'after load MB', 'at end MB', 'peak RSS MB'], rssRows);

    const p50Overhead = pairedP50(seq.vendor, seq.sdk);
    const thrRatio = pairedRatio(seq.vendor, seq.sdk);
    const thrRatioConc = pairedRatio(conc.vendor, conc.sdk);
    const aaP50 = pairedP50(seq.sdk2, seq.sdk);
    const aaRatio = pairedRatio(seq.sdk2, seq.sdk);
    const logicUs = (median(all(stubbed.vendor)) - median(all(stubbed.sdk))) * 1000;
    section.targetTable([
      ['p50 overhead under 0.2 ms', `${fmt(p50Overhead, 3)} ms (A/A noise ${fmt(aaP50, 3)} ms; handler logic alone, send stubbed: ${fmt(logicUs, 1)} us)`,
        verdict(p50Overhead < 0.2)],
      // Lambda gives each execution environment one request at a time: 1 in flight is its throughput.
      ['throughput within 0.9x of the bare SDK (1 in flight = one Lambda execution environment)',
        `${fmt(thrRatio, 2)}x (A/A ${fmt(aaRatio, 2)}x); info: ${fmt(thrRatioConc, 2)}x at ${CONCURRENCY} in flight in one process ` +
        `(A/A ${fmt(pairedRatio(conc.sdk2, conc.sdk), 2)}x)`, verdict(thrRatio >= 0.9)],
      ['peak RSS (sizing)', vendorRss ? `${mb(vendorRss.maxRss)} MB` : 'not measured', vendorRss ? (vendorRss.maxRss < 128 * 2 ** 20 ? 'fits 128 MB' : 'needs > 128 MB') : '-'],
    ]);
    const spread = (blocks: Block[], base: Block[]) => {
      const r = blocks.map((x, b) => (x.latencies.length / x.ms) / (base[b].latencies.length / base[b].ms)).sort((a, b) => a - b);
      return `${fmt(r[0], 2)}-${fmt(r[r.length - 1], 2)}`;
    };
    section.bullets([
      `Per-block throughput ratios (min-max), 1 in flight: vendor/SDK ${spread(seq.vendor, seq.sdk)}, A/A ${spread(seq.sdk2, seq.sdk)}; ` +
        `${CONCURRENCY} in flight: vendor/SDK ${spread(conc.vendor, conc.sdk)}, A/A ${spread(conc.sdk2, conc.sdk)}.`,
      `1 in flight: ${int(options.blocks * options.requestsPerBlock)} requests per side, interleaved request by request (order rotated), ` +
        `paired in ${options.blocks} groups; ${CONCURRENCY} in flight: ${concBlocksOf(options.blocks)} rotated blocks of ${Math.ceil(options.requestsPerBlock / 2)} per side; ` +
        `stubbed: ${int(options.blocks * options.requestsPerBlock * 4)} interleaved per side; after 300 warm-up requests each; ${int(issued)} tokens issued by the stand-in, all vendor answers 200. ${note}.`,
      'Both sides call the stand-in on 127.0.0.1 in this process (its work is in both figures), with one SDK client built from the same ' +
        'environment (AWS_ENDPOINT_URL_IVSCHAT, dummy credentials). The vendor gets a Function URL event with a JWT `sub`, an allowed Origin and ' +
        'a body with attributes, capabilities and sessionDurationInMinutes; its config comes from CHAT_ROOM_ARNS, CHAT_CAPABILITIES, ' +
        'CHAT_MAX_SESSION_MINUTES, CHAT_ALLOW_UNAUTHENTICATED_USERS, CHAT_ALLOWED_ORIGINS. Its log line goes to /dev/null (formatted and written).',
      'Peak RSS is process.resourceUsage().maxRSS of a fresh node 20 process with the SDK from node_modules; Lambda adds its runtime client on top.',
    ]);
    log(`token vending: p50 overhead ${fmt(p50Overhead, 3)} ms, throughput ${fmt(thrRatio, 2)}x`);
  } finally {
    await standIn.stop();
  }
  return section;
}
