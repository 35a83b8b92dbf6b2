/**
 * Table 6 - join storm: N viewers ask the BUNDLED token vendor for a token at the same instant, against the
 * stand-in's CreateChatToken bucket (200 TPS, burst 200: the Service Quotas rate). The vendor waits out throttling
 * for its default wait, within a 10-second function's remaining time, then answers 429 with Retry-After; each
 * viewer honours Retry-After with jitter as the README's fetchChatToken does (waits Retry-After to twice that).
 * Reported: time until every viewer holds a token, as a ratio of N / 200 s (the quota's floor); 5xx answers;
 * 429s that reached viewers; CreateChatToken calls per viewer; peak in-flight invocations (the Lambda
 * concurrency the storm needs); time to token per viewer.
 */
import { bundlePath, ensureBundles } from './lib/bundles';
import { loadFresh, quietly } from './lib/load';
import { fmt, int, log, now, percentile, Section, verdict } from './lib/report';
import { startStandIn } from './lib/standin';

const TPS = 200;
/** The function's timeout (the construct's default), for the context's remaining time. */
const FUNCTION_TIMEOUT_MS = 10_000;
/** A viewer gives up after this many 429s (the README's snippet: 20 attempts). */
const MAX_ATTEMPTS = 20;

interface VendorBundle {
  handler(event: unknown, context?: { getRemainingTimeInMillis(): number }): Promise<{ statusCode: number; headers?: Record<string, string> }>;
}

type EnvNames = Record<'roomArns' | 'capabilities' | 'maxSessionMinutes' | 'allowUnauthenticatedUsers' | 'allowedOrigins', string>;

function envNames(): EnvNames {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../src/private/token-vendor-contract') as { TOKEN_VENDOR_ENV: EnvNames }).TOKEN_VENDOR_ENV;
}

/** An HTTP API (payload 2.0) POST whose JWT authorizer names viewer `i` (the authorizer path: no key fetches). */
function viewerEvent(i: number) {
  return {
    version: '2.0',
    routeKey: 'POST /chat-token',
    rawPath: '/chat-token',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: {
      http: { method: 'POST', path: '/chat-token', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      authorizer: { jwt: { claims: { sub: `viewer-${i}` }, scopes: [] } },
    },
    body: '{}',
    isBase64Encoded: false,
  };
}

interface StormResult {
  readonly viewers: number;
  readonly admitAllMs: number;
  readonly admitted: number;
  readonly fiveXx: number;
  readonly tooMany: number;
  readonly maxTooManyPerViewer: number;
  readonly serviceCalls: number;
  readonly peakInFlight: number;
  readonly timeToToken: number[];
}

async function storm(viewers: number, quota: boolean): Promise<StormResult> {
  const standIn = await startStandIn({ rateLimits: quota });
  try {
    const room = standIn.seedRoom({ name: 'storm' });
    const names = envNames();
    for (const name of Object.values(names)) delete process.env[name];
    const vendor = loadFresh<VendorBundle>(bundlePath('token-vendor/token-vendor.lambda'), {
      ...standIn.environment(),
      [names.roomArns]: JSON.stringify([room.arn]),
      [names.capabilities]: JSON.stringify(['SEND_MESSAGE']),
      [names.maxSessionMinutes]: '60',
      [names.allowUnauthenticatedUsers]: 'false',
      [names.allowedOrigins]: '[]',
    });
    let inFlight = 0;
    let peakInFlight = 0;
    let fiveXx = 0;
    let tooMany = 0;
    let maxTooManyPerViewer = 0;
    const timeToToken: number[] = [];
    // The bucket starts full, as it would after a quiet minute.
    standIn.setRateLimits(quota);
    const start = now();
    let lastAdmitted = start;

    const viewer = async (i: number) => {
      let refused = 0;
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const invokedAt = now();
        inFlight++;
        peakInFlight = Math.max(peakInFlight, inFlight);
        const response = await vendor.handler(viewerEvent(i), { getRemainingTimeInMillis: () => FUNCTION_TIMEOUT_MS - (now() - invokedAt) });
        inFlight--;
        if (response.statusCode === 200) {
          lastAdmitted = now();
          timeToToken.push(lastAdmitted - start);
          break;
        }
        if (response.statusCode >= 500) fiveXx++;
        if (response.statusCode !== 429) break;
        tooMany++;
        refused++;
        // As the README's snippet: Retry-After, jittered up to twice that, so a crowd spreads out.
        const seconds = Number(response.headers?.['Retry-After']) || 1;
        await new Promise((resolve) => setTimeout(resolve, (seconds + Math.random() * seconds) * 1000));
      }
      maxTooManyPerViewer = Math.max(maxTooManyPerViewer, refused);
    };
    await quietly(() => Promise.all(Array.from({ length: viewers }, (_, i) => viewer(i))));
    return {
      viewers,
      admitAllMs: lastAdmitted - start,
      admitted: timeToToken.length,
      fiveXx,
      tooMany,
      maxTooManyPerViewer,
      serviceCalls: standIn.calls('CreateChatToken').length,
      peakInFlight,
      timeToToken,
    };
  } finally {
    await standIn.stop();
  }
}

export async function joinStorm(options: { viewers: number[] }): Promise<Section> {
  ensureBundles();
  const results: Array<StormResult & { machineMs: number }> = [];
  for (const viewers of options.viewers) {
    // What this machine takes to serve N tokens with no quota: when it exceeds N / 200 s, the machine is the limit.
    log(`join storm: ${viewers} viewers, no quota`);
    const machineMs = (await storm(viewers, false)).admitAllMs;
    log(`join storm: ${viewers} viewers against ${TPS} TPS`);
    results.push({ ...(await storm(viewers, true)), machineMs });
  }
  const floorS = (n: number) => n / TPS;
  const section = new Section('6. Join storm');
  section.text(
    `N viewers at once against the stand-in's CreateChatToken bucket (${TPS} TPS, burst ${TPS}), through the bundled vendor ` +
    '(default 3 s throttle wait, 10 s function timeout) and clients that honour Retry-After with jitter (the README\'s snippet). ' +
    `The floor is N / ${TPS} s; the burst lets the first ${TPS} in at once, so a ratio a little under 1 is the best possible. ` +
    '"Same N, no quota" is this machine serving the same storm with no bucket: when it is above N / 200 s, the machine, not the quota, ' +
    'sets the pace. Lambda concurrency is not modelled: "peak in-flight" is what the storm would need.',
  );
  section.table(
    ['viewers', 'admitted', 'time to admit all (s)', `ratio to N / ${TPS} s`, 'same N, no quota (s)', '5xx', '429s to clients / viewer', 'max 429s one viewer',
      'CreateChatToken calls / viewer', 'peak in-flight invocations', 'time to token p50 / p99 (s)'],
    results.map((r) => [
      int(r.viewers), int(r.admitted), fmt(r.admitAllMs / 1000, 1), fmt(r.admitAllMs / 1000 / floorS(r.viewers), 2), fmt(r.machineMs / 1000, 1),
      int(r.fiveXx),
      fmt(r.tooMany / r.viewers, 2), int(r.maxTooManyPerViewer), fmt(r.serviceCalls / r.viewers, 1), int(r.peakInFlight),
      `${fmt(percentile(r.timeToToken, 50) / 1000, 1)} / ${fmt(percentile(r.timeToToken, 99) / 1000, 1)}`,
    ]),
  );
  section.targetTable(results.flatMap((r) => [
    [`${r.viewers} viewers: everyone admitted within 1.1 x N / ${TPS} s`, `${fmt(r.admitAllMs / 1000 / floorS(r.viewers), 2)} x, ${int(r.admitted)} admitted`,
      verdict(r.admitted === r.viewers && r.admitAllMs / 1000 <= 1.1 * floorS(r.viewers))],
    [`${r.viewers} viewers: no 5xx`, int(r.fiveXx), verdict(r.fiveXx === 0)],
  ]));
  return section;
}
