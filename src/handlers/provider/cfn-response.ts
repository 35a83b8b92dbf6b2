import * as http from 'node:http';
import * as https from 'node:https';
import type { CustomResourceEvent } from './lifecycle';

/** CloudFormation caps a custom resource's response at 4096 bytes. */
const MAX_RESPONSE_BYTES = 4096;

export interface CfnResponse {
  readonly status: 'SUCCESS' | 'FAILED';
  readonly physicalResourceId: string;
  readonly reason?: string;
  readonly data?: Record<string, string>;
}

/** The JSON body CloudFormation expects, with the reason cut so the whole stays under the cap. */
export function renderResponse(event: CustomResourceEvent, response: CfnResponse): string {
  const render = (reason: string) => JSON.stringify({
    Status: response.status,
    Reason: reason,
    PhysicalResourceId: response.physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: false,
    Data: response.data ?? {},
  });
  const reason = response.reason ?? '';
  const full = render(reason);
  if (Buffer.byteLength(full) <= MAX_RESPONSE_BYTES) return full;
  // JSON escaping and UTF-8 make bytes and characters differ: find the longest prefix, in whole
  // code points (never half a surrogate pair), whose rendering fits.
  const chars = Array.from(reason);
  const fits = (n: number) => Buffer.byteLength(render(chars.slice(0, n).join('') + '...')) <= MAX_RESPONSE_BYTES;
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  return render(chars.slice(0, low).join('') + '...');
}

/** How the PUT ended: taken by S3, refused by every attempt with an HTTP error (so nothing was stored), or not known. */
export type Delivery = 'delivered' | 'refused' | 'unknown';

/** Longest a single PUT attempt may take. */
const PUT_ATTEMPT_TIMEOUT_MS = 30_000;

/**
 * PUTs the response to the pre-signed ResponseURL, retrying a few times, all within `budgetMs` (each attempt and
 * pause is cut to what is left, so the PUT never outlives the invocation). Never throws: says how it ended.
 */
export async function sendResponse(event: CustomResourceEvent, response: CfnResponse, attempts = 4, budgetMs = Infinity): Promise<Delivery> {
  const body = renderResponse(event, response);
  const deadline = Date.now() + budgetMs;
  let everyAttemptRefused = true;
  for (let attempt = 1; ; attempt++) {
    const left = deadline - Date.now();
    try {
      await put(event.ResponseURL, body, Math.max(1, Math.min(PUT_ATTEMPT_TIMEOUT_MS, left)));
      return 'delivered';
    } catch (err) {
      // Only an HTTP error status is a refusal; a timeout or a dropped connection may have stored the answer.
      if (!(err instanceof HttpStatusError)) everyAttemptRefused = false;
      console.log(JSON.stringify({ responseAttempt: attempt, error: (err as Error).message }));
      const pause = 250 * 2 ** attempt;
      if (attempt >= attempts || deadline - Date.now() <= pause) return everyAttemptRefused ? 'refused' : 'unknown';
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/** The ResponseURL answered with an HTTP error status: S3 did not store the answer. */
class HttpStatusError extends Error {}

function put(url: string, body: string, timeoutMs: number): Promise<void> {
  const target = new URL(url);
  const transport = target.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const request = transport.request(target, {
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
      timeout: timeoutMs,
    }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode && res.statusCode < 300
        ? resolve()
        : reject(new HttpStatusError(`ResponseURL answered HTTP ${res.statusCode}`))));
    });
    request.on('timeout', () => request.destroy(new Error('ResponseURL timed out')));
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Why the provider will not answer to `url`, or undefined when it will: only https to CloudFormation's response
 * bucket of the provider's own region (`cloudformation-custom-resource-response-<region without dashes>`, AWS's
 * VPC endpoint page), virtual-hosted or path-style. `testPrefix` (tests only; the construct never sets it) is
 * accepted too.
 */
export function refusedResponseUrl(url: string, region: string | undefined, testPrefix: string | undefined): string | undefined {
  if (testPrefix && url.startsWith(testPrefix)) return undefined;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return 'the ResponseURL is not a URL';
  }
  const bucket = `cloudformation-custom-resource-response-${region ? region.replace(/-/g, '') : '[a-z0-9]+'}`;
  const s3Host = '(s3|s3[.-][a-z0-9-]+|s3\\.dualstack\\.[a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?';
  const virtualHosted = new RegExp(`^${bucket}\\.${s3Host}$`);
  const pathStyle = new RegExp(`^${s3Host}$`);
  const ok = target.protocol === 'https:' && !target.username && !target.password && (target.port === '' || target.port === '443') &&
    (virtualHosted.test(target.hostname) || (pathStyle.test(target.hostname) && new RegExp(`^/${bucket}/`).test(target.pathname)));
  return ok ? undefined : `the ResponseURL (host ${JSON.stringify(target.hostname)}, ${target.protocol}) is not CloudFormation's ` +
    `response bucket for ${region ?? 'this region'} over https`;
}
