import { DeadlineError } from './deadline';
import { describeError, ReasonError } from './errors';
import { carriesMarker } from './marker';
import { classifyFailure, ServiceCaller } from './service-call';

/** What a create made: its ARN and id. */
export interface Created {
  readonly arn: string;
  readonly id: string;
}

/** How to create, find and delete one resource type, for `createOnce` and the rollback's marker lookup. */
export interface MarkedResourceType {
  /** `CreateRoom`, `CreateLoggingConfiguration`. */
  readonly createOperation: string;
  /** Resources carrying the marker tag, from a few list pages (newest first). */
  findMarked(caller: ServiceCaller, marker: string): Promise<Created[]>;
  /** Deletes one; a resource already gone is fine. */
  delete(caller: ServiceCaller, arn: string): Promise<void>;
}

/** The create failed after the service returned an ARN: CloudFormation gets that ARN, so the rollback deletes it. */
export class CreatedButFailedError extends ReasonError {
  constructor(readonly physicalResourceId: string, message: string) {
    super(message);
    this.name = 'CreatedButFailedError';
  }
}

/**
 * Creates one resource carrying the request's marker, never two. A create refused outright (throttling, an
 * unsent request) is retried by the caller; one that may have been done (5xx, no answer) is looked up by its
 * marker before it is tried again. If a retry succeeds after such an answer, a late duplicate is deleted.
 */
export async function createOnce(
  caller: ServiceCaller, type: MarkedResourceType, marker: string, create: (abortSignal: AbortSignal) => Promise<Partial<Created>>,
): Promise<Created> {
  let unsure = false;
  for (;;) {
    let created: Partial<Created>;
    try {
      created = await caller.send(type.createOperation, create, { retryAmbiguous: false });
    } catch (err) {
      if (classifyFailure(err) !== 'ambiguous') throw err;
      unsure = true;
      const found = await type.findMarked(caller, marker);
      if (found.length > 0) return keepOne(caller, type, found, found[0]);
      if (caller.deadline.spendable() <= 0) {
        throw new DeadlineError(`${type.createOperation} got no clear answer (${describeError(err)}) and nothing carrying this ` +
          'request\'s marker exists yet; the rollback\'s Delete looks for it again');
      }
      continue;
    }
    if (!created.arn || !created.id) throw new ReasonError(`${type.createOperation} failed: the response has no arn or id`);
    const result = { arn: created.arn, id: created.id };
    return unsure ? keepOne(caller, type, await type.findMarked(caller, marker), result) : result;
  }
}

/** Keeps `keep` and deletes every other resource carrying the marker (an earlier attempt that landed after all). */
async function keepOne(caller: ServiceCaller, type: MarkedResourceType, marked: Created[], keep: Created): Promise<Created> {
  for (const extra of marked.filter((resource) => resource.arn !== keep.arn)) {
    await type.delete(caller, extra.arn);
  }
  return keep;
}

/** The rollback's Delete of `failed-create-*`: deletes whatever carries that request's marker. */
export async function deleteMarked(caller: ServiceCaller, type: MarkedResourceType, marker: string): Promise<string[]> {
  const marked = await type.findMarked(caller, marker);
  for (const resource of marked) await type.delete(caller, resource.arn);
  return marked.map((resource) => resource.arn);
}

/** Most list pages a marker lookup reads (ListRooms is sorted newest update first, so a new resource is near the top). */
export const MARKER_LOOKUP_PAGES = 5;

/** One page of a List call's summaries. */
export interface SummaryPage {
  readonly items?: ReadonlyArray<{ readonly arn?: string; readonly id?: string; readonly tags?: Record<string, string> }>;
  readonly nextToken?: string;
}

/** Reads up to `MARKER_LOOKUP_PAGES` pages and returns the resources whose tags carry the marker. */
export async function findInPages(listPage: (nextToken: string | undefined) => Promise<SummaryPage>, marker: string): Promise<Created[]> {
  const found: Created[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MARKER_LOOKUP_PAGES; page++) {
    const answer = await listPage(nextToken);
    for (const item of answer.items ?? []) {
      if (item.arn && item.id && carriesMarker(item.tags, marker)) found.push({ arn: item.arn, id: item.id });
    }
    nextToken = answer.nextToken;
    if (!nextToken) break;
  }
  return found;
}
