// The Lambda runtime provides the SDK v3 and the bundle leaves it external: a dev dependency is right here.
// eslint-disable-next-line import/no-extraneous-dependencies
// eslint-disable-next-line import/no-extraneous-dependencies
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
// eslint-disable-next-line import/no-extraneous-dependencies
import { IvschatClient, TagResourceCommand } from '@aws-sdk/client-ivschat';
import type { Context } from 'aws-lambda';
import { Delivery, refusedResponseUrl, sendResponse } from './cfn-response';
import { CreatedButFailedError, MarkedResourceType } from './create-once';
import { Deadline, DeadlineError } from './deadline';
import { describeError } from './errors';
import { CustomResourceEvent, LifecycleResult } from './lifecycle';
import { markedLoggingConfigurations, onLoggingConfigurationEvent } from './logging-configuration';
import { createMarkerOf } from './marker';
import { markedRooms, onRoomEvent } from './room';
import { ServiceCaller } from './service-call';
import { judgeCreate, readStackRecord, Verdict } from './stack-record';
import { parseIvsChatArn } from '../../private/arn';
import {
  FAILED_CREATE_PREFIX, LOGGING_CONFIGURATION_RESOURCE_TYPE, OWNER_TAG_KEY, ROOM_RESOURCE_TYPE, TEST_RESPONSE_URL_PREFIX_ENV,
} from '../../private/contract';

/** What the provider knows of each resource type it serves: its lifecycle, and how to find and delete what a create made. */
interface ServedType {
  readonly lifecycle: (client: IvschatClient, event: CustomResourceEvent, caller: ServiceCaller) => Promise<LifecycleResult>;
  readonly marked: (client: IvschatClient) => MarkedResourceType;
}
const HANDLERS: Record<string, ServedType> = {
  [ROOM_RESOURCE_TYPE]: { lifecycle: (client, event, caller) => onRoomEvent(client, event, undefined, caller), marked: markedRooms },
  [LOGGING_CONFIGURATION_RESOURCE_TYPE]: {
    lifecycle: (client, event, caller) => onLoggingConfigurationEvent(client, event, undefined, caller),
    marked: (c) => markedLoggingConfigurations(c),
  },
};

/** Time kept back to report a result before Lambda stops the function: no service call runs into it. */
const RESPONSE_MARGIN_MS = 20_000;
/** A backstop inside that margin, should a lifecycle function itself overrun its deadline. */
const BACKSTOP_MARGIN_MS = 10_000;

// One client per container; standard endpoint settings (AWS_ENDPOINT_URL_IVSCHAT) apply. The SDK's own retries
// are off (maxAttempts 1): it would repeat a create after a 5xx or a timeout, which may duplicate it, and its
// attempt-capped backoff changes with the runtime's SDK. ServiceCaller retries by time instead.
const client = new IvschatClient({ maxAttempts: 1, requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 } });
// Reads only (DescribeStackResource): the SDK's own retries are safe here (AWS_ENDPOINT_URL_CLOUDFORMATION applies).
const cloudFormation = new CloudFormationClient({ maxAttempts: 5, requestHandler: { connectionTimeout: 5_000, requestTimeout: 10_000 } });

/** Time kept back at the very end of the invocation: the post-answer check stops reading CloudFormation then. */
const END_MARGIN_MS = 1_000;

/** The provider's own region and account, from the function ARN CloudFormation invokes (the ServiceToken). */
function placeOf(serviceToken: string): { region: string; account: string } | undefined {
  const match = /^arn:[a-z-]+:lambda:([a-z0-9-]+):(\d{12}):function:/.exec(serviceToken);
  return match ? { region: match[1], account: match[2] } : undefined;
}

/** Why a physical id that is an ARN of another region or account cannot be served here; undefined if it can. */
function wrongPlace(event: CustomResourceEvent): string | undefined {
  if (event.RequestType === 'Create') return undefined;
  const arn = parseIvsChatArn(event.PhysicalResourceId);
  const here = placeOf(event.ServiceToken);
  if (!arn || !here || (arn.region === here.region && arn.account === here.account)) return undefined;
  return `${event.PhysicalResourceId} is in region ${arn.region}, account ${arn.account}, but this provider runs in region ` +
    `${here.region}, account ${here.account} and can only reach resources there. The resource was made by another stack or ` +
    'provider: manage it there';
}

/** Runs the lifecycle operation and returns what to report; never throws. */
export async function onEvent(event: CustomResourceEvent, remainingMs = Infinity): Promise<{
  status: 'SUCCESS' | 'FAILED'; physicalResourceId: string; reason?: string; data?: Record<string, string>;
}> {
  // A failed Create reports an id that is no ARN, so the rollback's Delete looks for what it made by its marker.
  const fallbackId = event.RequestType === 'Create' ? `${FAILED_CREATE_PREFIX}${event.RequestId}` : event.PhysicalResourceId;
  const served = HANDLERS[event.ResourceType];
  if (!served) {
    if (event.RequestType === 'Delete' && event.PhysicalResourceId.startsWith(FAILED_CREATE_PREFIX)) {
      // Nothing to delete: failing here would leave the stack in ROLLBACK_FAILED / DELETE_FAILED.
      return { status: 'SUCCESS', physicalResourceId: event.PhysicalResourceId };
    }
    return { status: 'FAILED', physicalResourceId: fallbackId, reason: `Unsupported resource type ${event.ResourceType}` };
  }
  const misplaced = wrongPlace(event);
  if (misplaced) return { status: 'FAILED', physicalResourceId: fallbackId, reason: misplaced };
  const deadline = Number.isFinite(remainingMs) ? Deadline.in(Math.max(0, remainingMs - RESPONSE_MARGIN_MS)) : Deadline.none();
  const caller = new ServiceCaller(deadline);
  const timeLimit = `${event.RequestType} of ${event.ResourceType} did not finish before the provider's time limit`;
  let timer: NodeJS.Timeout | undefined;
  const backstop = new Promise<never>((_, reject) => {
    if (Number.isFinite(remainingMs)) {
      timer = setTimeout(() => reject(new DeadlineError('')), Math.max(0, remainingMs - BACKSTOP_MARGIN_MS));
    }
  });
  const run = () => Promise.race([served.lifecycle(client, event, caller), backstop]);
  try {
    let result: LifecycleResult;
    try {
      result = await run();
    } catch (err) {
      if (!(await claimed(event, err, caller))) throw err;
      result = await run();
    }
    return { status: 'SUCCESS', physicalResourceId: result.physicalResourceId, data: result.data };
  } catch (err) {
    const physicalResourceId = err instanceof CreatedButFailedError ? err.physicalResourceId : fallbackId;
    const reason = err instanceof DeadlineError ? (err.message ? `${timeLimit}: ${err.message}` : timeLimit) : describeError(err);
    return { status: 'FAILED', physicalResourceId, reason };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The upgrade path for a resource an older provider made, which carries no ownership tag: when IAM denies an
 * Update or Delete of it, and CloudFormation confirms this stack holds that physical id under that logical id, the
 * provider tags it with its stack (IAM allows adding the tag only where it is missing or already this stack's) and
 * tries once more. Returns whether it did.
 */
async function claimed(event: CustomResourceEvent, err: unknown, caller: ServiceCaller): Promise<boolean> {
  if (event.RequestType === 'Create' || !/AccessDenied/.test(describeError(err))) return false;
  const arn = event.PhysicalResourceId;
  if (!parseIvsChatArn(arn)) return false;
  const record = await readStackRecord(cloudFormation, { stackId: event.StackId, logicalResourceId: event.LogicalResourceId }, arn);
  if (record.kind !== 'holds') {
    console.log(JSON.stringify({ claim: 'refused', arn, record }));
    return false;
  }
  await caller.send('TagResource', (abortSignal) =>
    client.send(new TagResourceCommand({ resourceArn: arn, tags: { [OWNER_TAG_KEY]: event.StackId } }), { abortSignal }), { retryAmbiguous: true });
  console.log(JSON.stringify({ claim: 'tagged', arn, [OWNER_TAG_KEY]: event.StackId }));
  return true;
}

/** The provider's own region and the test prefix, for the ResponseURL check. */
function responseUrlRefusal(event: CustomResourceEvent): string | undefined {
  return refusedResponseUrl(event.ResponseURL, placeOf(event.ServiceToken)?.region, process.env[TEST_RESPONSE_URL_PREFIX_ENV] || undefined);
}

/**
 * After answering a Create: CloudFormation may have cancelled it (another resource failed), taken another
 * delivery's answer (Lambda delivers at least once), or never got ours. Whatever this invocation made and
 * CloudFormation does not hold is deleted; on any doubt it is kept and the reason logged.
 */
export async function settleCreate(event: CustomResourceEvent, answeredId: string, delivery: Delivery, budgetMs: number): Promise<Verdict> {
  const served = HANDLERS[event.ResourceType];
  const madeArn = parseIvsChatArn(answeredId) ? answeredId : undefined;
  if (!served || (!madeArn && !answeredId.startsWith(FAILED_CREATE_PREFIX))) return { keep: true, why: 'nothing was made' };
  const ref = { stackId: event.StackId, logicalResourceId: event.LogicalResourceId };
  const verdict: Verdict = delivery === 'refused' && madeArn
    ? { keep: false, why: 'every PUT of the answer was refused with an HTTP error: CloudFormation never got it' }
    : await judgeCreate(cloudFormation, ref, answeredId, Date.now() + budgetMs);
  console.log(JSON.stringify({ settle: verdict.keep ? 'kept' : 'deleting', physicalResourceId: answeredId, why: verdict.why }));
  if (verdict.keep) return verdict;
  const caller = new ServiceCaller(Deadline.in(Math.max(0, budgetMs)));
  const type = served.marked(client);
  try {
    if (madeArn) {
      await type.delete(caller, madeArn);
    } else {
      // A failed create may still have made something (an unanswered CreateRoom): what carries this request's
      // marker, except what CloudFormation holds (another delivery of the same request may have made that).
      const held = verdict.heldId;
      for (const found of await type.findMarked(caller, createMarkerOf(event))) {
        if (found.arn !== held) await type.delete(caller, found.arn);
      }
    }
  } catch (err) {
    console.log(JSON.stringify({ settle: 'delete failed', physicalResourceId: answeredId, error: describeError(err) }));
  }
  return verdict;
}

export async function handler(event: CustomResourceEvent, context?: Context): Promise<void> {
  // The ResponseURL is a pre-signed credential: never log it.
  console.log(JSON.stringify({ ...event, ResponseURL: '[redacted]' }));
  const refused = responseUrlRefusal(event);
  if (refused) {
    // A made-up event: do nothing, and send nothing anywhere.
    console.log(JSON.stringify({ ignored: `Not acting on this event: ${refused}` }));
    return;
  }
  const remaining = () => context?.getRemainingTimeInMillis() ?? Infinity;
  const response = await onEvent(event, remaining());
  console.log(JSON.stringify({ status: response.status, physicalResourceId: response.physicalResourceId, reason: response.reason }));
  const delivery = await sendResponse(event, response, 4, remaining());
  console.log(JSON.stringify({ delivery }));
  if (event.RequestType === 'Create') {
    const budget = Number.isFinite(remaining()) ? remaining() - END_MARGIN_MS : PROVIDER_CHECK_DEFAULT_MS;
    await settleCreate(event, response.physicalResourceId, delivery, budget);
  }
}

/** The check's budget outside Lambda (no context): a minute. */
const PROVIDER_CHECK_DEFAULT_MS = 60_000;
