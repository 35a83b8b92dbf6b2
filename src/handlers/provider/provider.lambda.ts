// The Lambda runtime provides the SDK v3 and the bundle leaves it external: a dev dependency is right here.
// eslint-disable-next-line import/no-extraneous-dependencies
import { IvschatClient } from '@aws-sdk/client-ivschat';
import type { Context } from 'aws-lambda';
import { sendResponse } from './cfn-response';
import { CreatedButFailedError } from './create-once';
import { Deadline, DeadlineError } from './deadline';
import { describeError } from './errors';
import { CustomResourceEvent, LifecycleResult } from './lifecycle';
import { onLoggingConfigurationEvent } from './logging-configuration';
import { onRoomEvent } from './room';
import { ServiceCaller } from './service-call';
import { parseIvsChatArn } from '../../private/arn';
import { FAILED_CREATE_PREFIX, LOGGING_CONFIGURATION_RESOURCE_TYPE, ROOM_RESOURCE_TYPE } from '../../private/contract';

/** Lifecycle function for each resource type this provider serves. */
type LifecycleHandler = (client: IvschatClient, event: CustomResourceEvent, caller: ServiceCaller) => Promise<LifecycleResult>;
const HANDLERS: Record<string, LifecycleHandler> = {
  [ROOM_RESOURCE_TYPE]: (client, event, caller) => onRoomEvent(client, event, undefined, caller),
  [LOGGING_CONFIGURATION_RESOURCE_TYPE]: (client, event, caller) => onLoggingConfigurationEvent(client, event, undefined, caller),
};

/** Time kept back to report a result before Lambda stops the function: no service call runs into it. */
const RESPONSE_MARGIN_MS = 20_000;
/** A backstop inside that margin, should a lifecycle function itself overrun its deadline. */
const BACKSTOP_MARGIN_MS = 10_000;

// One client per container; standard endpoint settings (AWS_ENDPOINT_URL_IVSCHAT) apply. The SDK's own retries
// are off (maxAttempts 1): it would repeat a create after a 5xx or a timeout, which may duplicate it, and its
// attempt-capped backoff changes with the runtime's SDK. ServiceCaller retries by time instead.
const client = new IvschatClient({ maxAttempts: 1, requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 } });

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
  const lifecycle = HANDLERS[event.ResourceType];
  if (!lifecycle) {
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
  try {
    const result = await Promise.race([lifecycle(client, event, caller), backstop]);
    return { status: 'SUCCESS', physicalResourceId: result.physicalResourceId, data: result.data };
  } catch (err) {
    const physicalResourceId = err instanceof CreatedButFailedError ? err.physicalResourceId : fallbackId;
    const reason = err instanceof DeadlineError ? (err.message ? `${timeLimit}: ${err.message}` : timeLimit) : describeError(err);
    return { status: 'FAILED', physicalResourceId, reason };
  } finally {
    clearTimeout(timer);
  }
}

export async function handler(event: CustomResourceEvent, context?: Context): Promise<void> {
  // The ResponseURL is a pre-signed credential: never log it.
  console.log(JSON.stringify({ ...event, ResponseURL: '[redacted]' }));
  const response = await onEvent(event, context?.getRemainingTimeInMillis() ?? Infinity);
  console.log(JSON.stringify({ status: response.status, physicalResourceId: response.physicalResourceId, reason: response.reason }));
  await sendResponse(event, response);
}
