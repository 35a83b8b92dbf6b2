// The Lambda runtime provides the SDK v3 and the bundle leaves it external: a dev dependency is right here.
// eslint-disable-next-line import/no-extraneous-dependencies
import { IvschatClient } from '@aws-sdk/client-ivschat';
import type { Context } from 'aws-lambda';
import { sendResponse } from './cfn-response';
import { describeError, ReasonError } from './errors';
import { CustomResourceEvent, LifecycleResult } from './lifecycle';
import { onLoggingConfigurationEvent } from './logging-configuration';
import { onRoomEvent } from './room';
import { FAILED_CREATE_PREFIX, LOGGING_CONFIGURATION_RESOURCE_TYPE, ROOM_RESOURCE_TYPE } from '../private/contract';

/** Lifecycle function for each resource type this provider serves. */
type LifecycleHandler = (client: IvschatClient, event: CustomResourceEvent) => Promise<LifecycleResult>;
const HANDLERS: Record<string, LifecycleHandler> = {
  [ROOM_RESOURCE_TYPE]: onRoomEvent,
  [LOGGING_CONFIGURATION_RESOURCE_TYPE]: onLoggingConfigurationEvent,
};

/** Time kept back to report a result before Lambda stops the function. */
const RESPONSE_MARGIN_MS = 20_000;

// One client per container; standard endpoint settings (AWS_ENDPOINT_URL_IVSCHAT) apply.
// Enough attempts to ride out the 5-TPS room quota when CloudFormation creates many rooms at once.
// A hung connection must not eat the time limit: bound each attempt.
const client = new IvschatClient({ maxAttempts: 12, requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 } });

/** Runs the lifecycle operation and returns what to report; never throws. */
export async function onEvent(event: CustomResourceEvent, remainingMs = Infinity): Promise<{
  status: 'SUCCESS' | 'FAILED'; physicalResourceId: string; reason?: string; data?: Record<string, string>;
}> {
  // A failed Create reports an id that is no ARN, so the rollback's Delete knows nothing was made.
  const fallbackId = event.RequestType === 'Create' ? `${FAILED_CREATE_PREFIX}${event.RequestId}` : event.PhysicalResourceId;
  if (event.RequestType === 'Delete' && event.PhysicalResourceId.startsWith(FAILED_CREATE_PREFIX)) {
    // Nothing to delete, whatever the type: failing here (say, for a type this provider does not
    // serve) would leave the stack in ROLLBACK_FAILED / DELETE_FAILED.
    return { status: 'SUCCESS', physicalResourceId: event.PhysicalResourceId };
  }
  const lifecycle = HANDLERS[event.ResourceType];
  if (!lifecycle) {
    return { status: 'FAILED', physicalResourceId: fallbackId, reason: `Unsupported resource type ${event.ResourceType}` };
  }
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    if (Number.isFinite(remainingMs)) {
      timer = setTimeout(() => reject(new ReasonError(
        `${event.RequestType} of ${event.ResourceType} did not finish before the provider's time limit`)),
      Math.max(0, remainingMs - RESPONSE_MARGIN_MS));
    }
  });
  try {
    const result = await Promise.race([lifecycle(client, event), deadline]);
    return { status: 'SUCCESS', physicalResourceId: result.physicalResourceId, data: result.data };
  } catch (err) {
    return { status: 'FAILED', physicalResourceId: fallbackId, reason: describeError(err) };
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
