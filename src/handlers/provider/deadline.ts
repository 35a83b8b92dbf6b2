import { ReasonError } from './errors';

/** The time by which a lifecycle operation must have finished, so the provider can still answer CloudFormation. */
export class Deadline {
  /** A deadline `ms` from now. */
  static in(ms: number): Deadline {
    return new Deadline(Date.now() + ms, ms);
  }

  /** No deadline: for calling the lifecycle functions outside the provider (their tests). */
  static none(): Deadline {
    return new Deadline(Infinity, Infinity);
  }

  /**
   * @param at epoch milliseconds
   * @param budgetMs the whole time the operation was given, which sizes the reserve
   */
  constructor(public readonly at: number, private readonly budgetMs: number) {}

  /** Milliseconds left, never negative. */
  remaining(): number {
    return Math.max(0, this.at - Date.now());
  }

  /**
   * Time kept back at the end for what must follow an unanswered call (looking for what a create may have
   * made): a quarter of the budget, at most 10 s.
   */
  get reserveMs(): number {
    return Math.min(10_000, this.budgetMs / 4);
  }

  /** Time a new call may take without eating into the reserve. */
  spendable(): number {
    return Math.max(0, this.remaining() - this.reserveMs);
  }
}

/** The operation ran out of time; provider.lambda words it for CloudFormation. */
export class DeadlineError extends ReasonError {
  constructor(detail: string) {
    super(detail);
    this.name = 'DeadlineError';
  }
}
