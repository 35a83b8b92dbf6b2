import { InternalServerException, ThrottlingException, ValidationException } from '@aws-sdk/client-ivschat';
import { Deadline, DeadlineError } from '../../../src/handlers/provider/deadline';
import { ReasonError } from '../../../src/handlers/provider/errors';
import { classifyFailure, ServiceCaller, THROTTLE_BACKOFF, throttleBackoff } from '../../../src/handlers/provider/service-call';

const throttled = () => new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 }, resourceId: 'x', resourceType: 'ROOM', limit: 5 });
const internal = () => new InternalServerException({ message: 'oops', $metadata: { httpStatusCode: 500 } });
const invalid = () => new ValidationException({ message: 'bad', $metadata: { httpStatusCode: 400 }, reason: 'OTHER' });

describe('classifyFailure', () => {
  test.each([
    ['ThrottlingException', throttled(), 'throttled'],
    ['a bare 429', Object.assign(new Error('Too Many Requests'), { $metadata: { httpStatusCode: 429 } }), 'throttled'],
    ['InternalServerException', internal(), 'ambiguous'],
    ['a 503 without a model', Object.assign(new Error('Service Unavailable'), { $metadata: { httpStatusCode: 503 } }), 'ambiguous'],
    ['ValidationException', invalid(), 'final'],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'not-sent'],
    ['a connection that was never made', Object.assign(new Error('the request socket did not establish a connection with the server'), { name: 'TimeoutError' }), 'not-sent'],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'ambiguous'],
    ['an abandoned attempt', Object.assign(new Error('not answered'), { name: 'TimeoutError' }), 'ambiguous'],
    ['a reason of our own', new ReasonError('CreateRoom failed: x'), 'final'],
  ])('%s is %s', (_, err, kind) => {
    expect(classifyFailure(err)).toBe(kind);
  });
});

describe('throttleBackoff', () => {
  test('is uniform in a window that doubles from 0.5 s up to 4 s', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((attempt) => throttleBackoff(attempt, () => 0.999999))
      .map((ms) => Math.round(ms))).toEqual([500, 1_000, 2_000, 4_000, 4_000, 4_000, 4_000]);
    expect(throttleBackoff(7, () => 0)).toBe(0);
    expect(THROTTLE_BACKOFF.capMs).toBe(4_000);
  });
});

describe('ServiceCaller', () => {
  test('rides out throttling until the call goes through', async () => {
    const call = jest.fn().mockRejectedValueOnce(throttled()).mockRejectedValueOnce(throttled()).mockResolvedValue('ok');
    const caller = new ServiceCaller(Deadline.in(10_000), () => 0.01);
    await expect(caller.send('CreateRoom', call, { retryAmbiguous: false })).resolves.toBe('ok');
    expect(call).toHaveBeenCalledTimes(3);
  });

  test('gives up on throttling only when the deadline allows no further pause (fake clock)', async () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const call = jest.fn().mockRejectedValue(throttled());
      // pauses at half the window: 250, 500, 1000 ms... from t=0 with a 1.2 s deadline (reserve 300 ms: 900 ms spendable)
      const settled = new ServiceCaller(Deadline.in(1_200), () => 0.5).send('DeleteRoom', call, { retryAmbiguous: true }).catch((err: Error) => err);
      await jest.advanceTimersByTimeAsync(1_200);
      const error = await settled;
      expect(error).toBeInstanceOf(DeadlineError);
      expect((error as Error).message).toBe('DeleteRoom was still throttled when the time ran out (ThrottlingException: Rate exceeded)');
      // attempts at 0, 250 and 750 ms; the next pause (1 s) would end after the 900 ms it may spend, so it stopped at 750 ms
      expect(call).toHaveBeenCalledTimes(3);
    } finally {
      jest.useRealTimers();
    }
  });

  test('repeats a 5xx of a call that is safe to repeat, but never of one that is not', async () => {
    const safe = jest.fn().mockRejectedValueOnce(internal()).mockResolvedValue('ok');
    await expect(new ServiceCaller(Deadline.in(10_000), () => 0).send('DeleteRoom', safe, { retryAmbiguous: true })).resolves.toBe('ok');
    const create = jest.fn().mockRejectedValue(internal());
    await expect(new ServiceCaller(Deadline.in(10_000), () => 0).send('CreateRoom', create, { retryAmbiguous: false }))
      .rejects.toThrow('oops');
    expect(create).toHaveBeenCalledTimes(1);
  });

  test('a final answer is not repeated', async () => {
    const call = jest.fn().mockRejectedValue(invalid());
    await expect(new ServiceCaller(Deadline.in(10_000)).send('UpdateRoom', call, { retryAmbiguous: true })).rejects.toThrow('bad');
    expect(call).toHaveBeenCalledTimes(1);
  });

  test('an attempt is abandoned (and its signal aborted) when it would run into the reserve before the deadline (fake clock)', async () => {
    jest.useFakeTimers({ now: 0 });
    try {
      let signal: AbortSignal | undefined;
      const call = jest.fn((abortSignal: AbortSignal) => {
        signal = abortSignal;
        return new Promise<never>(() => undefined);
      });
      let settledAt: number | undefined;
      // 800 ms budget: a quarter is kept back, so the attempt is abandoned at 600 ms exactly
      const result = new ServiceCaller(Deadline.in(800)).send('CreateRoom', call, { retryAmbiguous: false })
        .catch((err: Error) => {
          settledAt = Date.now();
          return err;
        });
      await jest.advanceTimersByTimeAsync(599);
      expect(settledAt).toBeUndefined();
      expect(signal?.aborted).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      const error = await result;
      expect(settledAt).toBe(600);
      expect((error as Error).message).toBe('CreateRoom was not answered within 600 ms');
      expect(classifyFailure(error)).toBe('ambiguous');
      expect(signal?.aborted).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
