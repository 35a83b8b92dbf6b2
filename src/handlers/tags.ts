import { MARKER_TAG_KEY } from '../private/contract';

/** Tags that are new or whose value changed. */
export function tagsToAdd(oldTags: Record<string, string>, newTags: Record<string, string>): Record<string, string> {
  const added: Record<string, string> = {};
  for (const [key, value] of Object.entries(newTags)) {
    if (oldTags[key] !== value) added[key] = value;
  }
  return added;
}

/** Keys that are gone; never the provider's marker tag, which no property sets. */
export function tagsToRemove(oldTags: Record<string, string>, newTags: Record<string, string>): string[] {
  return Object.keys(oldTags).filter((key) => !(key in newTags) && key !== MARKER_TAG_KEY);
}
