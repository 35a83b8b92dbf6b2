/**
 * Table 2 - provider bundle and cold start: bundle sizes, and the wall time from spawning a fresh node process
 * to the CloudFormation response PUT arriving, for the shipped provider bundle vs a minimal script making the
 * same CreateRoom call with the bare SDK. Both talk to the local IVS Chat stand-in.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundlePath, buildVariant, ensureBundles, sizeOf, Size } from './lib/bundles';
import { fmt, int, log, median, now, percentile, ratio, Section, verdict } from './lib/report';
import { ResponseSink } from './lib/sink';
import { startStandIn } from './lib/standin';

const CHILDREN = path.join(__dirname, 'children');
const BUNDLE_TARGET_BYTES = 50 * 1024;

interface Variant {
  readonly key: string;
  readonly label: string;
  readonly script: string;
  readonly args: string[];
  readonly size?: Size;
}

interface Run {
  readonly toPut: number;
  readonly toExit: number;
  /** ms since the child's process start, as the child measured it. */
  readonly started: number;
  readonly loaded: number;
  readonly done: number;
  readonly body: string;
}

function createEvent(responseUrl: string, i: number) {
  return {
    RequestType: 'Create',
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:bench',
    ResponseURL: responseUrl,
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/bench/00000000-0000-0000-0000-000000000000',
    RequestId: `bench-${i}`,
    LogicalResourceId: `Room${i}`,
    ResourceType: 'Custom::IvsChatRoom',
    ResourceProperties: {
      ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:bench',
      ServiceTimeout: '660',
      Name: `cold-${i}`,
      MaximumMessageLength: '200',
      MaximumMessageRatePerSecond: '5',
      Tags: { team: 'chat' },
    },
  };
}

/** What CloudFormation records: the provider reads it back after its Create (issue 19); one run at a time. */
let cloudFormation: import('../src/testing').CloudFormationStandIn | undefined;

async function runOnce(variant: Variant, sink: ResponseSink, env: Record<string, string>, i: number): Promise<Run> {
  const { url, arrival: put } = sink.next();
  const event = createEvent(url, i);
  cloudFormation?.reset();
  cloudFormation?.requestSent(event as Parameters<NonNullable<typeof cloudFormation>['requestSent']>[0]);
  // CloudFormation reads the answer as it arrives, before the provider asks what it recorded
  const arrival = put.then((a) => {
    cloudFormation?.receiveAnswer(a.body);
    return a;
  });
  const childEnv = { ...env, BENCH_EVENT: JSON.stringify(event) };
  const t0 = now();
  const child = spawn(process.execPath, [path.join(CHILDREN, variant.script), ...variant.args], {
    env: childEnv, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      const at = now();
      if (code !== 0) reject(new Error(`${variant.key} child exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
      else resolve(at);
    });
  });
  const timeout = new Promise<never>((_, reject) => setTimeout(() => {
    child.kill();
    reject(new Error(`${variant.key} child did not answer within 30 s`));
  }, 30_000).unref());
  const [got, exitAt] = await Promise.race([Promise.all([arrival, exited]), timeout]);
  const line = stderr.split('\n').find((l) => l.startsWith('BENCH '));
  const phases = line ? JSON.parse(line.slice(6)) : { started: NaN, loaded: NaN, done: NaN };
  return { toPut: got.at - t0, toExit: exitAt - t0, ...phases, body: got.body };
}

export async function coldStart(options: { runs: number }): Promise<Section> {
  const section = new Section('2. Provider bundle and cold start (fresh node process, local stand-in)');
  const note = ensureBundles();
  const provider = bundlePath('provider/provider.lambda');
  const tokenVendor = bundlePath('token-vendor/token-vendor.lambda');

  // Sizes of the shipped bundles, and of the provider with the SDK bundled in for comparison.
  const sizeRows: string[][] = [];
  const providerSize = sizeOf(provider);
  sizeRows.push(['assets/handlers/provider/provider.lambda/index.js (shipped; @aws-sdk/* from the runtime)', int(providerSize.bytes),
    int(providerSize.gzip), verdict(providerSize.bytes < BUNDLE_TARGET_BYTES)]);
  if (fs.existsSync(tokenVendor)) {
    const s = sizeOf(tokenVendor);
    const stub = !fs.readFileSync(tokenVendor, 'utf8').includes('CreateChatToken');
    sizeRows.push([`assets/handlers/token-vendor/token-vendor.lambda/index.js (shipped)${stub ? ' - still a stub, no CreateChatToken' : ''}`,
      int(s.bytes), int(s.gzip), stub ? '-' : verdict(s.bytes < BUNDLE_TARGET_BYTES)]);
  } else {
    sizeRows.push(['assets/handlers/token-vendor/token-vendor.lambda/index.js', 'not measured: no bundle', '-', '-']);
  }
  let sdkBundled: string | undefined;
  let sdkBundledSize: Size | undefined;
  try {
    sdkBundled = buildVariant('src/handlers/provider/provider.lambda.ts', { external: [], minify: true });
    sdkBundledSize = sizeOf(sdkBundled);
    sizeRows.push(['comparison: provider with @aws-sdk/client-ivschat bundled in (esbuild, minified)',
      int(sdkBundledSize.bytes), int(sdkBundledSize.gzip), '-']);
  } catch (err) {
    sizeRows.push(['comparison: provider with the SDK bundled in', `not measured: ${(err as Error).message.split('\n')[0]}`, '-', '-']);
  }
  section.table(['bundle', 'bytes', 'gzip -9 bytes', `target < ${int(BUNDLE_TARGET_BYTES)} B`], sizeRows);

  const standIn = await startStandIn();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  cloudFormation = await (require('../src/testing') as typeof import('../src/testing')).CloudFormationStandIn.start();
  const sink = await ResponseSink.start();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    ...standIn.environment(),
    ...cloudFormation.environment(),
    CDK_IVS_CHAT_TEST_RESPONSE_URL_PREFIX: 'http://127.0.0.1:',
    // No shared config files, as in Lambda.
    AWS_CONFIG_FILE: '/nonexistent/bench-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/bench-credentials',
  };
  const variants: Variant[] = [
    { key: 'sdk', label: 'bare SDK: fresh IvschatClient + CreateRoomCommand + PUT', script: 'sdk-cold.js', args: [] },
    { key: 'provider', label: 'provider bundle: require + handler(Create) + PUT', script: 'provider-cold.js', args: [provider], size: providerSize },
    ...(sdkBundled ? [{
      key: 'provider-sdk-bundled',
      label: 'comparison: provider with the SDK bundled in',
      script: 'provider-cold.js',
      args: [sdkBundled],
      size: sdkBundledSize,
    }] : []),
    { key: 'empty', label: 'reference: empty node process + PUT', script: 'empty.js', args: [] },
  ];
  const runs = new Map<string, Run[]>(variants.map((v) => [v.key, []]));
  try {
    // One discarded warm-up of each (file cache), then interleaved runs, rotating the order.
    for (const v of variants) await runOnce(v, sink, env, 0);
    for (let i = 0; i < options.runs; i++) {
      const order = variants.map((_, k) => variants[(k + i) % variants.length]);
      for (const v of order) runs.get(v.key)!.push(await runOnce(v, sink, env, i + 1));
    }
  } finally {
    await sink.stop();
    await cloudFormation.stop();
  }
  const creates = standIn.calls('CreateRoom').length;
  const allCalls = standIn.calls().length;
  await standIn.stop();

  const providerRuns = runs.get('provider')!;
  const failed = providerRuns.filter((r) => !r.body.includes('"SUCCESS"'));
  const sdkPut = median(runs.get('sdk')!.map((r) => r.toPut));
  const rows = variants.map((v) => {
    const r = runs.get(v.key)!;
    const put = r.map((x) => x.toPut);
    return [
      v.label,
      `${fmt(median(put))} (${fmt(percentile(put, 10))}-${fmt(percentile(put, 90))})`,
      v.key === 'sdk' ? '1.00x' : ratio(median(put), sdkPut),
      v.key === 'sdk' ? '0' : fmt(median(put) - sdkPut),
      fmt(median(r.map((x) => x.toExit))),
      fmt(median(r.map((x) => x.started))),
      fmt(median(r.map((x) => x.loaded - x.started))),
      fmt(median(r.map((x) => x.done - x.loaded))),
    ];
  });
  section.table(['fresh process', 'spawn -> PUT ms, median (p10-p90)', 'vs bare SDK', '+ms', 'spawn -> exit ms',
    'node boot ms (in child)', 'require ms', 'first event ms (call + PUT)'], rows);

  const coldRatio = median(providerRuns.map((r) => r.toPut)) / sdkPut;
  section.targetTable([
    ['provider bundle under 50 KB with the SDK from the Lambda runtime', `${int(providerSize.bytes)} B (${int(providerSize.gzip)} B gzip)`,
      verdict(providerSize.bytes < BUNDLE_TARGET_BYTES)],
    ['cold path within 1.2x of the bare SDK call', `${fmt(coldRatio, 2)}x (${fmt(median(providerRuns.map((r) => r.toPut)) - sdkPut)} ms)`,
      verdict(coldRatio <= 1.2 && failed.length === 0)],
  ]);
  section.bullets([
    `${options.runs} interleaved runs per row after one discarded warm-up each; ${note}.`,
    `Stand-in saw ${creates} CreateRoom of ${allCalls} calls (${2 * (options.runs + 1) + (sdkBundled ? options.runs + 1 : 0)} expected); ` +
      `${failed.length === 0 ? 'every provider run reported SUCCESS' : `${failed.length} provider runs did not report SUCCESS: ${failed[0].body}`}.`,
    'Env: AWS_ENDPOINT_URL_IVSCHAT=stand-in, dummy AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_REGION, no shared config files. ' +
      'The SDK comes from node_modules (in Lambda: from the runtime). Phase columns are the child\'s own performance.now().',
  ]);
  log(`cold start: provider ${fmt(median(providerRuns.map((r) => r.toPut)))} ms vs bare SDK ${fmt(sdkPut)} ms`);
  return section;
}
