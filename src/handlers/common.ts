import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/** What a lifecycle function tells CloudFormation on success. */
export interface LifecycleResult {
  /** The physical id: the resource's ARN. */
  readonly physicalResourceId: string;
  /** `Fn::GetAtt` attributes; every one must have a value. */
  readonly data?: Record<string, string>;
}

/** A failure whose message is already the one-line reason CloudFormation shows. */
export class ReasonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReasonError';
  }
}

export type CustomResourceEvent = CloudFormationCustomResourceEvent;

/** Options that tests shorten; production uses the defaults. */
export interface WaitOptions {
  /** How long to keep retrying or polling, in milliseconds. */
  readonly timeoutMs: number;
  /** Pause between attempts, in milliseconds. */
  readonly intervalMs: number;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The pause before poll number `attempt` (0-based): 1 s, 2 s, 4 s... up to `intervalMs`. Short
 * transitions are seen within a second; long ones are polled at the steady, quota-safe rate.
 */
export function pollDelay(attempt: number, wait: WaitOptions): number {
  return Math.min(wait.intervalMs, 1_000 * 2 ** attempt);
}

/** Name and message of an SDK error (or anything thrown), on one line. */
export function describeError(err: unknown): string {
  if (err instanceof ReasonError) return err.message;
  if (err instanceof Error) {
    const message = err.message.replace(/\s+/g, ' ').trim();
    return err.name && err.name !== 'Error' ? `${err.name}: ${message}` : message;
  }
  return String(err);
}

/** The one-line reason for a failed service call, naming the operation. */
export function operationFailed(operation: string, err: unknown): ReasonError {
  if (err instanceof ReasonError) return err;
  return new ReasonError(`${operation} failed: ${describeError(err)}`);
}

/** Runs a service call and turns its failure into a reason naming the operation. */
export async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw operationFailed(operation, err);
  }
}

/** True when the SDK error has this exception name. */
export function isError(err: unknown, name: string): boolean {
  return err instanceof Error && err.name === name;
}

/** CloudFormation passes every property as a string: read an integer back. */
export function parseInteger(value: unknown, property: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  // Only plain decimal digits: Number() would also take ' ', '0x10', '1e2', true and [3].
  const parsed = typeof value === 'number' ? value
    : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed)) {
    throw new ReasonError(`${property} must be an integer. Received ${JSON.stringify(value)}`);
  }
  return parsed;
}

/** A string property, or undefined when CloudFormation left it out. */
export function parseString(value: unknown, property: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new ReasonError(`${property} must be a string. Received ${JSON.stringify(value)}`);
  }
  return value;
}

/** A list of strings, or an empty list when CloudFormation left it out. */
export function parseStringList(value: unknown, property: string): string[] {
  if (value === undefined || value === null || value === '') return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new ReasonError(`${property} must be a list of strings. Received ${JSON.stringify(value)}`);
  }
  return value as string[];
}

/** Tags as a plain map; the constructs render them as `{ key: value }`. */
export function parseTags(value: unknown): Record<string, string> {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ReasonError(`Tags must be a map of strings. Received ${JSON.stringify(value)}`);
  }
  const tags: Record<string, string> = {};
  for (const [key, tagValue] of Object.entries(value as Record<string, unknown>)) {
    tags[key] = String(tagValue);
  }
  return tags;
}

/** Tags that are new or whose value changed. */
export function tagsToAdd(oldTags: Record<string, string>, newTags: Record<string, string>): Record<string, string> {
  const added: Record<string, string> = {};
  for (const [key, value] of Object.entries(newTags)) {
    if (oldTags[key] !== value) added[key] = value;
  }
  return added;
}

/** Keys that are gone. */
export function tagsToRemove(oldTags: Record<string, string>, newTags: Record<string, string>): string[] {
  return Object.keys(oldTags).filter((key) => !(key in newTags));
}

/** The ARN's resource type and id, when it is an ivschat ARN of that type. */
export function parseIvsChatArn(value: string, resourceType: 'room' | 'logging-configuration'): { id: string } | undefined {
  const match = /^arn:aws[a-z-]*:ivschat:[a-z0-9-]+:\d{12}:([a-z-]+)\/([a-zA-Z0-9]+)$/.exec(value);
  return match && match[1] === resourceType ? { id: match[2] } : undefined;
}

/**
 * Calls `fn` again while `retryable` says the error will pass, until `timeoutMs` has gone by;
 * then throws the last error.
 */
export async function retryWhile<T>(
  fn: () => Promise<T>,
  retryable: (err: unknown) => boolean,
  options: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (!retryable(err) || Date.now() + options.intervalMs > deadline) throw err;
      await sleep(options.intervalMs);
    }
  }
}
