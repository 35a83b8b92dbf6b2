// The Lambda runtime provides the SDK v3 and the bundle leaves it external: a dev dependency is right here.
// eslint-disable-next-line import/no-extraneous-dependencies
import { IvschatClient, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-ivschat';
import { call } from './errors';
import type { ServiceCaller } from './service-call';
import { OWNER_TAG_KEY, PROVIDER_TAG_KEYS } from '../../private/contract';

/** Tags that are new or whose value changed; never the provider's own tags (marker, owner), which no property sets. */
export function tagsToAdd(oldTags: Record<string, string>, newTags: Record<string, string>): Record<string, string> {
  const added: Record<string, string> = {};
  for (const [key, value] of Object.entries(newTags)) {
    if (oldTags[key] !== value && !PROVIDER_TAG_KEYS.includes(key)) added[key] = value;
  }
  return added;
}

/** Keys that are gone; never the provider's own tags (marker, owner), which no property sets. */
export function tagsToRemove(oldTags: Record<string, string>, newTags: Record<string, string>): string[] {
  return Object.keys(oldTags).filter((key) => !(key in newTags) && !PROVIDER_TAG_KEYS.includes(key));
}

/** A tag diff to apply to one resource. */
export interface TagChanges {
  readonly tagsToAdd: Record<string, string>;
  readonly tagsToRemove: string[];
}

/** UntagResource, then TagResource, each only when it has something to do; both are safe to repeat. */
export async function applyTagChanges(client: IvschatClient, caller: ServiceCaller, arn: string, changes: TagChanges): Promise<void> {
  const retrySafe = { retryAmbiguous: true };
  if (changes.tagsToRemove.length > 0) {
    await call('UntagResource', () => caller.send('UntagResource', (abortSignal) =>
      client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: changes.tagsToRemove }), { abortSignal }), retrySafe));
  }
  if (Object.keys(changes.tagsToAdd).length > 0) {
    await call('TagResource', () => caller.send('TagResource', (abortSignal) =>
      client.send(new TagResourceCommand({ resourceArn: arn, tags: changes.tagsToAdd }), { abortSignal }), retrySafe));
  }
}

/** The properties with the ownership tag naming `stackId` (IAM lets the provider touch only what carries it). */
export function ownedBy<P extends { readonly tags: Record<string, string> }>(props: P, stackId: string): P {
  return { ...props, tags: { ...props.tags, [OWNER_TAG_KEY]: stackId } };
}
