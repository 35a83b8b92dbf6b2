import {
  AccessDeniedException,
  ConflictException,
  CreateLoggingConfigurationCommand,
  DeleteLoggingConfigurationCommand,
  GetLoggingConfigurationCommand,
  IvschatClient,
  ListLoggingConfigurationsCommand,
  ListRoomsCommand,
  ResourceNotFoundException,
  ResourceType,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateLoggingConfigurationCommand,
} from '@aws-sdk/client-ivschat';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { eventFactory } from './events';
import { CreatedButFailedError } from '../../../src/handlers/provider/create-once';
import { ReasonError } from '../../../src/handlers/provider/errors';
import {
  analyzeLoggingConfigurationUpdate, LOGGING_CONFIGURATION_WAITS, NOT_FOUND_TOLERANCE, LoggingConfigurationWaits, onLoggingConfigurationEvent,
  parseDestination, parseLoggingConfigurationProperties,
} from '../../../src/handlers/provider/logging-configuration';
import { markerValue } from '../../../src/handlers/provider/marker';

const ivschat = mockClient(IvschatClient);
const client = new IvschatClient({ region: 'us-east-1' });

const CONFIG_ID = 'LogCfg123456';
const CONFIG_ARN = `arn:aws:ivschat:us-east-1:123456789012:logging-configuration/${CONFIG_ID}`;
const ROOM_ARN = 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456';
/** Short waits so polling and conflict retries finish in milliseconds. */
const FAST: LoggingConfigurationWaits = {
  stable: { timeoutMs: 100, intervalMs: 5 },
  conflict: { timeoutMs: 60, intervalMs: 5 },
};

const S3 = { S3: { BucketName: 'chat-logs' } };
const LOGS = { CloudWatchLogs: { LogGroupName: '/ivs/chat' } };
const FIREHOSE = { Firehose: { DeliveryStreamName: 'chat-stream' } };

const { createEvent, updateEvent, deleteEvent } = eventFactory('Custom::IvsChatLoggingConfiguration', 'Logging', CONFIG_ARN, { DestinationConfiguration: S3 });
/** The marker tag the Create events above put on the configuration. */
/** The provider's own tags on what the Create makes: the request's marker and the ownership tag naming the stack. */
const MARKER = {
  'cdk-ivs-chat:cfn-request': markerValue(createEvent().StackId, 'Logging', createEvent().RequestId),
  'cdk-ivs-chat:stack': createEvent().StackId,
};

// The SDK's ResourceType enum lists only ROOM; the service names logging configurations too.
const LOGGING_CONFIGURATION = 'LOGGING_CONFIGURATION' as ResourceType;
const conflict = () => new ConflictException({
  message: 'Logging configuration is attached to a room', $metadata: {}, resourceId: CONFIG_ID, resourceType: LOGGING_CONFIGURATION,
});
const notFound = () => new ResourceNotFoundException({
  message: 'Logging configuration not found', $metadata: {}, resourceId: CONFIG_ID, resourceType: LOGGING_CONFIGURATION,
});

beforeEach(() => {
  ivschat.reset();
});

describe('Create', () => {
  test('waits through CREATING until ACTIVE and reports Arn, Id and State', async () => {
    // GIVEN
    ivschat.on(CreateLoggingConfigurationCommand).resolves({ arn: CONFIG_ARN, id: CONFIG_ID, state: 'ACTIVE' });
    ivschat.on(GetLoggingConfigurationCommand)
      .resolvesOnce({ arn: CONFIG_ARN, state: 'CREATING' })
      .resolvesOnce({ arn: CONFIG_ARN, state: 'CREATING' })
      .resolves({ arn: CONFIG_ARN, state: 'ACTIVE' });

    // WHEN
    const result = await onLoggingConfigurationEvent(client,
      createEvent({ Name: 'chat-logs', DestinationConfiguration: S3, Tags: { team: 'chat' } }), FAST);

    // THEN
    expect(result).toEqual({
      physicalResourceId: CONFIG_ARN,
      data: { Arn: CONFIG_ARN, Id: CONFIG_ID, State: 'ACTIVE' },
    });
    expect(ivschat).toHaveReceivedCommandWith(CreateLoggingConfigurationCommand, {
      name: 'chat-logs',
      destinationConfiguration: { s3: { bucketName: 'chat-logs' } },
      tags: { team: 'chat', ...MARKER },
    });
    expect(ivschat).toHaveReceivedCommandTimes(GetLoggingConfigurationCommand, 3);
    expect(ivschat).not.toHaveReceivedCommand(DeleteLoggingConfigurationCommand);
  });

  test('sends no name and no tags but the marker when there are none, and maps each destination type', async () => {
    // GIVEN
    ivschat.on(CreateLoggingConfigurationCommand).resolves({ arn: CONFIG_ARN, id: CONFIG_ID });
    ivschat.on(GetLoggingConfigurationCommand).resolves({ state: 'ACTIVE' });

    // WHEN
    await onLoggingConfigurationEvent(client, createEvent({ DestinationConfiguration: LOGS }), FAST);
    await onLoggingConfigurationEvent(client, createEvent({ Name: '', DestinationConfiguration: FIREHOSE }), FAST);

    // THEN
    const inputs = ivschat.commandCalls(CreateLoggingConfigurationCommand).map((c) => c.args[0].input);
    expect(inputs).toEqual([
      { name: undefined, destinationConfiguration: { cloudWatchLogs: { logGroupName: '/ivs/chat' } }, tags: MARKER },
      { name: undefined, destinationConfiguration: { firehose: { deliveryStreamName: 'chat-stream' } }, tags: MARKER },
    ]);
  });

  test('CREATE_FAILED fails with a reason naming the destination and the ARN as physical id, for the rollback to delete', async () => {
    // GIVEN
    ivschat.on(CreateLoggingConfigurationCommand).resolves({ arn: CONFIG_ARN, id: CONFIG_ID });
    ivschat.on(GetLoggingConfigurationCommand)
      .resolvesOnce({ state: 'CREATING' })
      .resolves({ state: 'CREATE_FAILED' });

    // WHEN
    const error = await onLoggingConfigurationEvent(client, createEvent({ DestinationConfiguration: S3 }), FAST).catch((err: Error) => err);

    // THEN
    expect(error).toBeInstanceOf(CreatedButFailedError);
    expect((error as CreatedButFailedError).physicalResourceId).toBe(CONFIG_ARN);
    expect((error as Error).message).toBe(
      `Logging configuration ${CONFIG_ARN} is CREATE_FAILED: IVS Chat could not set up log delivery to S3 BucketName "chat-logs". ` +
      'Check that the destination exists in this account and region and that its policy lets delivery.logs.amazonaws.com write to it');
    expect(ivschat).not.toHaveReceivedCommand(DeleteLoggingConfigurationCommand);
  });

  test('a create still CREATING at the timeout fails with its ARN as physical id', async () => {
    // GIVEN
    ivschat.on(CreateLoggingConfigurationCommand).resolves({ arn: CONFIG_ARN, id: CONFIG_ID });
    ivschat.on(GetLoggingConfigurationCommand).resolves({ state: 'CREATING' });

    // WHEN
    const error = await onLoggingConfigurationEvent(client, createEvent({ DestinationConfiguration: LOGS }), FAST).catch((err: Error) => err);

    // THEN
    expect(error).toMatchObject({ physicalResourceId: CONFIG_ARN });
    expect((error as Error).message).toContain(`Logging configuration ${CONFIG_ARN} is still CREATING after 0 s`);
    expect(ivschat).not.toHaveReceivedCommand(DeleteLoggingConfigurationCommand);
  });

  test(`not found right after the create is read again, up to ${NOT_FOUND_TOLERANCE} times in a row`, async () => {
    // GIVEN reads that lag behind the create
    const slow = { stable: { timeoutMs: 5_000, intervalMs: 1 }, conflict: FAST.conflict };
    ivschat.on(CreateLoggingConfigurationCommand).resolves({ arn: CONFIG_ARN, id: CONFIG_ID });
    let get = ivschat.on(GetLoggingConfigurationCommand);
    for (let i = 0; i < NOT_FOUND_TOLERANCE; i++) get = get.rejectsOnce(notFound());
    get.resolves({ state: 'ACTIVE' });

    // WHEN
    const result = await onLoggingConfigurationEvent(client, createEvent({ DestinationConfiguration: S3 }), slow);

    // THEN
    expect(result.data).toEqual({ Arn: CONFIG_ARN, Id: CONFIG_ID, State: 'ACTIVE' });
    expect(ivschat).toHaveReceivedCommandTimes(GetLoggingConfigurationCommand, NOT_FOUND_TOLERANCE + 1);

    // AND one more not-found read than that is a failure naming it
    ivschat.reset();
    ivschat.on(CreateLoggingConfigurationCommand).resolves({ arn: CONFIG_ARN, id: CONFIG_ID });
    ivschat.on(GetLoggingConfigurationCommand).rejects(notFound());
    await expect(onLoggingConfigurationEvent(client, createEvent({ DestinationConfiguration: S3 }), slow))
      .rejects.toThrow(`logging configuration ${CONFIG_ARN} was not found ${NOT_FOUND_TOLERANCE + 1} times in a row`);
  });

  test('a failed CreateLoggingConfiguration names the operation and deletes nothing', async () => {
    // GIVEN
    ivschat.on(CreateLoggingConfigurationCommand).rejects(new AccessDeniedException({ message: 'no logs:CreateLogDelivery', $metadata: {} }));

    // WHEN / THEN
    await expect(onLoggingConfigurationEvent(client, createEvent({ DestinationConfiguration: S3 }), FAST))
      .rejects.toThrow('CreateLoggingConfiguration failed: AccessDeniedException: no logs:CreateLogDelivery');
    expect(ivschat).not.toHaveReceivedCommand(DeleteLoggingConfigurationCommand);
  });
});

describe('Update', () => {
  test('changes the destination type in place and waits through UPDATING', async () => {
    // GIVEN
    ivschat.on(UpdateLoggingConfigurationCommand).resolves({ arn: CONFIG_ARN, state: 'ACTIVE' });
    ivschat.on(GetLoggingConfigurationCommand).resolvesOnce({ state: 'UPDATING' }).resolves({ state: 'ACTIVE' });

    // WHEN
    const result = await onLoggingConfigurationEvent(client,
      updateEvent({ Name: 'logs', DestinationConfiguration: S3 }, { Name: 'logs', DestinationConfiguration: FIREHOSE }), FAST);

    // THEN
    expect(ivschat).toHaveReceivedCommandTimes(UpdateLoggingConfigurationCommand, 1);
    expect(ivschat.commandCalls(UpdateLoggingConfigurationCommand)[0].args[0].input).toEqual({
      identifier: CONFIG_ARN,
      destinationConfiguration: { firehose: { deliveryStreamName: 'chat-stream' } },
    });
    expect(ivschat).toHaveReceivedCommandTimes(GetLoggingConfigurationCommand, 2);
    expect(result).toEqual({ physicalResourceId: CONFIG_ARN, data: { Arn: CONFIG_ARN, Id: CONFIG_ID, State: 'ACTIVE' } });
  });

  test('an ACTIVE read that still shows the old destination is not taken for the update', async () => {
    // GIVEN a first read from before the update took effect
    ivschat.on(UpdateLoggingConfigurationCommand).resolves({});
    ivschat.on(GetLoggingConfigurationCommand)
      .resolvesOnce({ state: 'ACTIVE', destinationConfiguration: { s3: { bucketName: 'chat-logs' } } })
      .resolves({ state: 'ACTIVE', destinationConfiguration: { firehose: { deliveryStreamName: 'chat-stream' } } });

    // WHEN
    await onLoggingConfigurationEvent(client, updateEvent({ DestinationConfiguration: S3 }, { DestinationConfiguration: FIREHOSE }), FAST);

    // THEN
    expect(ivschat).toHaveReceivedCommandTimes(GetLoggingConfigurationCommand, 2);
  });

  test('a new name alone sends only the name', async () => {
    // GIVEN
    ivschat.on(UpdateLoggingConfigurationCommand).resolves({});
    ivschat.on(GetLoggingConfigurationCommand).resolves({ state: 'ACTIVE' });

    // WHEN
    await onLoggingConfigurationEvent(client,
      updateEvent({ Name: 'old', DestinationConfiguration: LOGS }, { Name: 'new', DestinationConfiguration: LOGS }), FAST);

    // THEN
    expect(ivschat.commandCalls(UpdateLoggingConfigurationCommand)[0].args[0].input).toEqual({ identifier: CONFIG_ARN, name: 'new' });
  });

  test('a destination of the same type but another name is a change', async () => {
    // GIVEN
    ivschat.on(UpdateLoggingConfigurationCommand).resolves({});
    ivschat.on(GetLoggingConfigurationCommand).resolves({ state: 'ACTIVE' });

    // WHEN
    await onLoggingConfigurationEvent(client, updateEvent(
      { DestinationConfiguration: S3 }, { DestinationConfiguration: { S3: { BucketName: 'other-bucket' } } }), FAST);

    // THEN
    expect(ivschat).toHaveReceivedCommandWith(UpdateLoggingConfigurationCommand, {
      identifier: CONFIG_ARN, destinationConfiguration: { s3: { bucketName: 'other-bucket' } },
    });
  });

  test('UPDATE_FAILED fails the update with a clear reason', async () => {
    // GIVEN
    ivschat.on(UpdateLoggingConfigurationCommand).resolves({});
    ivschat.on(GetLoggingConfigurationCommand).resolves({ state: 'UPDATE_FAILED' });

    // WHEN / THEN
    await expect(onLoggingConfigurationEvent(client,
      updateEvent({ DestinationConfiguration: S3 }, { DestinationConfiguration: LOGS }), FAST))
      .rejects.toThrow(`Logging configuration ${CONFIG_ARN} is UPDATE_FAILED: IVS Chat could not set up log delivery to ` +
        'CloudWatchLogs LogGroupName "/ivs/chat"');
  });

  test('only tags changed: UntagResource and TagResource with the diff, no UpdateLoggingConfiguration, the state read', async () => {
    // GIVEN
    ivschat.on(UntagResourceCommand).resolves({});
    ivschat.on(TagResourceCommand).resolves({});
    ivschat.on(GetLoggingConfigurationCommand).resolves({ state: 'ACTIVE' });

    // WHEN
    await onLoggingConfigurationEvent(client, updateEvent(
      { DestinationConfiguration: S3, Tags: { keep: '1', change: 'a', drop: 'x' } },
      { DestinationConfiguration: S3, Tags: { keep: '1', change: 'b', add: 'y' } }), FAST);

    // THEN
    expect(ivschat).toHaveReceivedCommandWith(UntagResourceCommand, { resourceArn: CONFIG_ARN, tagKeys: ['drop'] });
    expect(ivschat).toHaveReceivedCommandWith(TagResourceCommand, { resourceArn: CONFIG_ARN, tags: { change: 'b', add: 'y' } });
    expect(ivschat).not.toHaveReceivedCommand(UpdateLoggingConfigurationCommand);
    expect(ivschat).toHaveReceivedCommandTimes(GetLoggingConfigurationCommand, 1);
  });

  test('nothing changed: no write call, and the State attribute is what Get reports', async () => {
    // GIVEN
    const props = { Name: 'logs', DestinationConfiguration: FIREHOSE, Tags: { team: 'chat' } };
    ivschat.on(GetLoggingConfigurationCommand).resolves({ state: 'ACTIVE' });

    // WHEN
    const result = await onLoggingConfigurationEvent(client, updateEvent(props, { ...props }), FAST);

    // THEN
    expect(ivschat.calls().map((c) => c.args[0].constructor.name)).toEqual(['GetLoggingConfigurationCommand']);
    expect(result).toEqual({ physicalResourceId: CONFIG_ARN, data: { Arn: CONFIG_ARN, Id: CONFIG_ID, State: 'ACTIVE' } });
  });

  test('retries UpdateLoggingConfiguration while the configuration is busy', async () => {
    // GIVEN
    ivschat.on(UpdateLoggingConfigurationCommand).rejectsOnce(conflict()).resolves({});
    ivschat.on(GetLoggingConfigurationCommand).resolves({ state: 'ACTIVE' });

    // WHEN
    await onLoggingConfigurationEvent(client, updateEvent({ Name: 'a', DestinationConfiguration: S3 }, { Name: 'b', DestinationConfiguration: S3 }), FAST);

    // THEN
    expect(ivschat).toHaveReceivedCommandTimes(UpdateLoggingConfigurationCommand, 2);
  });

  test('a physical id that is not a logging-configuration ARN cannot be updated', async () => {
    // WHEN / THEN
    await expect(onLoggingConfigurationEvent(client,
      updateEvent({ DestinationConfiguration: S3 }, { DestinationConfiguration: LOGS }, ROOM_ARN), FAST))
      .rejects.toThrow('is not an IVS Chat logging-configuration ARN');
    expect(ivschat).not.toHaveReceivedCommand(UpdateLoggingConfigurationCommand);
  });
});

describe('Delete', () => {
  test('deletes and waits until the configuration is gone', async () => {
    // GIVEN
    ivschat.on(DeleteLoggingConfigurationCommand).resolves({});
    ivschat.on(GetLoggingConfigurationCommand).resolvesOnce({ state: 'DELETING' }).rejects(notFound());

    // WHEN
    const result = await onLoggingConfigurationEvent(client, deleteEvent(), FAST);

    // THEN
    expect(result).toEqual({ physicalResourceId: CONFIG_ARN });
    expect(ivschat).toHaveReceivedCommandWith(DeleteLoggingConfigurationCommand, { identifier: CONFIG_ARN });
    expect(ivschat).toHaveReceivedCommandTimes(GetLoggingConfigurationCommand, 2);
  });

  test('a configuration that is already gone is success', async () => {
    // GIVEN
    ivschat.on(DeleteLoggingConfigurationCommand).rejects(notFound());

    // WHEN
    const result = await onLoggingConfigurationEvent(client, deleteEvent(), FAST);

    // THEN
    expect(result).toEqual({ physicalResourceId: CONFIG_ARN });
    expect(ivschat).not.toHaveReceivedCommand(GetLoggingConfigurationCommand);
  });

  test('the physical id of a room ARN is success without any call', async () => {
    // WHEN
    const result = await onLoggingConfigurationEvent(client, deleteEvent(ROOM_ARN), FAST);

    // THEN
    expect(result).toEqual({ physicalResourceId: ROOM_ARN });
    expect(ivschat.calls()).toHaveLength(0);
  });

  test('the Delete of a failed create deletes what carries that create\'s marker, and nothing else', async () => {
    // GIVEN the Create req-1 made one configuration (the marker of req-1) before it failed
    const OTHER_ARN = CONFIG_ARN.replace(CONFIG_ID, 'Other1234567');
    ivschat.on(ListLoggingConfigurationsCommand).resolves({
      loggingConfigurations: [
        { arn: OTHER_ARN, id: 'Other1234567', tags: { 'cdk-ivs-chat:cfn-request': 'another request' } },
        { arn: CONFIG_ARN, id: CONFIG_ID, tags: MARKER },
      ],
    });
    ivschat.on(DeleteLoggingConfigurationCommand).resolves({});
    ivschat.on(GetLoggingConfigurationCommand).rejects(notFound());

    // WHEN
    const result = await onLoggingConfigurationEvent(client, deleteEvent('failed-create-req-1'), FAST);

    // THEN
    expect(result).toEqual({ physicalResourceId: 'failed-create-req-1' });
    expect(ivschat.commandCalls(DeleteLoggingConfigurationCommand).map((c) => c.args[0].input)).toEqual([{ identifier: CONFIG_ARN }]);
  });

  test('retries ConflictException while a room detaches the configuration, then succeeds', async () => {
    // GIVEN
    ivschat.on(DeleteLoggingConfigurationCommand).rejectsOnce(conflict()).rejectsOnce(conflict()).resolves({});
    ivschat.on(GetLoggingConfigurationCommand).rejects(notFound());

    // WHEN
    const result = await onLoggingConfigurationEvent(client, deleteEvent(), FAST);

    // THEN
    expect(result).toEqual({ physicalResourceId: CONFIG_ARN });
    expect(ivschat).toHaveReceivedCommandTimes(DeleteLoggingConfigurationCommand, 3);
    expect(ivschat).not.toHaveReceivedCommand(ListRoomsCommand);
  });

  test('a conflict that outlasts the retries fails with a reason naming the room still using it', async () => {
    // GIVEN
    ivschat.on(DeleteLoggingConfigurationCommand).rejects(conflict());
    ivschat.on(ListRoomsCommand, { loggingConfigurationIdentifier: CONFIG_ARN })
      .resolves({ rooms: [{ arn: ROOM_ARN, name: 'lobby', loggingConfigurationIdentifiers: [CONFIG_ARN] }] });

    // WHEN
    const run = onLoggingConfigurationEvent(client, deleteEvent(), FAST);

    // THEN
    await expect(run).rejects.toThrow(ReasonError);
    await expect(run).rejects.toThrow(`Logging configuration ${CONFIG_ARN} is still used by room(s) ${ROOM_ARN} (lobby): ` +
      'remove it from their loggingConfigurations first');
    expect(ivschat.commandCalls(DeleteLoggingConfigurationCommand).length).toBeGreaterThan(2);
    expect(ivschat).toHaveReceivedCommandWith(ListRoomsCommand, { loggingConfigurationIdentifier: CONFIG_ARN });
  });

  test('names at most five rooms and counts the rest', async () => {
    // GIVEN
    const rooms = Array.from({ length: 7 }, (_, i) => ({ arn: `${ROOM_ARN.slice(0, -1)}${i}` }));
    ivschat.on(DeleteLoggingConfigurationCommand).rejects(conflict());
    ivschat.on(ListRoomsCommand).resolvesOnce({ rooms: rooms.slice(0, 4), nextToken: 'page-2' }).resolves({ rooms: rooms.slice(4) });

    // WHEN / THEN
    await expect(onLoggingConfigurationEvent(client, deleteEvent(), FAST)).rejects.toThrow(`${rooms[4].arn} and 2 more:`);
    expect(ivschat.commandCalls(ListRoomsCommand).map((c) => c.args[0].input.nextToken)).toEqual([undefined, 'page-2']);
  });

  test('still says why when the rooms cannot be listed', async () => {
    // GIVEN
    ivschat.on(DeleteLoggingConfigurationCommand).rejects(conflict());
    ivschat.on(ListRoomsCommand).rejects(new AccessDeniedException({ message: 'no ListRooms', $metadata: {} }));

    // WHEN / THEN
    await expect(onLoggingConfigurationEvent(client, deleteEvent(), FAST)).rejects.toThrow(
      'DeleteLoggingConfiguration failed after 0 s of retries: ConflictException: Logging configuration is attached to a room ' +
      '(could not list the rooms using it: AccessDeniedException: no ListRooms)');
  });

  test('DELETE_FAILED fails the delete', async () => {
    // GIVEN
    ivschat.on(DeleteLoggingConfigurationCommand).resolves({});
    ivschat.on(GetLoggingConfigurationCommand).resolves({ state: 'DELETE_FAILED' });

    // WHEN / THEN
    await expect(onLoggingConfigurationEvent(client, deleteEvent(), FAST))
      .rejects.toThrow(`DeleteLoggingConfiguration failed: logging configuration ${CONFIG_ARN} is DELETE_FAILED`);
  });

  test('any other error names the operation', async () => {
    // GIVEN
    ivschat.on(DeleteLoggingConfigurationCommand).rejects(new AccessDeniedException({ message: 'denied', $metadata: {} }));

    // WHEN / THEN
    await expect(onLoggingConfigurationEvent(client, deleteEvent(), FAST))
      .rejects.toThrow('DeleteLoggingConfiguration failed: AccessDeniedException: denied');
    expect(ivschat).toHaveReceivedCommandTimes(DeleteLoggingConfigurationCommand, 1);
  });
});

describe('parsing', () => {
  test('reads name, destination and tags; a missing name is empty', () => {
    expect(parseLoggingConfigurationProperties({ DestinationConfiguration: LOGS, Tags: { a: 'b' } })).toEqual({
      name: '', destination: { type: 'CloudWatchLogs', name: '/ivs/chat' }, tags: { a: 'b' },
    });
    expect(parseLoggingConfigurationProperties({ Name: 'n', DestinationConfiguration: FIREHOSE }).destination)
      .toEqual({ type: 'Firehose', name: 'chat-stream' });
  });

  test.each([
    ['nothing', undefined],
    ['two destinations', { ...S3, ...LOGS }],
    ['an unknown type', { Kinesis: { StreamName: 'x' } }],
    ['a missing name', { S3: {} }],
    ['an empty name', { S3: { BucketName: '' } }],
    ['a name under the wrong key', { S3: { LogGroupName: 'x' } }],
    ['a list', [S3]],
  ])('rejects %s as DestinationConfiguration', (_, value) => {
    expect(() => parseDestination(value)).toThrow(
      /^DestinationConfiguration must hold exactly one of S3.BucketName, CloudWatchLogs.LogGroupName or Firehose.DeliveryStreamName/);
  });

  test('rejects a name that is not a string', () => {
    expect(() => parseLoggingConfigurationProperties({ Name: 5, DestinationConfiguration: S3 })).toThrow('Name must be a string');
  });

  test('an update decides from the properties alone', () => {
    const before = parseLoggingConfigurationProperties({ Name: 'a', DestinationConfiguration: S3, Tags: { x: '1' } });
    expect(analyzeLoggingConfigurationUpdate(before, before)).toEqual({ changes: undefined, tagsToAdd: {}, tagsToRemove: [] });
    const after = parseLoggingConfigurationProperties({ DestinationConfiguration: S3 });
    expect(analyzeLoggingConfigurationUpdate(before, after)).toEqual({ changes: { name: '' }, tagsToAdd: {}, tagsToRemove: ['x'] });
  });

  test('production waits poll every few seconds and stay inside the 10-minute provider limit', () => {
    const { stable, conflict: retry } = LOGGING_CONFIGURATION_WAITS;
    expect(stable.intervalMs).toBeGreaterThanOrEqual(2_000);
    expect(stable.intervalMs).toBeLessThanOrEqual(5_000);
    // The longest path: a create that times out, then its cleanup retrying conflicts (or conflicts then the delete wait).
    expect(stable.timeoutMs + retry.timeoutMs).toBeLessThan(10 * 60_000 - 20_000 - 60_000);
  });
});
