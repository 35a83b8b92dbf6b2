// The Lambda runtime provides the SDK v3 and the bundle leaves it external: a dev dependency is right here.
// eslint-disable-next-line import/no-extraneous-dependencies
import { IvschatClient } from '@aws-sdk/client-ivschat';
import { ChatTokenResult, configFromEnvironment, handleEvent, HttpResponse, InvocationContext, TokenVendorConfig } from './token-vendor';

// Made once per container, on first use: standard SDK settings apply (AWS_ENDPOINT_URL_IVSCHAT).
let client: IvschatClient | undefined;
let config: TokenVendorConfig | undefined;

/** Lambda entry of the chat token vendor; the logic is in `./token-vendor`. */
export async function handler(event: unknown, context?: InvocationContext): Promise<HttpResponse | ChatTokenResult> {
  // One attempt per send: the vendor's own loop retries throttling and server faults within its time budget.
  client ??= new IvschatClient({ maxAttempts: 1 });
  config ??= configFromEnvironment(process.env);
  return handleEvent(client, config, event, context);
}
