import { DEFAULT_RATE_LIMITS, OPERATION_GROUP, OperationGroup, OperationName } from './model';

/**
 * `true` enables the Service Quotas rates; an object enables them with some rates overridden, per group
 * (`room`, `loggingConfiguration`, `tag`, `chatToken`) or per operation (`CreateRoom`): an operation's own
 * entry wins over its group's.
 */
export type RateLimitOptions = boolean | Partial<Record<OperationGroup | OperationName, number>>;

/**
 * A token bucket per operation (the Service Quotas page gives each operation its own rate, e.g. CreateRoom 5 TPS and
 * DeleteRoom 5 TPS): capacity and refill rate both equal the TPS quota of the operation, so a burst of
 * `limit` requests passes and the next one inside the same second is throttled.
 */
export class RateLimiter {
  private overrides: Partial<Record<OperationGroup | OperationName, number>> | undefined;
  private readonly buckets = new Map<OperationName, { tokens: number; refilledAt: number }>();

  constructor(options: RateLimitOptions | undefined, private readonly clock: () => number) {
    this.configure(options);
  }

  get enabled(): boolean {
    return this.overrides !== undefined;
  }

  configure(options: RateLimitOptions | undefined): void {
    this.overrides = options === undefined || options === false ? undefined : { ...(options === true ? {} : options) };
    this.buckets.clear();
  }

  /** The operation's TPS quota, whether or not limiting is enabled (faults report it as `limit`). */
  limitOf(operation: OperationName): number {
    const group = OPERATION_GROUP[operation];
    return this.overrides?.[operation] ?? this.overrides?.[group] ?? DEFAULT_RATE_LIMITS[group];
  }

  /** Takes one token of the operation's bucket; returns false when the request must be throttled. Throttled requests take nothing. */
  tryTake(operation: OperationName): boolean {
    if (!this.overrides) return true;
    const limit = this.limitOf(operation);
    const now = this.clock();
    const bucket = this.buckets.get(operation) ?? { tokens: limit, refilledAt: now };
    bucket.tokens = Math.min(limit, bucket.tokens + ((now - bucket.refilledAt) / 1000) * limit);
    bucket.refilledAt = now;
    this.buckets.set(operation, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  reset(): void {
    this.buckets.clear();
  }
}
