import { InternalServerException, ValidationException } from '@aws-sdk/client-ivschat';
import { Created, createOnce, deleteMarked, MarkedResourceType } from '../../../src/handlers/provider/create-once';
import { Deadline, DeadlineError } from '../../../src/handlers/provider/deadline';
import { ServiceCaller } from '../../../src/handlers/provider/service-call';

const internal = () => new InternalServerException({ message: 'oops', $metadata: { httpStatusCode: 500 } });
const A = { arn: 'arn:aws:ivschat:us-east-1:123456789012:room/AAAAAAAAAAAA', id: 'AAAAAAAAAAAA' };
const B = { arn: 'arn:aws:ivschat:us-east-1:123456789012:room/BBBBBBBBBBBB', id: 'BBBBBBBBBBBB' };

/** A resource type whose "service" is a list the test controls. */
function fakeType(marked: Created[]) {
  const deleted: string[] = [];
  const type: MarkedResourceType = {
    createOperation: 'CreateRoom',
    findMarked: jest.fn(async () => marked.filter((r) => !deleted.includes(r.arn))),
    delete: jest.fn(async (_caller, arn: string) => {
      deleted.push(arn);
    }),
  };
  return { type, deleted };
}

const caller = () => new ServiceCaller(Deadline.in(10_000), () => 0);

test('a clear answer is returned with no lookup', async () => {
  const { type } = fakeType([]);
  await expect(createOnce(caller(), type, 'm', async () => A)).resolves.toEqual(A);
  expect(type.findMarked).not.toHaveBeenCalled();
});

test('a create refused outright (4xx) is not looked up or repeated', async () => {
  const { type } = fakeType([]);
  const create = jest.fn().mockRejectedValue(new ValidationException({ message: 'bad', $metadata: { httpStatusCode: 400 }, reason: 'OTHER' }));
  await expect(createOnce(caller(), type, 'm', create)).rejects.toThrow('bad');
  expect(create).toHaveBeenCalledTimes(1);
  expect(type.findMarked).not.toHaveBeenCalled();
});

test('after a 500, what the first attempt made is found by its marker and not created again', async () => {
  const { type } = fakeType([A]);
  const create = jest.fn().mockRejectedValue(internal());
  await expect(createOnce(caller(), type, 'm', create)).resolves.toEqual(A);
  expect(create).toHaveBeenCalledTimes(1);
});

test('after a 500 that made nothing, the create is tried again', async () => {
  const { type } = fakeType([]);
  const create = jest.fn().mockRejectedValueOnce(internal()).mockResolvedValue(B);
  await expect(createOnce(caller(), type, 'm', create)).resolves.toEqual(B);
  expect(create).toHaveBeenCalledTimes(2);
});

test('a first attempt that landed late after all is deleted: one resource per request', async () => {
  // GIVEN the lookup after the 500 sees nothing, but by the time the retry succeeded, the first attempt's A exists
  const marked: Created[] = [];
  const { type, deleted } = fakeType(marked);
  const create = jest.fn().mockRejectedValueOnce(internal()).mockImplementation(async () => {
    marked.push(A, B);
    return B;
  });

  // WHEN / THEN
  await expect(createOnce(caller(), type, 'm', create)).resolves.toEqual(B);
  expect(deleted).toEqual([A.arn]);
});

test('when time runs out with every answer unclear and nothing found, it fails for the rollback to look again (fake clock)', async () => {
  jest.useFakeTimers({ now: 0 });
  try {
    const { type } = fakeType([]);
    // each CreateRoom takes 100 ms and answers a 500
    const create = jest.fn(() => new Promise<never>((_, reject) => setTimeout(() => reject(internal()), 100)));
    // 300 ms, a quarter kept back: attempts at 0 and 100 ms answer 500; the one at 200 ms gets the 25 ms left and is abandoned
    const result = createOnce(new ServiceCaller(Deadline.in(300), () => 0), type, 'm', create).catch((err: Error) => err);
    await jest.advanceTimersByTimeAsync(300);
    const error = await result;
    expect(error).toBeInstanceOf(DeadlineError);
    expect(create).toHaveBeenCalledTimes(3);
    // every unclear attempt was followed by a lookup before anything was tried again
    expect((type.findMarked as jest.Mock).mock.calls.length).toBe(3);
  } finally {
    jest.useRealTimers();
  }
});

test('the rollback of a failed create deletes everything carrying its marker', async () => {
  const { type, deleted } = fakeType([A, B]);
  await expect(deleteMarked(caller(), type, 'm')).resolves.toEqual([A.arn, B.arn]);
  expect(deleted).toEqual([A.arn, B.arn]);
});
