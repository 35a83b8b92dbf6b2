import { pollDelay, pollUntil, retryWhile } from '../../../src/handlers/provider/retry';

describe('retryWhile', () => {
  const fast = { timeoutMs: 200, intervalMs: 1 };

  test('returns the first success without retrying', async () => {
    const fn = jest.fn().mockResolvedValue('ok');
    await expect(retryWhile(fn, () => true, fast)).resolves.toBe('ok');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  test('retries a retryable error until it succeeds', async () => {
    const fn = jest.fn()
      .mockRejectedValueOnce(new Error('transient'))
      .mockRejectedValueOnce(new Error('transient'))
      .mockResolvedValue('ok');
    await expect(retryWhile(fn, (err) => (err as Error).message === 'transient', fast)).resolves.toBe('ok');
    expect(fn).toHaveBeenCalledTimes(3);
  });

  test('throws a non-retryable error at once', async () => {
    const fn = jest.fn().mockRejectedValue(new Error('fatal'));
    await expect(retryWhile(fn, (err) => (err as Error).message === 'transient', fast)).rejects.toThrow('fatal');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  test('throws the last retryable error once the time is up', async () => {
    let attempt = 0;
    const fn = jest.fn(async () => {
      attempt++;
      throw new Error(`transient ${attempt}`);
    });
    const started = Date.now();
    const error = await retryWhile(fn, () => true, { timeoutMs: 60, intervalMs: 10 }).catch((err: Error) => err);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(fn.mock.calls.length).toBeGreaterThan(1);
    expect((error as Error).message).toBe(`transient ${fn.mock.calls.length}`);
  });

  test('retries every interval for the whole wait: 200 ms for 1 s is 6 attempts (fake clock)', async () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const fn = jest.fn().mockRejectedValue(new Error('transient'));
      const result = retryWhile(fn, () => true, { timeoutMs: 1_000, intervalMs: 200 }).catch((err: Error) => err);
      await jest.advanceTimersByTimeAsync(1_000);
      await result;
      // attempts at 0, 200, 400, 600, 800 and 1 000 ms (the last one starts as the wait ends, none after)
      expect(fn.mock.calls.length).toBe(6);
    } finally {
      jest.useRealTimers();
    }
  });

  test('waits the interval between attempts', async () => {
    const fn = jest.fn()
      .mockRejectedValueOnce(new Error('transient'))
      .mockResolvedValue('ok');
    const started = Date.now();
    await retryWhile(fn, () => true, { timeoutMs: 1000, intervalMs: 50 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});

describe('pollDelay', () => {
  test('ramps 1 s, 2 s, then holds the steady interval', () => {
    const wait = { timeoutMs: 300_000, intervalMs: 4_000 };
    expect([0, 1, 2, 3, 10].map((attempt) => pollDelay(attempt, wait))).toEqual([1_000, 2_000, 4_000, 4_000, 4_000]);
  });

  test('never exceeds a short interval', () => {
    expect([0, 1, 5].map((attempt) => pollDelay(attempt, { timeoutMs: 1_000, intervalMs: 20 }))).toEqual([20, 20, 20]);
  });
});

describe('pollUntil', () => {
  const fast = { timeoutMs: 5_000, intervalMs: 1 };

  test('reads until the stop condition holds and returns what it read', async () => {
    const read = jest.fn().mockResolvedValueOnce('CREATING').mockResolvedValueOnce('CREATING').mockResolvedValue('ACTIVE');
    await expect(pollUntil(read, (state) => state === 'ACTIVE', fast, () => new Error('timeout'))).resolves.toBe('ACTIVE');
    expect(read).toHaveBeenCalledTimes(3);
  });

  test('a stop condition that throws ends the polling with its error', async () => {
    const read = jest.fn().mockResolvedValue('CREATE_FAILED');
    const stop = (state: string) => {
      if (state === 'CREATE_FAILED') throw new Error('failed state');
      return false;
    };
    await expect(pollUntil(read, stop, fast, () => new Error('timeout'))).rejects.toThrow('failed state');
    expect(read).toHaveBeenCalledTimes(1);
  });

  test('gives up with the timeout error naming the last value read', async () => {
    const read = jest.fn().mockResolvedValue('UPDATING');
    await expect(pollUntil(read, () => false, { timeoutMs: 30, intervalMs: 10 }, (last) => new Error(`still ${last}`)))
      .rejects.toThrow('still UPDATING');
    expect(read.mock.calls.length).toBeGreaterThan(1);
  });
});
