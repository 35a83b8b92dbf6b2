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

/** PUTs the response to the pre-signed ResponseURL, retrying a few times on network errors. */
export async function sendResponse(event: CustomResourceEvent, response: CfnResponse, attempts = 4): Promise<void> {
  const body = renderResponse(event, response);
  for (let attempt = 1; ; attempt++) {
    try {
      await put(event.ResponseURL, body);
      return;
    } catch (err) {
      if (attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
    }
  }
}

function put(url: string, body: string): Promise<void> {
  const target = new URL(url);
  const transport = target.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const request = transport.request(target, {
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
      timeout: 30_000,
    }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode && res.statusCode < 300
        ? resolve()
        : reject(new Error(`ResponseURL answered HTTP ${res.statusCode}`))));
    });
    request.on('timeout', () => request.destroy(new Error('ResponseURL timed out')));
    request.on('error', reject);
    request.end(body);
  });
}
