// The MessageReviewFunction's handler: reads its configuration file once per instance, reviews each message in
// well under a millisecond, never throws, logs no message text, and counts each outcome as a metric (EMF).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Decision, errorDecision, ReviewEvent, ReviewResponse, Reviewer } from './review';
import { REVIEW_CONFIG_FILE, REVIEW_ENV, REVIEW_METRICS, ReviewConfig } from '../../private/message-review-contract';

let reviewer: Reviewer | undefined;
let loadError: string | undefined;
try {
  reviewer = new Reviewer(JSON.parse(readFileSync(join(__dirname, REVIEW_CONFIG_FILE), 'utf8')) as ReviewConfig);
} catch (err) {
  loadError = describe(err);
}

export async function handler(event: ReviewEvent): Promise<ReviewResponse> {
  let decision: Decision;
  try {
    if (!reviewer) throw new Error(`configuration not loaded: ${loadError}`);
    decision = reviewer.review(event);
  } catch (err) {
    decision = errorDecision(event, process.env[REVIEW_ENV.onError]);
    log({ level: 'ERROR', message: 'review failed; answered the error answer', error: describe(err), messageId: idOf(event) });
  }
  publish(decision.outcome);
  return decision.response;
}

/** One embedded-metric-format line: CloudWatch turns it into the four counters, no API call on the way. */
function publish(outcome: Decision['outcome']): void {
  const m = REVIEW_METRICS;
  log({
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [{
        Namespace: m.namespace,
        Dimensions: [[m.dimension]],
        Metrics: [m.allowed, m.masked, m.denied, m.errors].map((Name) => ({ Name, Unit: 'Count' })),
      }],
    },
    [m.dimension]: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'unknown',
    [m.allowed]: outcome === 'allowed' ? 1 : 0,
    [m.masked]: outcome === 'masked' ? 1 : 0,
    [m.denied]: outcome === 'denied' ? 1 : 0,
    [m.errors]: outcome === 'error' ? 1 : 0,
  });
}

function log(entry: Record<string, unknown>): void {
  try {
    console.log(JSON.stringify(entry));
  } catch {
    // logging must not turn an answer into an error
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

function idOf(event: unknown): string | undefined {
  try {
    const id = (event as ReviewEvent | undefined)?.MessageId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
