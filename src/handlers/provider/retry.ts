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

/**
 * Reads with `read` (pausing as `pollDelay` says) until `isDone` holds for what it read, and returns
 * that. `isDone` may throw to stop early (a failed state); `timedOut` words the error when time runs out.
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  isDone: (value: T) => boolean,
  wait: WaitOptions,
  timedOut: (last: T) => Error,
): Promise<T> {
  const deadline = Date.now() + wait.timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const value = await read();
    if (isDone(value)) return value;
    const pause = pollDelay(attempt, wait);
    if (Date.now() + pause > deadline) throw timedOut(value);
    await sleep(pause);
  }
}
