import { createHash } from 'node:crypto';
import type { CustomResourceEvent } from './lifecycle';
import { FAILED_CREATE_PREFIX, MARKER_TAG_KEY } from '../../private/contract';

/**
 * The marker tag's value for the CloudFormation request that creates a resource: a SHA-256 of the stack, the
 * logical id and the Create's request id (64 hex characters, well inside the 256-character tag value limit
 * that the ids together could exceed). A Delete of `failed-create-<request id>` finds the resource by it.
 */
export function markerValue(stackId: string, logicalResourceId: string, createRequestId: string): string {
  return createHash('sha256').update(`${stackId}\n${logicalResourceId}\n${createRequestId}`).digest('hex');
}

/** True when the resource's tags carry this marker. */
export function carriesMarker(tags: Record<string, string> | undefined, marker: string): boolean {
  return tags?.[MARKER_TAG_KEY] === marker;
}

/** The marker a Create event puts on what it makes. */
export function createMarkerOf(event: CustomResourceEvent): string {
  return markerValue(event.StackId, event.LogicalResourceId, event.RequestId);
}

/** For the Delete of a failed Create (`failed-create-<request id>`), the marker that Create used; else undefined. */
export function failedCreateMarkerOf(event: CustomResourceEvent): string | undefined {
  if (event.RequestType !== 'Delete' || !event.PhysicalResourceId.startsWith(FAILED_CREATE_PREFIX)) return undefined;
  return markerValue(event.StackId, event.LogicalResourceId, event.PhysicalResourceId.slice(FAILED_CREATE_PREFIX.length));
}
