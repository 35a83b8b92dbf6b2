import { ResourceNotFoundException, ValidationException } from '@aws-sdk/client-ivschat';
import { call, describeError, isError, operationFailed, ReasonError } from '../../../src/handlers/provider/errors';

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
