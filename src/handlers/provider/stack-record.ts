// The Lambda runtime provides the SDK v3 and the bundle leaves it external: a dev dependency is right here.
// eslint-disable-next-line import/no-extraneous-dependencies
import { CloudFormationClient, DescribeStackResourceCommand } from '@aws-sdk/client-cloudformation';
import { describeError } from './errors';
import { sleep } from './retry';

/**
 * What CloudFormation recorded for a logical resource, read back after the provider answered a Create:
 * - `holds`: it holds the physical id the provider answered (keep what was made);
 * - `waiting`: the create is still in progress with no physical id yet (our answer not processed yet);
 * - `other`: it holds another physical id, or none, in any other status (cancelled, failed, deleted, a duplicate won);
 * - `gone`: the resource or the stack no longer exists in CloudFormation;
 * - `unknown`: CloudFormation could not be asked (an error): never a reason to delete.
 */
export type StackRecord =
  | { readonly kind: 'holds'; readonly status: string }
  | { readonly kind: 'waiting' }
  | { readonly kind: 'other'; readonly status: string; readonly physicalResourceId?: string }
  | { readonly kind: 'gone'; readonly detail: string }
  | { readonly kind: 'unknown'; readonly detail: string };

/** The answer to "which of our logical resources?": the stack the event came from and the logical id in it. */
export interface StackResourceRef {
  readonly stackId: string;
  readonly logicalResourceId: string;
}

/**
 * CloudFormation's ValidationError when the resource or the stack is not there (any more). The texts are
 * CloudFormation's: "Resource <id> does not exist for stack <stack>", "Stack with id <stack> does not exist".
 */
function isGone(err: unknown): boolean {
  return err instanceof Error && err.name === 'ValidationError' && /does not exist/i.test(err.message);
}

/** Reads what CloudFormation recorded for `ref` and compares it with the physical id the provider answered. */
export async function readStackRecord(
  client: CloudFormationClient, ref: StackResourceRef, answeredId: string, abortSignal?: AbortSignal,
): Promise<StackRecord> {
  try {
    const answer = await client.send(new DescribeStackResourceCommand({
      StackName: ref.stackId, LogicalResourceId: ref.logicalResourceId,
    }), { abortSignal });
    const detail = answer.StackResourceDetail;
    const status = detail?.ResourceStatus ?? 'UNKNOWN';
    const held = detail?.PhysicalResourceId || undefined;
    if (held === answeredId) return { kind: 'holds', status };
    if (status === 'CREATE_IN_PROGRESS' && held === undefined) return { kind: 'waiting' };
    if (!detail) return { kind: 'unknown', detail: 'DescribeStackResource returned no resource detail' };
    return { kind: 'other', status, physicalResourceId: held };
  } catch (err) {
    if (isGone(err)) return { kind: 'gone', detail: describeError(err) };
    return { kind: 'unknown', detail: describeError(err) };
  }
}

/** What to do with what a Create made, once CloudFormation's record is known (or is not). */
export interface Verdict {
  /** Whether what the create made stays. */
  readonly keep: boolean;
  /** Why, for the log. */
  readonly why: string;
  /** The physical id CloudFormation holds instead, if any (never deleted). */
  readonly heldId?: string;
}

/** Pauses between reads while CloudFormation has not processed the answer: 0.5 s, 1 s, 2 s, then every 4 s. */
export function recordPollDelay(attempt: number): number {
  return Math.min(4_000, 500 * 2 ** attempt);
}

/**
 * Asks CloudFormation, until `deadlineAt` (epoch ms), whether it took the answer naming `answeredId`. Deletes are
 * decided only on a clear record: another physical id or none outside CREATE_IN_PROGRESS, or the resource gone.
 * An error, or a create still in progress when the time is up, keeps the resource (never delete on uncertainty).
 */
export async function judgeCreate(
  client: CloudFormationClient, ref: StackResourceRef, answeredId: string, deadlineAt: number, now: () => number = Date.now,
): Promise<Verdict> {
  for (let attempt = 0; ; attempt++) {
    const left = deadlineAt - now();
    if (left <= 0) return { keep: true, why: 'CloudFormation still showed the create in progress when the provider ran out of time' };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), left);
    let record: StackRecord;
    try {
      record = await readStackRecord(client, ref, answeredId, controller.signal);
    } finally {
      clearTimeout(timer);
    }
    switch (record.kind) {
      case 'holds':
        return { keep: true, why: `CloudFormation holds ${answeredId} (${record.status})` };
      case 'unknown':
        return { keep: true, why: `CloudFormation could not be asked: ${record.detail}` };
      case 'gone':
        return { keep: false, why: `CloudFormation no longer knows the resource: ${record.detail}` };
      case 'other':
        return {
          keep: false,
          heldId: record.physicalResourceId,
          why: `CloudFormation holds ${record.physicalResourceId ? JSON.stringify(record.physicalResourceId) : 'no physical id'} ` +
            `(${record.status}), not ${answeredId}`,
        };
      case 'waiting': {
        const pause = recordPollDelay(attempt);
        if (now() + pause >= deadlineAt) {
          return { keep: true, why: 'CloudFormation still showed the create in progress when the provider ran out of time' };
        }
        await sleep(pause);
      }
    }
  }
}
