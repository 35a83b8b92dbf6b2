import {
  AccessDeniedException,
  ConflictException,
  CreateRoomCommand,
  DeleteRoomCommand,
  IvschatClient,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  TagResourceCommand,
  ThrottlingException,
  UntagResourceCommand,
  UpdateRoomCommand,
  ValidationException,
} from '@aws-sdk/client-ivschat';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { eventFactory, Props } from './events';
import { Deadline } from '../../../src/handlers/provider/deadline';
import { ReasonError } from '../../../src/handlers/provider/errors';
import { markerValue } from '../../../src/handlers/provider/marker';
import {
  analyzeRoomUpdate, createRoom, deleteRoom, isReviewHandlerPermissionError, onRoomEvent, parseRoomProperties,
  PERMISSION_PROPAGATION, updateRoom,
} from '../../../src/handlers/provider/room';
import { ServiceCaller } from '../../../src/handlers/provider/service-call';

const ivschat = mockClient(IvschatClient);
const client = new IvschatClient({ region: 'us-east-1' });

const ROOM_ID = 'AbCdEf123456';
const ROOM_ARN = `arn:aws:ivschat:us-east-1:123456789012:room/${ROOM_ID}`;
const HANDLER_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:review';
const OTHER_HANDLER_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:review-v2';
const LOGGING_1 = 'arn:aws:ivschat:us-east-1:123456789012:logging-configuration/LogLogLog111';
const LOGGING_2 = 'arn:aws:ivschat:us-east-1:123456789012:logging-configuration/LogLogLog222';
/** Short waits so the permission-propagation retries finish in milliseconds. */
const FAST = { timeoutMs: 100, intervalMs: 5 };

const { createEvent, updateEvent, deleteEvent } = eventFactory('Custom::IvsChatRoom', 'Room', ROOM_ARN);
/** The marker tag the Create events above put on the room. */
/** The provider's own tags on what the Create makes: the request's marker and the ownership tag naming the stack. */
const MARKER = {
  'cdk-ivs-chat:cfn-request': markerValue(createEvent().StackId, 'Room', createEvent().RequestId),
  'cdk-ivs-chat:stack': createEvent().StackId,
};

function permissionError(): ValidationException {
  return new ValidationException({
    message: 'Messaging handler has invalid lambda permission', $metadata: {}, reason: 'OTHER',
  });
}

/** The room handler reads nothing: no call at all means no write call. */
function expectNoWrites(): void {
  expect(ivschat.calls()).toHaveLength(0);
  expect(ivschat).not.toHaveReceivedCommand(UpdateRoomCommand);
  expect(ivschat).not.toHaveReceivedCommand(TagResourceCommand);
  expect(ivschat).not.toHaveReceivedCommand(UntagResourceCommand);
}

beforeEach(() => {
  ivschat.reset();
  ivschat.on(CreateRoomCommand).resolves({ arn: ROOM_ARN, id: ROOM_ID });
  ivschat.on(UpdateRoomCommand).resolves({ arn: ROOM_ARN, id: ROOM_ID });
  ivschat.on(DeleteRoomCommand).resolves({});
  ivschat.on(TagResourceCommand).resolves({});
  ivschat.on(UntagResourceCommand).resolves({});
});

test('production waits about a minute for a new permission to propagate', () => {
  expect(PERMISSION_PROPAGATION.timeoutMs).toBeGreaterThanOrEqual(60_000);
  expect(PERMISSION_PROPAGATION.intervalMs).toBeLessThan(PERMISSION_PROPAGATION.timeoutMs);
});

describe('parseRoomProperties', () => {
  test('turns the strings CloudFormation sends into numbers', () => {
    // WHEN
    const props = parseRoomProperties({ MaximumMessageLength: '300', MaximumMessageRatePerSecond: '50' });

    // THEN
    expect(props.maximumMessageLength).toBe(300);
    expect(props.maximumMessageRatePerSecond).toBe(50);
  });

  test('fills in the API defaults', () => {
    expect(parseRoomProperties(undefined)).toEqual({
      name: '',
      maximumMessageLength: 500,
      maximumMessageRatePerSecond: 10,
      reviewHandlerUri: '',
      fallbackResult: 'ALLOW',
      loggingConfigurationIdentifiers: [],
      tags: {},
    });
  });

  test('an invalid number string is a clear reason', () => {
    expect(() => parseRoomProperties({ MaximumMessageLength: 'lots' }))
      .toThrow(new ReasonError('MaximumMessageLength must be an integer. Received "lots"'));
    expect(() => parseRoomProperties({ MaximumMessageRatePerSecond: '2.5' }))
      .toThrow('MaximumMessageRatePerSecond must be an integer. Received "2.5"');
  });

  test('an unknown fallback result is a clear reason', () => {
    expect(() => parseRoomProperties({ MessageReviewHandler: { Uri: HANDLER_ARN, FallbackResult: 'MAYBE' } }))
      .toThrow('MessageReviewHandler.FallbackResult must be ALLOW or DENY. Received "MAYBE"');
  });
});

describe('Create', () => {
  test('sends every property, with numbers as numbers', async () => {
    // WHEN
    const result = await onRoomEvent(client, createEvent({
      Name: 'lobby',
      MaximumMessageLength: '300',
      MaximumMessageRatePerSecond: '100',
      MessageReviewHandler: { Uri: HANDLER_ARN, FallbackResult: 'DENY' },
      LoggingConfigurationIdentifiers: [LOGGING_1, LOGGING_2],
      Tags: { team: 'chat', env: 'prod' },
    }), FAST);

    // THEN
    expect(ivschat).toHaveReceivedCommandTimes(CreateRoomCommand, 1);
    expect(ivschat).toHaveReceivedCommandWith(CreateRoomCommand, {
      name: 'lobby',
      maximumMessageLength: 300,
      maximumMessageRatePerSecond: 100,
      messageReviewHandler: { uri: HANDLER_ARN, fallbackResult: 'DENY' },
      loggingConfigurationIdentifiers: [LOGGING_1, LOGGING_2],
      tags: { team: 'chat', env: 'prod', ...MARKER },
    });
    expect(result).toEqual({ physicalResourceId: ROOM_ARN, data: { Arn: ROOM_ARN, Id: ROOM_ID } });
    // Tags go with CreateRoom: no separate tag call.
    expect(ivschat).not.toHaveReceivedCommand(TagResourceCommand);
  });

  test('without properties sends no name, handler, logging configurations or tags but the marker', async () => {
    // WHEN
    const result = await onRoomEvent(client, createEvent(), FAST);

    // THEN
    const input = ivschat.commandCalls(CreateRoomCommand)[0].args[0].input;
    expect(input).toEqual({
      name: undefined,
      maximumMessageLength: 500,
      maximumMessageRatePerSecond: 10,
      messageReviewHandler: undefined,
      loggingConfigurationIdentifiers: undefined,
      tags: MARKER,
    });
    expect(result.physicalResourceId).toBe(ROOM_ARN);
  });

  test('a handler without a fallback result is sent with ALLOW', async () => {
    await createRoom(client, parseRoomProperties({ MessageReviewHandler: { Uri: HANDLER_ARN } }), 'marker', FAST);
    expect(ivschat).toHaveReceivedCommandWith(CreateRoomCommand, {
      messageReviewHandler: { uri: HANDLER_ARN, fallbackResult: 'ALLOW' },
    });
  });

  test('a service error becomes one line naming the operation and the service message', async () => {
    // GIVEN
    ivschat.on(CreateRoomCommand).rejects(new ServiceQuotaExceededException({
      message: 'You have reached the room quota', $metadata: {}, resourceId: 'x', resourceType: 'ROOM', limit: 1000,
    }));

    // WHEN
    const error = await onRoomEvent(client, createEvent({ Name: 'lobby' }), FAST).catch((err: Error) => err);

    // THEN
    expect(error).toBeInstanceOf(ReasonError);
    expect((error as Error).message).toBe('CreateRoom failed: ServiceQuotaExceededException: You have reached the room quota');
    expect((error as Error).message).not.toContain('\n');
  });

  test('an invalid number string fails before any call', async () => {
    await expect(onRoomEvent(client, createEvent({ MaximumMessageLength: 'ten' }), FAST))
      .rejects.toThrow('MaximumMessageLength must be an integer. Received "ten"');
    expectNoWrites();
  });

  test('a response without an arn is a failure', async () => {
    ivschat.on(CreateRoomCommand).resolves({});
    await expect(onRoomEvent(client, createEvent(), FAST)).rejects.toThrow('CreateRoom failed: the response has no arn or id');
  });

  describe('review handler permission propagation', () => {
    test('retries "invalid lambda permission" until the permission has propagated', async () => {
      // GIVEN
      ivschat.on(CreateRoomCommand)
        .rejectsOnce(permissionError())
        .rejectsOnce(permissionError())
        .resolves({ arn: ROOM_ARN, id: ROOM_ID });

      // WHEN
      const result = await onRoomEvent(client, createEvent({ MessageReviewHandler: { Uri: HANDLER_ARN } }), FAST);

      // THEN
      expect(ivschat).toHaveReceivedCommandTimes(CreateRoomCommand, 3);
      expect(result.physicalResourceId).toBe(ROOM_ARN);
    });

    test('recognises the error when the service puts it in the field list', async () => {
      const err = new ValidationException({
        message: 'Validation failed',
        $metadata: {},
        reason: 'FIELD_VALIDATION_FAILED',
        fieldList: [{ name: 'messageReviewHandler.uri', message: 'invalid lambda permission' }],
      });
      expect(isReviewHandlerPermissionError(err)).toBe(true);
      expect(isReviewHandlerPermissionError(new ValidationException({ message: 'name too long', $metadata: {}, reason: 'OTHER' })))
        .toBe(false);
      expect(isReviewHandlerPermissionError(new AccessDeniedException({ message: 'invalid lambda permission', $metadata: {} })))
        .toBe(false);
    });

    test('a permission that never works fails clearly, naming the permission', async () => {
      // GIVEN
      ivschat.on(CreateRoomCommand).rejects(permissionError());

      // WHEN
      const error = await onRoomEvent(client, createEvent({ MessageReviewHandler: { Uri: HANDLER_ARN } }), FAST)
        .catch((err: Error) => err);

      // THEN
      const message = (error as Error).message;
      expect(error).toBeInstanceOf(ReasonError);
      expect(message).toMatch(/^CreateRoom failed: IVS Chat cannot invoke the message review handler/);
      expect(message).toContain(HANDLER_ARN);
      expect(message).toContain('ivschat.amazonaws.com');
      expect(message).toContain('lambda:InvokeFunction');
      expect(message).toContain('invalid lambda permission');
      expect(message).not.toContain('\n');
      expect(ivschat.commandCalls(CreateRoomCommand).length).toBeGreaterThan(1);
    });

    test('other validation errors are not retried', async () => {
      ivschat.on(CreateRoomCommand).rejects(new ValidationException({ message: 'name is invalid', $metadata: {}, reason: 'OTHER' }));
      await expect(onRoomEvent(client, createEvent({ Name: 'x' }), FAST))
        .rejects.toThrow('CreateRoom failed: ValidationException: name is invalid');
      expect(ivschat).toHaveReceivedCommandTimes(CreateRoomCommand, 1);
    });
  });
});

describe('Update', () => {
  const base: Props = {
    Name: 'lobby',
    MaximumMessageLength: '300',
    MaximumMessageRatePerSecond: '20',
    MessageReviewHandler: { Uri: HANDLER_ARN, FallbackResult: 'ALLOW' },
    LoggingConfigurationIdentifiers: [LOGGING_1],
    Tags: { team: 'chat' },
  };

  test.each<[string, Props, Record<string, unknown>]>([
    ['name', { Name: 'hall' }, { name: 'hall' }],
    ['name removed', { Name: undefined }, { name: '' }],
    ['maximum message length', { MaximumMessageLength: '400' }, { maximumMessageLength: 400 }],
    ['maximum message length back to the default', { MaximumMessageLength: undefined }, { maximumMessageLength: 500 }],
    ['maximum message rate', { MaximumMessageRatePerSecond: '100' }, { maximumMessageRatePerSecond: 100 }],
    ['handler changed', { MessageReviewHandler: { Uri: OTHER_HANDLER_ARN, FallbackResult: 'ALLOW' } },
      { messageReviewHandler: { uri: OTHER_HANDLER_ARN, fallbackResult: 'ALLOW' } }],
    ['fallback result', { MessageReviewHandler: { Uri: HANDLER_ARN, FallbackResult: 'DENY' } },
      { messageReviewHandler: { uri: HANDLER_ARN, fallbackResult: 'DENY' } }],
    ['handler removed', { MessageReviewHandler: undefined }, { messageReviewHandler: { uri: '' } }],
    ['logging configuration added', { LoggingConfigurationIdentifiers: [LOGGING_1, LOGGING_2] },
      { loggingConfigurationIdentifiers: [LOGGING_1, LOGGING_2] }],
    ['logging configurations removed', { LoggingConfigurationIdentifiers: undefined }, { loggingConfigurationIdentifiers: [] }],
  ])('%s: UpdateRoom with only that field', async (_, change, expected) => {
    // WHEN
    const result = await onRoomEvent(client, updateEvent(base, { ...base, ...change }), FAST);

    // THEN
    expect(ivschat).toHaveReceivedCommandTimes(UpdateRoomCommand, 1);
    expect(ivschat.commandCalls(UpdateRoomCommand)[0].args[0].input).toEqual({ identifier: ROOM_ARN, ...expected });
    expect(ivschat).not.toHaveReceivedCommand(TagResourceCommand);
    expect(ivschat).not.toHaveReceivedCommand(UntagResourceCommand);
    expect(ivschat).not.toHaveReceivedCommand(CreateRoomCommand);
    expect(ivschat).not.toHaveReceivedCommand(DeleteRoomCommand);
    expect(result).toEqual({ physicalResourceId: ROOM_ARN, data: { Arn: ROOM_ARN, Id: ROOM_ID } });
  });

  test('handler set on a room that had none', async () => {
    const { MessageReviewHandler: _, ...withoutHandler } = base;
    await onRoomEvent(client, updateEvent(withoutHandler, { ...withoutHandler, MessageReviewHandler: { Uri: HANDLER_ARN } }), FAST);
    expect(ivschat.commandCalls(UpdateRoomCommand)[0].args[0].input).toEqual({
      identifier: ROOM_ARN, messageReviewHandler: { uri: HANDLER_ARN, fallbackResult: 'ALLOW' },
    });
  });

  test('the same numbers written differently are no change', async () => {
    await onRoomEvent(client, updateEvent(base, { ...base, MaximumMessageLength: 300 }), FAST);
    expectNoWrites();
  });

  test('a no-op update makes no write call and keeps the physical id', async () => {
    // WHEN
    const result = await onRoomEvent(client, updateEvent(base, { ...base }), FAST);

    // THEN
    expectNoWrites();
    expect(result).toEqual({ physicalResourceId: ROOM_ARN, data: { Arn: ROOM_ARN, Id: ROOM_ID } });
  });

  test('tags: added and changed with TagResource, removed with UntagResource, nothing else', async () => {
    // WHEN
    await onRoomEvent(client, updateEvent(
      { ...base, Tags: { keep: '1', change: 'old', drop: 'x' } },
      { ...base, Tags: { keep: '1', change: 'new', added: 'y' } }), FAST);

    // THEN
    expect(ivschat).toHaveReceivedCommandTimes(TagResourceCommand, 1);
    expect(ivschat.commandCalls(TagResourceCommand)[0].args[0].input).toEqual({
      resourceArn: ROOM_ARN, tags: { change: 'new', added: 'y' },
    });
    expect(ivschat).toHaveReceivedCommandTimes(UntagResourceCommand, 1);
    expect(ivschat.commandCalls(UntagResourceCommand)[0].args[0].input).toEqual({ resourceArn: ROOM_ARN, tagKeys: ['drop'] });
    expect(ivschat).not.toHaveReceivedCommand(UpdateRoomCommand);
  });

  test('tags: only removals make no TagResource call', async () => {
    await onRoomEvent(client, updateEvent({ ...base, Tags: { a: '1', b: '2' } }, { ...base, Tags: undefined }), FAST);
    expect(ivschat).toHaveReceivedCommandWith(UntagResourceCommand, { resourceArn: ROOM_ARN, tagKeys: ['a', 'b'] });
    expect(ivschat).not.toHaveReceivedCommand(TagResourceCommand);
  });

  test('tags: only additions make no UntagResource call', async () => {
    await onRoomEvent(client, updateEvent({ ...base, Tags: undefined }, { ...base, Tags: { a: '1' } }), FAST);
    expect(ivschat).toHaveReceivedCommandWith(TagResourceCommand, { resourceArn: ROOM_ARN, tags: { a: '1' } });
    expect(ivschat).not.toHaveReceivedCommand(UntagResourceCommand);
  });

  test('a room change and a tag change make both calls', async () => {
    await onRoomEvent(client, updateEvent(base, { ...base, Name: 'hall', Tags: { team: 'video' } }), FAST);
    expect(ivschat).toHaveReceivedCommandWith(UpdateRoomCommand, { identifier: ROOM_ARN, name: 'hall' });
    expect(ivschat).toHaveReceivedCommandWith(TagResourceCommand, { resourceArn: ROOM_ARN, tags: { team: 'video' } });
  });

  test('a new handler is retried while its permission propagates', async () => {
    ivschat.on(UpdateRoomCommand).rejectsOnce(permissionError()).resolves({ arn: ROOM_ARN });
    await onRoomEvent(client, updateEvent(base, { ...base, MessageReviewHandler: { Uri: OTHER_HANDLER_ARN } }), FAST);
    expect(ivschat).toHaveReceivedCommandTimes(UpdateRoomCommand, 2);
  });

  test('a permission that never works fails clearly on update', async () => {
    ivschat.on(UpdateRoomCommand).rejects(permissionError());
    await expect(onRoomEvent(client, updateEvent(base, { ...base, MessageReviewHandler: { Uri: OTHER_HANDLER_ARN } }), FAST))
      .rejects.toThrow(/^UpdateRoom failed: IVS Chat cannot invoke the message review handler arn:aws:lambda:us-east-1:123456789012:function:review-v2/);
  });

  test('an UpdateRoom error names the operation and the service message', async () => {
    ivschat.on(UpdateRoomCommand).rejects(new ResourceNotFoundException({
      message: 'Room not found', $metadata: {}, resourceId: ROOM_ID, resourceType: 'ROOM',
    }));
    await expect(onRoomEvent(client, updateEvent(base, { ...base, Name: 'hall' }), FAST))
      .rejects.toThrow(new ReasonError('UpdateRoom failed: ResourceNotFoundException: Room not found'));
  });

  test('a tag error names the operation; throttling is retried until the deadline, then named too', async () => {
    ivschat.on(TagResourceCommand).rejects(new ThrottlingException({
      message: 'Rate exceeded', $metadata: {}, resourceId: ROOM_ARN, resourceType: 'ROOM', limit: 10,
    }));
    await expect(onRoomEvent(client, updateEvent(base, { ...base, Tags: { team: 'x' } }), FAST, new ServiceCaller(Deadline.in(1_500))))
      .rejects.toThrow('TagResource was still throttled when the time ran out (ThrottlingException: Rate exceeded)');
    expect(ivschat.commandCalls(TagResourceCommand).length).toBeGreaterThan(1);
    ivschat.on(UntagResourceCommand).rejects(new AccessDeniedException({ message: 'Denied', $metadata: {} }));
    await expect(onRoomEvent(client, updateEvent(base, { ...base, Tags: undefined }), FAST))
      .rejects.toThrow('UntagResource failed: AccessDeniedException: Denied');
  });

  test('an invalid new number fails before any call', async () => {
    await expect(onRoomEvent(client, updateEvent(base, { ...base, MaximumMessageRatePerSecond: 'fast' }), FAST))
      .rejects.toThrow('MaximumMessageRatePerSecond must be an integer. Received "fast"');
    expectNoWrites();
  });

  test('a physical id that is not a room ARN fails without a call', async () => {
    await expect(updateRoom(client, 'failed-create-req-0', parseRoomProperties(base), parseRoomProperties({ ...base, Name: 'x' }), FAST))
      .rejects.toThrow('its physical id is not an IVS Chat room ARN');
    expectNoWrites();
  });
});

describe('analyzeRoomUpdate', () => {
  test('a fallback result without a handler changes nothing', () => {
    const update = analyzeRoomUpdate(
      parseRoomProperties({}),
      parseRoomProperties({ MessageReviewHandler: { FallbackResult: 'DENY' } }));
    expect(update.roomChanges).toBeUndefined();
  });

  test('removing the handler sends only an empty uri, whatever the old fallback', () => {
    const update = analyzeRoomUpdate(
      parseRoomProperties({ MessageReviewHandler: { Uri: HANDLER_ARN, FallbackResult: 'DENY' } }),
      parseRoomProperties({}));
    expect(update.roomChanges).toEqual({ messageReviewHandler: { uri: '' } });
  });
});

describe('Delete', () => {
  test('deletes the room by its ARN', async () => {
    const result = await onRoomEvent(client, deleteEvent(), FAST);
    expect(ivschat).toHaveReceivedCommandTimes(DeleteRoomCommand, 1);
    expect(ivschat).toHaveReceivedCommandWith(DeleteRoomCommand, { identifier: ROOM_ARN });
    expect(result.physicalResourceId).toBe(ROOM_ARN);
  });

  test('a room that is already gone is success', async () => {
    ivschat.on(DeleteRoomCommand).rejects(new ResourceNotFoundException({
      message: 'x', $metadata: {}, resourceId: ROOM_ID, resourceType: 'ROOM',
    }));
    await expect(onRoomEvent(client, deleteEvent(), FAST)).resolves.toEqual({ physicalResourceId: ROOM_ARN });
  });

  test.each([
    ['a failed create marker', 'failed-create-req-0'],
    ['a bare id', ROOM_ID],
    ['a logging configuration ARN', LOGGING_1],
  ])('of %s makes no call at all', async (_, physicalId) => {
    await expect(deleteRoom(client, physicalId)).resolves.toEqual({ physicalResourceId: physicalId });
    expect(ivschat.calls()).toHaveLength(0);
  });

  test('another error fails, naming the operation and the service message', async () => {
    ivschat.on(DeleteRoomCommand).rejects(new ConflictException({
      message: 'Room is busy', $metadata: {}, resourceId: ROOM_ID, resourceType: 'ROOM',
    }));
    await expect(onRoomEvent(client, deleteEvent(), FAST))
      .rejects.toThrow(new ReasonError('DeleteRoom failed: ConflictException: Room is busy'));
  });

  test('ignores the properties: a bad number does not block a delete', async () => {
    await expect(onRoomEvent(client, deleteEvent(ROOM_ARN, { MaximumMessageLength: 'bad' }), FAST)).resolves.toEqual({ physicalResourceId: ROOM_ARN });
    expect(ivschat).toHaveReceivedCommandTimes(DeleteRoomCommand, 1);
  });
});
