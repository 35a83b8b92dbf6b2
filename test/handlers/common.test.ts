import { ResourceNotFoundException, ValidationException } from '@aws-sdk/client-ivschat';
import {
  call, describeError, isError, operationFailed, parseInteger, parseIvsChatArn, parseString, parseStringList, parseTags, pollDelay,
  ReasonError, retryWhile, tagsToAdd, tagsToRemove,
} from '../../src/handlers/common';

const ROOM_ARN = 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456';

describe('tagsToAdd', () => {
  test('returns new keys and keys whose value changed, not unchanged ones', () => {
    // GIVEN
    const oldTags = { keep: 'same', change: 'before', drop: 'x' };
    const newTags = { keep: 'same', change: 'after', added: 'new' };

    // THEN
    expect(tagsToAdd(oldTags, newTags)).toEqual({ change: 'after', added: 'new' });
  });

  test('returns nothing when the tags are equal', () => {
    expect(tagsToAdd({ a: '1', b: '2' }, { b: '2', a: '1' })).toEqual({});
  });

  test('an empty value is a value', () => {
    expect(tagsToAdd({}, { empty: '' })).toEqual({ empty: '' });
    expect(tagsToAdd({ empty: 'x' }, { empty: '' })).toEqual({ empty: '' });
  });

  test('does not treat inherited object keys as tags', () => {
    expect(tagsToAdd({}, { constructor: 'c', toString: 't' })).toEqual({ constructor: 'c', toString: 't' });
  });
});

describe('tagsToRemove', () => {
  test('returns only the keys that are gone', () => {
    expect(tagsToRemove({ keep: '1', drop: '2', alsoDrop: '3' }, { keep: 'changed', added: '4' })).toEqual(['drop', 'alsoDrop']);
  });

  test('returns nothing when no key is gone', () => {
    expect(tagsToRemove({ a: '1' }, { a: '2', b: '3' })).toEqual([]);
    expect(tagsToRemove({}, {})).toEqual([]);
  });

  test('a key whose value becomes empty is kept, not removed', () => {
    expect(tagsToRemove({ a: '1' }, { a: '' })).toEqual([]);
  });
});

describe('parseInteger', () => {
  test('reads the strings CloudFormation sends', () => {
    expect(parseInteger('300', 'MaximumMessageLength')).toBe(300);
    expect(parseInteger('1', 'MaximumMessageLength')).toBe(1);
    expect(parseInteger('-5', 'X')).toBe(-5);
  });

  test('accepts numbers as they are', () => {
    expect(parseInteger(42, 'X')).toBe(42);
  });

  test('returns undefined for a missing value', () => {
    expect(parseInteger(undefined, 'X')).toBeUndefined();
    expect(parseInteger(null, 'X')).toBeUndefined();
    expect(parseInteger('', 'X')).toBeUndefined();
  });

  test.each([
    ['abc'], ['1.5'], ['12abc'], [' '], ['0x10'], ['1e2'], ['Infinity'], [1.5], [true], [{}], [[3]],
  ])('rejects %j with a reason naming the property and the value', (value) => {
    expect(() => parseInteger(value, 'MaximumMessageLength')).toThrow(ReasonError);
    expect(() => parseInteger(value, 'MaximumMessageLength'))
      .toThrow(`MaximumMessageLength must be an integer. Received ${JSON.stringify(value)}`);
  });
});

describe('parseString, parseStringList, parseTags', () => {
  test('parseString', () => {
    expect(parseString('x', 'Name')).toBe('x');
    expect(parseString('', 'Name')).toBe('');
    expect(parseString(undefined, 'Name')).toBeUndefined();
    expect(() => parseString(5, 'Name')).toThrow('Name must be a string. Received 5');
  });

  test('parseStringList', () => {
    expect(parseStringList(['a', 'b'], 'L')).toEqual(['a', 'b']);
    expect(parseStringList(undefined, 'L')).toEqual([]);
    expect(parseStringList('', 'L')).toEqual([]);
    expect(() => parseStringList('a', 'L')).toThrow('L must be a list of strings');
    expect(() => parseStringList([1], 'L')).toThrow('L must be a list of strings');
  });

  test('parseTags', () => {
    expect(parseTags({ a: 'b', n: 1 })).toEqual({ a: 'b', n: '1' });
    expect(parseTags(undefined)).toEqual({});
    expect(() => parseTags(['a'])).toThrow('Tags must be a map of strings');
    expect(() => parseTags('a=b')).toThrow('Tags must be a map of strings');
  });
});

describe('parseIvsChatArn', () => {
  test('returns the id of an ARN of the asked type', () => {
    expect(parseIvsChatArn(ROOM_ARN, 'room')).toEqual({ id: 'AbCdEf123456' });
    expect(parseIvsChatArn('arn:aws:ivschat:eu-west-1:123456789012:logging-configuration/ZyXw98765432', 'logging-configuration'))
      .toEqual({ id: 'ZyXw98765432' });
  });

  test('accepts other partitions', () => {
    expect(parseIvsChatArn('arn:aws-cn:ivschat:cn-north-1:123456789012:room/AbCdEf123456', 'room')).toEqual({ id: 'AbCdEf123456' });
    expect(parseIvsChatArn('arn:aws-us-gov:ivschat:us-gov-west-1:123456789012:room/AbCdEf123456', 'room'))
      .toEqual({ id: 'AbCdEf123456' });
  });

  test.each([
    ['a logging configuration ARN asked as a room', 'arn:aws:ivschat:us-east-1:123456789012:logging-configuration/AbCdEf123456'],
    ['another service', 'arn:aws:ivs:us-east-1:123456789012:room/AbCdEf123456'],
    ['no account', 'arn:aws:ivschat:us-east-1::room/AbCdEf123456'],
    ['no region', 'arn:aws:ivschat::123456789012:room/AbCdEf123456'],
    ['no id', 'arn:aws:ivschat:us-east-1:123456789012:room/'],
    ['a failed create marker', 'failed-create-8f4b2c4e-1111-2222-3333-444455556666'],
    ['a bare id', 'AbCdEf123456'],
    ['an empty string', ''],
    ['trailing text', `${ROOM_ARN}/extra`],
  ])('returns undefined for %s', (_, value) => {
    expect(parseIvsChatArn(value, 'room')).toBeUndefined();
  });
});

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

  test('waits the interval between attempts', async () => {
    const fn = jest.fn()
      .mockRejectedValueOnce(new Error('transient'))
      .mockResolvedValue('ok');
    const started = Date.now();
    await retryWhile(fn, () => true, { timeoutMs: 1000, intervalMs: 50 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});

describe('errors', () => {
  test('describeError gives the exception name and message on one line', () => {
    const err = new ValidationException({ message: 'bad\n  field', $metadata: {}, reason: 'OTHER' });
    expect(describeError(err)).toBe('ValidationException: bad field');
    expect(describeError(new Error('plain'))).toBe('plain');
    expect(describeError('text')).toBe('text');
  });

  test('operationFailed names the operation, and keeps a ReasonError as it is', () => {
    const err = operationFailed('DeleteRoom', new ResourceNotFoundException({
      message: 'not here', $metadata: {}, resourceId: 'x', resourceType: 'ROOM',
    }));
    expect(err).toBeInstanceOf(ReasonError);
    expect(err.message).toBe('DeleteRoom failed: ResourceNotFoundException: not here');
    const reason = new ReasonError('already clear');
    expect(operationFailed('X', reason)).toBe(reason);
  });

  test('call turns a failure into a reason naming the operation', async () => {
    await expect(call('TagResource', async () => { throw new Error('boom'); })).rejects.toThrow('TagResource failed: boom');
    await expect(call('TagResource', async () => 7)).resolves.toBe(7);
  });

  test('isError matches the SDK exception name', () => {
    const err = new ResourceNotFoundException({ message: 'x', $metadata: {}, resourceId: 'x', resourceType: 'ROOM' });
    expect(isError(err, 'ResourceNotFoundException')).toBe(true);
    expect(isError(err, 'ValidationException')).toBe(false);
    expect(isError('ResourceNotFoundException', 'ResourceNotFoundException')).toBe(false);
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
