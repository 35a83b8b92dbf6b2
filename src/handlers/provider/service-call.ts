import { Deadline, DeadlineError } from './deadline';
import { describeError, ReasonError } from './errors';
import { sleep } from './retry';

/** How a failed call ended, as far as what the service did is concerned. */
export type FailureKind =
  /** ThrottlingException / 429: the service refused the request; nothing was done. */
  | 'throttled'
  /** The request never reached the service (refused or unreachable connection). */
  | 'not-sent'
  /** Sent, but the answer is unknown or a server error: the service may have done it (5xx, timeout, dropped connection). */
  | 'ambiguous'
  /** Any other answer: the service decided, and did not do it. */
  | 'final';

/** Connection errors raised before a request was written: the service cannot have seen it. */
const NOT_SENT_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];

export function classifyFailure(err: unknown): FailureKind {
  if (!(err instanceof Error) || err instanceof ReasonError) return 'final';
  const { $fault, $metadata } = err as { $fault?: 'client' | 'server'; $metadata?: { httpStatusCode?: number } };
  const status = $metadata?.httpStatusCode;
  if (err.name === 'ThrottlingException' || status === 429) return 'throttled';
  // A modeled error says who is at fault: the client's (4xx) was refused, the server's (5xx) may have been done.
  if ($fault === 'server' || (status !== undefined && status >= 500)) return 'ambiguous';
  if ($fault === 'client' || status !== undefined) return 'final';
  const code = (err as { code?: string }).code;
  if ((code && NOT_SENT_CODES.includes(code)) || /did not establish a connection/.test(err.message)) return 'not-sent';
  return 'ambiguous'; // no answer at all: a timeout, an abort, a dropped connection
}

/** First throttling pause window, and the cap of the window. */
export const THROTTLE_BACKOFF = { baseMs: 500, capMs: 4_000 } as const;

/**
 * The pause after the `attempt`-th consecutive refusal (1-based): uniformly random in [0, window), the window
 * doubling from 0.5 s up to 4 s. Each invocation widens its own window while it is throttled, so many invocations
 * at once spread out until together they ask at about the quota; the cap keeps the last ones from idling while
 * the quota is free (an 8 s cap left 50 rooms at 1.35x of N / TPS in `npm run bench -- --only=5`).
 */
export function throttleBackoff(attempt: number, random: () => number = Math.random): number {
  return random() * Math.min(THROTTLE_BACKOFF.capMs, THROTTLE_BACKOFF.baseMs * 2 ** (attempt - 1));
}

/** How the last attempt of a call that ran out of time ended, in words. */
const OUTCOME: Record<Exclude<FailureKind, 'final'>, string> = {
  'throttled': 'was still throttled',
  'not-sent': 'could still not be sent',
  'ambiguous': 'was still not answered',
};

/** Longest a single attempt may take before it is abandoned as unanswered. */
export const ATTEMPT_TIMEOUT_MS = 30_000;
/** How often an ambiguous failure (5xx, timeout) of a call that is safe to repeat is retried. */
const AMBIGUOUS_RETRIES = 3;

export interface CallOptions {
  /**
   * Whether a 5xx or an unanswered attempt may simply be repeated: true for reads, deletes, updates and tags
   * (repeating them changes nothing more), false for creates (the first may have made something).
   */
  readonly retryAmbiguous: boolean;
  /**
   * Whether the call may run into the reserve kept before the deadline: true only for what must follow an
   * unanswered create (the marker lookup, deleting a duplicate).
   */
  readonly useReserve?: boolean;
}

/**
 * Runs the service calls of one invocation until its deadline: throttling and unsent requests are retried with
 * adaptive, jittered pauses for as long as the deadline allows (the SDK's own retries are off); each attempt is
 * bounded by what is left, so no call outlives the deadline.
 */
export class ServiceCaller {
  constructor(readonly deadline: Deadline, private readonly random: () => number = Math.random) {}

  /** `call` gets the signal that abandons its attempt; it must pass it to `client.send`. */
  async send<T>(operation: string, call: (abortSignal: AbortSignal) => Promise<T>, options: CallOptions): Promise<T> {
    let refusals = 0;
    let ambiguousRetries = 0;
    for (;;) {
      const available = () => (options.useReserve ? this.deadline.remaining() : this.deadline.spendable());
      const budget = Math.min(ATTEMPT_TIMEOUT_MS, available());
      if (budget <= 0) throw new DeadlineError(`no time was left to call ${operation}`);
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      // The signal tears the SDK's request down; the race ends the wait even if a call ignores the signal.
      const abandoned = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(Object.assign(new Error(`${operation} was not answered within ${Math.round(budget)} ms`), { name: 'TimeoutError' }));
        }, budget);
      });
      try {
        return await Promise.race([call(controller.signal), abandoned]);
      } catch (err) {
        const kind = classifyFailure(err);
        if (kind === 'final') throw err;
        if (kind === 'ambiguous' && (!options.retryAmbiguous || ambiguousRetries++ >= AMBIGUOUS_RETRIES)) throw err;
        const pause = throttleBackoff(++refusals, this.random);
        if (pause >= available()) {
          throw new DeadlineError(`${operation} ${OUTCOME[kind]} when the time ran out (${describeError(err)})`);
        }
        await sleep(pause);
      } finally {
        clearTimeout(timer);
      }
    }
  }
}
