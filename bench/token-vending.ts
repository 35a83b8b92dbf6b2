/**
 * Table 4 - token vending: requests per second and p50 / p99 latency of the token-vendor bundle serving a
 * Function URL (HTTP API v2) event against the stand-in, vs the bare SDK CreateChatTokenCommand, in one process,
 * after warm-up, in interleaved blocks; the same for the identities the vendor verifies itself (a Cognito bearer
 * token, an ALB's x-amzn-oidc-data) with a warm key cache; the handler's own cost with the service call stubbed;
 * the bundle's size and cold path with and without aws-jwt-verify; peak RSS of a process serving tokens.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateChatTokenCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import { buildVendorWithoutJwtVerify, bundlePath, ensureBundles, sizeOf } from './lib/bundles';
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
const USER_POOL_CLIENT = 'benchclient1';
const COLD_RUNS = 7;

interface VendorBundle {
  handler(event: unknown): Promise<{ statusCode?: number; body?: string } & Record<string, unknown>>;
}

type EnvNames = Record<'roomArns' | 'capabilities' | 'maxSessionMinutes' | 'allowUnauthenticatedUsers' | 'allowedOrigins' | 'clientAttributes'
  | 'userPoolId' | 'userPoolClientIds' | 'userPoolJwksUri' | 'loadBalancerArn' | 'loadBalancerKeysUri', string>;

/** The token vendor's environment names, from src/private/token-vendor-contract.ts (set by the construct). */
function envNames(): EnvNames {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../src/private/token-vendor-contract') as { TOKEN_VENDOR_ENV: EnvNames }).TOKEN_VENDOR_ENV;
}

/** The token vendor's environment: one room, the bench's capabilities, origin and client attribute keys. */
function vendorEnvironment(roomArn: string): Record<string, string> {
  const names = envNames();
  return {
    [names.roomArns]: JSON.stringify([roomArn]),
    [names.capabilities]: JSON.stringify(CAPABILITIES),
    [names.maxSessionMinutes]: String(SESSION_MINUTES),
    [names.allowUnauthenticatedUsers]: 'false',
    [names.allowedOrigins]: JSON.stringify([ORIGIN]),
    [names.clientAttributes]: JSON.stringify(Object.keys(ATTRIBUTES)),
  };
}

/**
 * A fresh container of the vendor with exactly `env` among the vendor's settings, primed with one request so its
 * configuration is read now (the bundle reads the environment on first use, and containers here share it).
 */
async function loadVendor(file: string, env: Record<string, string>, prime: object): Promise<VendorBundle> {
  for (const name of Object.values(envNames())) delete process.env[name];
  const vendor = loadFresh<VendorBundle>(file, env);
  const res = await quietly(() => vendor.handler(prime));
  if (res.statusCode !== 200) throw new Error(`vendor answered ${res.statusCode}: ${res.body}`);
  return vendor;
}

/** A Function URL / HTTP API (payload 2.0) POST with a JWT authorizer's `sub`, or with no authorizer and `headers`. */
function functionUrlEvent(body: object, options: { authorizer?: boolean; headers?: Record<string, string> } = {}) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'origin': ORIGIN, 'host': 'abc.lambda-url.us-east-1.on.aws', ...options.headers },
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
      ...(options.authorizer === false ? {} : { authorizer: { jwt: { claims: { sub: USER_ID }, scopes: [] } } }),
    },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

/** An ALB (multi-value headers off) POST carrying the load balancer's signed sign-in data. */
function albEvent(body: object, oidcData: string) {
  return {
    requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/chat/73e2d6bc24d8a067' } },
    httpMethod: 'POST',
    path: '/token',
    queryStringParameters: {},
    headers: { 'content-type': 'application/json', 'origin': ORIGIN, 'x-amzn-oidc-data': oidcData, 'x-amzn-oidc-identity': USER_ID },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

type Side = 'vendor' | 'bearer' | 'alb' | 'sdk' | 'sdk2';
/** Sides of the 8-in-flight run (the authorizer path only). */
const SIDES: Side[] = ['vendor', 'sdk', 'sdk2'];
/** Sides of the 1-in-flight and stubbed runs. */
const SEQ_SIDES: Side[] = ['vendor', 'bearer', 'alb', 'sdk', 'sdk2'];
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

/** Runs a child script in a fresh node process and returns the JSON it reports on its `BENCH ` stderr line. */
async function runChild<T>(
  script: string, args: string[], env: Record<string, string>, options: { nodeArgs?: string[]; timeoutMs: number },
): Promise<T> {
  const child = spawn(process.execPath, [...options.nodeArgs ?? [], path.join(CHILDREN, script), ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill(), options.timeoutMs);
    child.on('exit', (c) => { clearTimeout(timer); resolve(c); });
  });
  const line = stderr.split('\n').find((l) => l.startsWith('BENCH '));
  if (code !== 0 || !line) throw new Error(`${script} ${args[0]} exited ${code}: ${stderr.trim().split('\n').slice(-2).join(' | ')}`);
  return JSON.parse(line.slice(6));
}

const measureRss = (args: string[], env: Record<string, string>, nodeArgs: string[] = []) =>
  runChild<Rss>('token-rss.js', args, env, { nodeArgs, timeoutMs: 60_000 });

/** One fresh process: require the bundle, answer BENCH_EVENT, report the phase times (ms since process start). */
const coldRun = (bundle: string, env: Record<string, string>) =>
  runChild<{ started: number; loaded: number; done: number }>('token-cold.js', [bundle], env, { timeoutMs: 30_000 });

const concBlocksOf = (blocks: number) => blocks * 2;
const mb = (bytes: number) => fmt(bytes / 2 ** 20, 1);

export async function tokenVending(options: { blocks: number; requestsPerBlock: number }): Promise<Section> {
  const section = new Section('4. Token vending: vendor bundle (Function URL event) vs bare SDK CreateChatToken, one process');
  const note = ensureBundles();
  const file = bundlePath('token-vendor/token-vendor.lambda');
  if (!fs.existsSync(file)) throw new Error('assets/handlers/token-vendor/token-vendor.lambda/index.js does not exist');
  if (!fs.readFileSync(file, 'utf8').includes('CreateChatToken')) {
    throw new Error('the token-vendor bundle is still a stub (no CreateChatToken call)');
  }

  const standIn = await startStandIn();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const keysModule = require('../test/lifecycle/token-keys') as typeof import('../test/lifecycle/token-keys');
  const pool = new keysModule.TestUserPool();
  const loadBalancer = new keysModule.TestLoadBalancer();
  const keys = await keysModule.KeyServer.start(pool, loadBalancer);
  try {
    const room = standIn.seedRoom({ name: 'bench' });
    const names = envNames();
    const vendorEnv = vendorEnvironment(room.arn);
    const bearerEnv = {
      ...vendorEnv,
      [names.userPoolId]: keysModule.USER_POOL_ID,
      [names.userPoolClientIds]: JSON.stringify([USER_POOL_CLIENT]),
      [names.userPoolJwksUri]: keys.userPoolJwksUri,
    };
    const albEnv = { ...vendorEnv, [names.loadBalancerArn]: keysModule.LOAD_BALANCER_ARN, [names.loadBalancerKeysUri]: keys.loadBalancerKeysUri };
    const body = { attributes: ATTRIBUTES, capabilities: CAPABILITIES, sessionDurationInMinutes: SESSION_MINUTES };
    const event = functionUrlEvent(body);
    const bearerEvent = functionUrlEvent(body, {
      authorizer: false, headers: { authorization: `Bearer ${pool.idToken(USER_POOL_CLIENT, { sub: USER_ID }, { expiresIn: 4 * 3600 })}` },
    });
    const albEventWithData = albEvent(body, loadBalancer.oidcData({ sub: USER_ID }, { expiresIn: 4 * 3600 }));
    const vendor = await loadVendor(file, { ...standIn.environment(), ...vendorEnv }, event);
    // The first request of each fetched its keys from the local HTTPS server: the rest use the warm cache.
    const bearerVendor = await loadVendor(file, { ...standIn.environment(), ...bearerEnv }, bearerEvent);
    const albVendor = await loadVendor(file, { ...standIn.environment(), ...albEnv }, albEventWithData);
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
      bearer: async () => {
        const res = await bearerVendor.handler(bearerEvent);
        if (res.statusCode !== 200 && bad === undefined) bad = `vendor (bearer) answered ${res.statusCode}: ${res.body}`;
      },
      alb: async () => {
        const res = await albVendor.handler(albEventWithData);
        if (res.statusCode !== 200 && bad === undefined) bad = `vendor (ALB) answered ${res.statusCode}: ${res.body}`;
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
      for (const side of SEQ_SIDES) await block(sides[side], 300, 1);
      if (bad) throw new Error(bad);
      // 1 in flight: request by request across the five sides.
      const seq = await interleaved(sides, options.blocks * options.requestsPerBlock, options.blocks);
      // 8 in flight: short blocks, the order of the sides rotated block by block.
      const conc: Record<Side, Block[]> = { vendor: [], bearer: [], alb: [], sdk: [], sdk2: [] };
      const concBlocks = concBlocksOf(options.blocks);
      for (let b = 0; b < concBlocks; b++) {
        const order = SIDES.map((_, k) => SIDES[(k + b) % SIDES.length]);
        for (const side of order) conc[side].push(await block(sides[side], Math.ceil(options.requestsPerBlock / 2), CONCURRENCY));
      }

      // The handler's own cost: the same two paths with the service call stubbed out (no network, no stand-in).
      const proto = IvschatClient.prototype as any;
      const realSend = proto.send;
      let stubbed: Record<'vendor' | 'bearer' | 'alb' | 'sdk', Block[]>;
      const fakeAnswer = { token: 'stub-token', tokenExpirationTime: new Date(), sessionExpirationTime: new Date(), $metadata: {} };
      proto.send = function send() { return Promise.resolve(fakeAnswer); };
      try {
        for (const side of ['vendor', 'bearer', 'alb', 'sdk'] as Side[]) await block(sides[side], 2000, 1);
        stubbed = await interleaved({ vendor: sides.vendor, bearer: sides.bearer, alb: sides.alb, sdk: sides.sdk },
          options.blocks * options.requestsPerBlock * 4, options.blocks);
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
      row('token-vendor handler (Function URL event, authorizer identity), 1 in flight', 'vendor', seq.vendor, seq.sdk),
      row('token-vendor handler, self-verified Cognito bearer token (warm key cache), 1 in flight', 'bearer', seq.bearer, seq.sdk),
      row('token-vendor handler, ALB x-amzn-oidc-data verified (warm key cache), 1 in flight', 'alb', seq.alb, seq.sdk),
      row(`bare SDK, ${CONCURRENCY} in flight`, 'sdk', conc.sdk, conc.sdk),
      row(`A/A control: second bare SDK client, ${CONCURRENCY} in flight`, 'sdk2', conc.sdk2, conc.sdk),
      row(`token-vendor handler, ${CONCURRENCY} in flight`, 'vendor', conc.vendor, conc.sdk),
      row('service call stubbed: bare `client.send` (no network)', 'sdk', stubbed.sdk, stubbed.sdk, 4),
      row('service call stubbed: token-vendor handler logic only', 'vendor', stubbed.vendor, stubbed.sdk, 4),
      row('service call stubbed: handler logic + bearer token verification', 'bearer', stubbed.bearer, stubbed.sdk, 4),
      row('service call stubbed: handler logic + ALB sign-in verification', 'alb', stubbed.alb, stubbed.sdk, 4),
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

    // The bundle with and without aws-jwt-verify: size, and the cold path of a fresh process (require + first answer).
    const certFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ivs-chat-bench-ca-')), 'ca.pem');
    fs.writeFileSync(certFile, keys.certificate);
    const coldEnv = (env: Record<string, string>, coldEvent: object): Record<string, string> => ({
      ...childEnv,
      ...env,
      BENCH_EVENT: JSON.stringify(coldEvent),
      NODE_EXTRA_CA_CERTS: certFile,
      // The stub build lives in a temporary directory: it finds the SDK (external, as in Lambda) here.
      NODE_PATH: path.join(__dirname, '..', 'node_modules'),
    });
    let without: string | undefined;
    let withoutError: string | undefined;
    try {
      without = await buildVendorWithoutJwtVerify();
    } catch (err) {
      withoutError = (err as Error).message.split('\n')[0];
    }
    const coldRuns: [string, string | undefined, Record<string, string>][] = [
      ['shipped (aws-jwt-verify bundled), authorizer identity', file, coldEnv(vendorEnv, event)],
      ['without aws-jwt-verify (stub build), authorizer identity', without, coldEnv(vendorEnv, event)],
      ['shipped, self-verified bearer token: first request fetches the JWKS (local HTTPS)', file, coldEnv(bearerEnv, bearerEvent)],
      ['shipped, ALB x-amzn-oidc-data: first request fetches the key (local HTTPS)', file, coldEnv(albEnv, albEventWithData)],
    ];
    const coldRows: string[][] = [];
    const coldMedians: Record<string, number> = {};
    for (const [label, bundle, env] of coldRuns) {
      if (!bundle) {
        coldRows.push([label, `not measured: ${withoutError}`, '-', '-', '-']);
        continue;
      }
      const size = sizeOf(bundle);
      const loads: number[] = [];
      const dones: number[] = [];
      try {
        for (let i = 0; i < COLD_RUNS; i++) {
          const r = await coldRun(bundle, env);
          loads.push(r.loaded - r.started);
          dones.push(r.done - r.started);
        }
        coldMedians[label] = median(dones);
        coldRows.push([label, `${int(size.bytes)} (${int(size.gzip)} gzip)`, fmt(median(loads)), fmt(median(dones)), fmt(percentile(dones, 100))]);
      } catch (err) {
        coldRows.push([label, `${int(size.bytes)} (${int(size.gzip)} gzip)`, `not measured: ${(err as Error).message}`, '-', '-']);
      }
    }
    section.table([`bundle, fresh node process (median of ${COLD_RUNS})`, 'bytes', 'require ms', 'require + first answer ms', 'max ms'], coldRows);

    const p50Overhead = pairedP50(seq.vendor, seq.sdk);
    const thrRatio = pairedRatio(seq.vendor, seq.sdk);
    const thrRatioConc = pairedRatio(conc.vendor, conc.sdk);
    const aaP50 = pairedP50(seq.sdk2, seq.sdk);
    const aaRatio = pairedRatio(seq.sdk2, seq.sdk);
    const logicUs = (median(all(stubbed.vendor)) - median(all(stubbed.sdk))) * 1000;
    const bearerP50 = pairedP50(seq.bearer, seq.sdk);
    const albP50 = pairedP50(seq.alb, seq.sdk);
    const verifyUs = (side: 'bearer' | 'alb') => (median(all(stubbed[side])) - median(all(stubbed.vendor))) * 1000;
    section.targetTable([
      ['p50 overhead under 0.2 ms', `${fmt(p50Overhead, 3)} ms (A/A noise ${fmt(aaP50, 3)} ms; handler logic alone, send stubbed: ${fmt(logicUs, 1)} us)`,
        verdict(p50Overhead < 0.2)],
      // Lambda gives each execution environment one request at a time: 1 in flight is its throughput.
      ['throughput within 0.9x of the bare SDK (1 in flight = one Lambda execution environment)',
        `${fmt(thrRatio, 2)}x (A/A ${fmt(aaRatio, 2)}x); info: ${fmt(thrRatioConc, 2)}x at ${CONCURRENCY} in flight in one process ` +
        `(A/A ${fmt(pairedRatio(conc.sdk2, conc.sdk), 2)}x)`, verdict(thrRatio >= 0.9)],
      ['self-verified bearer token: p50 overhead under 1 ms (warm key cache)',
        `${fmt(bearerP50, 3)} ms (verification alone, send stubbed: ${fmt(verifyUs('bearer'), 1)} us)`, verdict(bearerP50 < 1)],
      ['ALB x-amzn-oidc-data: p50 overhead under 1 ms (warm key cache)',
        `${fmt(albP50, 3)} ms (verification alone, send stubbed: ${fmt(verifyUs('alb'), 1)} us)`, verdict(albP50 < 1)],
      ['what bundling aws-jwt-verify costs (info)', (() => {
        const a = coldMedians['shipped (aws-jwt-verify bundled), authorizer identity'];
        const b = coldMedians['without aws-jwt-verify (stub build), authorizer identity'];
        const bytes = without ? sizeOf(file).bytes - sizeOf(without).bytes : undefined;
        return a !== undefined && b !== undefined && bytes !== undefined
          ? `+${int(bytes)} bytes; cold path ${fmt(b)} -> ${fmt(a)} ms (require + first answer, median)`
          : 'not measured';
      })(), 'info'],
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
        'a body with attributes, capabilities and sessionDurationInMinutes; its config comes from the environment names of ' +
        'src/private/token-vendor-contract.ts (one room, SEND_MESSAGE, 60 min, the origin, `displayName` as client attribute). ' +
        'The bearer side gets the same request with `Authorization: Bearer <Cognito id token>` and no authorizer, verified against ' +
        'a user pool (CHAT_USER_POOL_ID, one client); the ALB side an ALB event with x-amzn-oidc-data (ES256) verified against ' +
        'the load balancer (CHAT_LOAD_BALANCER_ARN). Test keys are served by a local HTTPS server (CHAT_USER_POOL_JWKS_URI, ' +
        'CHAT_LOAD_BALANCER_KEYS_URI); each container fetched them once, before measuring. Log lines go to /dev/null (formatted and written).',
      'Peak RSS is process.resourceUsage().maxRSS of a fresh node 20 process with the SDK from node_modules; Lambda adds its runtime client on top.',
    ]);
    log(`token vending: p50 overhead ${fmt(p50Overhead, 3)} ms, throughput ${fmt(thrRatio, 2)}x`);
  } finally {
    await keys.stop();
    await standIn.stop();
  }
  return section;
}
