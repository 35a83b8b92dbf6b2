import * as http from 'node:http';
import * as https from 'node:https';
import type { CustomResourceEvent } from './common';

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
  const body = {
    Status: response.status,
    Reason: response.reason ?? '',
    PhysicalResourceId: response.physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: false,
    Data: response.data ?? {},
  };
  let json = JSON.stringify(body);
  const excess = Buffer.byteLength(json) - MAX_RESPONSE_BYTES;
  if (excess > 0) {
    body.Reason = body.Reason.slice(0, Math.max(0, body.Reason.length - excess - 3)) + '...';
    json = JSON.stringify(body);
  }
  return json;
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
