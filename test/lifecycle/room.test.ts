/**
 * Room lifecycle through the BUNDLED provider (assets/handlers/provider/provider.lambda/index.js) and the real SDK
 * against the IVS Chat stand-in: what CloudFormation would see (the PUT to the ResponseURL) and what the
 * service would hold afterwards. Run `npx projen bundle` first.
 */
import { IvschatClient } from '@aws-sdk/client-ivschat';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import {
  CfnResponseBody, lambdaContext, providerTagsOf, providerTagsOn, ResourceProperties, ROOM_TYPE, timed, useLifecycleSuite, waitFor, reasonOf,
} from './harness';
import { onRoomEvent } from '../../src/handlers/provider/room';
import { RoomSnapshot } from 'cdk-ivs-chat/testing';

const suite = useLifecycleSuite();
const rooms = () => suite.events(ROOM_TYPE, 'LobbyRoom');

const REVIEW_HANDLER = 'arn:aws:lambda:us-east-1:123456789012:function:chat-review';
const OTHER_REVIEW_HANDLER = 'arn:aws:lambda:us-east-1:123456789012:function:chat-review-v2';
const ROOM_ARN = /^arn:aws:ivschat:us-east-1:123456789012:room\/[a-zA-Z0-9]{12}$/;
/** Short waits for the lifecycle functions where production's 60 s of permission retries would be too slow. */
const SHORT_WAIT = { timeoutMs: 1_000, intervalMs: 200 };

function seedConfiguration(bucketName: string) {
  return suite.standIn.seedLoggingConfiguration({ destinationConfiguration: { s3: { bucketName } } });
}

/** The stand-in's room, which must exist. */
function roomOf(arn: string): RoomSnapshot {
  const room = suite.standIn.room(arn);
  if (!room) throw new Error(`room ${arn} does not exist in the stand-in`);
  return room;
}

async function createRoom(props: ResourceProperties): Promise<string> {
  const response = await suite.invoke(rooms().create(props));
  expect(response).toMatchObject({ Status: 'SUCCESS', Reason: '' });
  return response.PhysicalResourceId;
}

async function deleteRoom(arn: string, props: ResourceProperties = {}): Promise<CfnResponseBody> {
  const response = await suite.invoke(rooms().delete(arn, props));
  expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: arn });
  return response;
}

describe('create and delete', () => {
  test('a room created with every property matches in the service; delete, then delete again, both succeed', async () => {
    // GIVEN two logging configurations that already exist
    const logs = seedConfiguration('chat-logs');
    const archive = seedConfiguration('chat-archive');
    suite.expectRemaining({ loggingConfigurations: [logs.arn, archive.arn] });
    const props = {
      Name: 'lobby',
      MaximumMessageLength: '200',
      MaximumMessageRatePerSecond: '25',
      MessageReviewHandler: { Uri: REVIEW_HANDLER, FallbackResult: 'DENY' },
      LoggingConfigurationIdentifiers: [logs.arn, archive.arn],
      Tags: { team: 'chat', env: 'test' },
    };

    // WHEN
    const event = rooms().create(props);
    const created = await suite.invoke(event);

    // THEN CloudFormation gets the ARN as physical id and Arn / Id attributes
    expect(created).toMatchObject({ Status: 'SUCCESS', Reason: '', NoEcho: false });
    const arn = created.PhysicalResourceId;
    expect(arn).toMatch(ROOM_ARN);
    expect(created.Data).toEqual({ Arn: arn, Id: arn.split('/')[1] });
    // and the service holds exactly that room
    expect(suite.standIn.rooms()).toHaveLength(1);
    const expected = {
      name: 'lobby',
      maximumMessageLength: 200,
      maximumMessageRatePerSecond: 25,
      messageReviewHandler: { uri: REVIEW_HANDLER, fallbackResult: 'DENY' },
      loggingConfigurationIdentifiers: [logs.arn, archive.arn],
      tags: { team: 'chat', env: 'test' },
    };
    expect(roomOf(arn)).toMatchObject(expected);
    // in one CreateRoom call carrying numbers, not CloudFormation's strings
    const [createCall] = suite.standIn.calls('CreateRoom');
    expect(createCall.input).toEqual({ ...expected, tags: { ...expected.tags, ...providerTagsOf(event) } });
    // the marker tag names the request: the hash of stack, logical id and request id
    expect(roomOf(arn).tags).toEqual({ ...expected.tags, ...providerTagsOf(event) });

    // WHEN deleted, twice (CloudFormation retries a Delete whose answer it did not get)
    await deleteRoom(arn, props);
    expect(suite.standIn.rooms()).toEqual([]);
    await deleteRoom(arn, props);

    // THEN the second DeleteRoom met ResourceNotFoundException, which is success
    expect(suite.standIn.calls('DeleteRoom').map((c) => [c.status, c.errorType])).toEqual([[204, undefined], [404, 'ResourceNotFoundException']]);
  });

  test('a room created with no properties gets the API defaults and no optional members are sent but the marker', async () => {
    const event = rooms().create({});
    const arn = (await suite.invoke(event)).PhysicalResourceId;

    expect(roomOf(arn)).toMatchObject({ name: '', maximumMessageLength: 500, maximumMessageRatePerSecond: 10, loggingConfigurationIdentifiers: [], tags: {} });
    expect(roomOf(arn).messageReviewHandler).toBeUndefined();
    expect(suite.standIn.calls('CreateRoom')[0].input).toEqual({ maximumMessageLength: 500, maximumMessageRatePerSecond: 10, tags: providerTagsOf(event) });
    await deleteRoom(arn);
  });

  test('the Delete of a failed Create only looks for what carries its marker; another id that is no ARN makes no call', async () => {
    const unrelated = suite.standIn.seedRoom({ tags: { 'cdk-ivs-chat:cfn-request': 'another request' } });
    suite.expectRemaining({ rooms: [unrelated.arn] });
    const since = suite.mark();

    const failedCreate = await suite.invoke(rooms().delete('failed-create-0f6a1c2e-req', {}));
    const afterFailed = suite.mark();
    const foreignId = await suite.invoke(rooms().delete('lobby-room-from-an-old-provider', {}));

    expect(failedCreate).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'failed-create-0f6a1c2e-req' });
    expect(foreignId).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'lobby-room-from-an-old-provider' });
    expect(suite.callsSince(since).map((c) => c.operation)).toEqual(['ListRooms']);
    expect(suite.callsSince(afterFailed)).toEqual([]);
  });
});

describe('invalid input the service rejects', () => {
  test('a rate of 101 sent straight in the event: FAILED naming CreateRoom and the service message; nothing created; the rollback Delete succeeds', async () => {
    // WHEN (the construct would refuse 101 at synth; the event bypasses it)
    const event = rooms().create({ Name: 'lobby', MaximumMessageRatePerSecond: '101' });
    const response = await suite.invoke(event);

    // THEN
    expect(response.Status).toBe('FAILED');
    expect(response.PhysicalResourceId).toBe(`failed-create-${event.RequestId}`);
    expect(response.Reason).toMatch(/^CreateRoom failed: ValidationException: 1 validation error detected: Value at 'maximumMessageRatePerSecond' failed to satisfy constraint/);
    expect(response.Reason).toContain('100');
    expect(response.Data).toEqual({});
    expect(suite.standIn.rooms()).toEqual([]);

    // WHEN CloudFormation rolls back, it deletes the failed resource by that physical id
    const since = suite.mark();
    const rollback = await suite.invoke(rooms().delete(response.PhysicalResourceId, event.ResourceProperties));
    expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: response.PhysicalResourceId });
    expect(suite.callsSince(since).map((c) => [c.operation, c.status])).toEqual([['ListRooms', 200]]);
  });

  test('a logging configuration that does not exist: FAILED with the ResourceNotFoundException', async () => {
    const missing = suite.standIn.loggingConfigurationArn('AbCdEfGhIjKl');

    const response = await suite.invoke(rooms().create({ LoggingConfigurationIdentifiers: [missing] }));

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toBe(`CreateRoom failed: ResourceNotFoundException: Logging configuration not found: ${missing}`);
    expect(suite.standIn.rooms()).toEqual([]);
  });

  test('an invalid update: FAILED naming UpdateRoom, same physical id, room unchanged; the rollback Update succeeds', async () => {
    const oldProps = { Name: 'lobby', MaximumMessageLength: '200' };
    const arn = await createRoom(oldProps);
    const newProps = { Name: 'lobby', MaximumMessageLength: '501' };

    const response = await suite.invoke(rooms().update(arn, oldProps, newProps));

    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: arn });
    expect(response.Reason).toMatch(/^UpdateRoom failed: ValidationException: 1 validation error detected: Value at 'maximumMessageLength'/);
    expect(roomOf(arn).maximumMessageLength).toBe(200);

    // CloudFormation's rollback sends the old properties as new ones
    const rollback = await suite.invoke(rooms().update(arn, newProps, oldProps));
    expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: arn });
    expect(roomOf(arn).maximumMessageLength).toBe(200);
    await deleteRoom(arn, oldProps);
  });
});

describe('update', () => {
  test('each property changed on its own is sent alone and the service reflects it', async () => {
    const logs = seedConfiguration('chat-logs');
    const archive = seedConfiguration('chat-archive');
    suite.expectRemaining({ loggingConfigurations: [logs.arn, archive.arn] });
    let props: ResourceProperties = { Name: 'lobby', MaximumMessageLength: '200', MaximumMessageRatePerSecond: '10', Tags: { team: 'chat', env: 'test' } };
    const arn = await createRoom(props);
    const id = arn.split('/')[1];
    // The marker is never removed by a tag diff: every tag check below expects it still there
    const marker = providerTagsOn(roomOf(arn).tags);

    type Step = [
      description: string,
      change: (p: ResourceProperties) => ResourceProperties,
      writes: Array<{ operation: string; input: Record<string, unknown> }>,
      check: (room: RoomSnapshot) => void,
    ];
    const updateRoom = (fields: Record<string, unknown>) => ({ operation: 'UpdateRoom', input: { identifier: arn, ...fields } });
    const steps: Step[] = [
      ['name', (p) => ({ ...p, Name: 'lobby-2' }),
        [updateRoom({ name: 'lobby-2' })], (r) => expect(r.name).toBe('lobby-2')],
      ['maximum message length (to the API default)', (p) => ({ ...p, MaximumMessageLength: '500' }),
        [updateRoom({ maximumMessageLength: 500 })], (r) => expect(r.maximumMessageLength).toBe(500)],
      ['maximum message rate', (p) => ({ ...p, MaximumMessageRatePerSecond: '100' }),
        [updateRoom({ maximumMessageRatePerSecond: 100 })], (r) => expect(r.maximumMessageRatePerSecond).toBe(100)],
      ['review handler added', (p) => ({ ...p, MessageReviewHandler: { Uri: REVIEW_HANDLER, FallbackResult: 'ALLOW' } }),
        [updateRoom({ messageReviewHandler: { uri: REVIEW_HANDLER, fallbackResult: 'ALLOW' } })],
        (r) => expect(r.messageReviewHandler).toEqual({ uri: REVIEW_HANDLER, fallbackResult: 'ALLOW' })],
      ['fallback result', (p) => ({ ...p, MessageReviewHandler: { Uri: REVIEW_HANDLER, FallbackResult: 'DENY' } }),
        [updateRoom({ messageReviewHandler: { uri: REVIEW_HANDLER, fallbackResult: 'DENY' } })],
        (r) => expect(r.messageReviewHandler).toEqual({ uri: REVIEW_HANDLER, fallbackResult: 'DENY' })],
      ['review handler replaced', (p) => ({ ...p, MessageReviewHandler: { Uri: OTHER_REVIEW_HANDLER, FallbackResult: 'DENY' } }),
        [updateRoom({ messageReviewHandler: { uri: OTHER_REVIEW_HANDLER, fallbackResult: 'DENY' } })],
        (r) => expect(r.messageReviewHandler).toEqual({ uri: OTHER_REVIEW_HANDLER, fallbackResult: 'DENY' })],
      ['review handler removed', ({ MessageReviewHandler: _removed, ...p }) => p,
        [updateRoom({ messageReviewHandler: { uri: '' } })], (r) => expect(r.messageReviewHandler).toBeUndefined()],
      ['logging configuration attached', (p) => ({ ...p, LoggingConfigurationIdentifiers: [logs.arn] }),
        [updateRoom({ loggingConfigurationIdentifiers: [logs.arn] })], (r) => expect(r.loggingConfigurationIdentifiers).toEqual([logs.arn])],
      ['second logging configuration attached', (p) => ({ ...p, LoggingConfigurationIdentifiers: [logs.arn, archive.arn] }),
        [updateRoom({ loggingConfigurationIdentifiers: [logs.arn, archive.arn] })],
        (r) => expect(r.loggingConfigurationIdentifiers).toEqual([logs.arn, archive.arn])],
      ['logging configurations all detached', ({ LoggingConfigurationIdentifiers: _removed, ...p }) => p,
        [updateRoom({ loggingConfigurationIdentifiers: [] })], (r) => expect(r.loggingConfigurationIdentifiers).toEqual([])],
      ['tag added', (p) => ({ ...p, Tags: { team: 'chat', env: 'test', owner: 'ops' } }),
        [{ operation: 'TagResource', input: { resourceArn: arn, tags: { owner: 'ops' } } }],
        (r) => expect(r.tags).toEqual({ team: 'chat', env: 'test', owner: 'ops', ...marker })],
      ['tag value changed', (p) => ({ ...p, Tags: { team: 'chat', env: 'prod', owner: 'ops' } }),
        [{ operation: 'TagResource', input: { resourceArn: arn, tags: { env: 'prod' } } }],
        (r) => expect(r.tags).toEqual({ team: 'chat', env: 'prod', owner: 'ops', ...marker })],
      ['tag removed', (p) => ({ ...p, Tags: { env: 'prod', owner: 'ops' } }),
        [{ operation: 'UntagResource', input: { resourceArn: arn, tagKeys: ['team'] } }],
        (r) => expect(r.tags).toEqual({ env: 'prod', owner: 'ops', ...marker })],
      ['tags removed and added at once', (p) => ({ ...p, Tags: { cost: 'chat' } }),
        [
          { operation: 'UntagResource', input: { resourceArn: arn, tagKeys: ['env', 'owner'] } },
          { operation: 'TagResource', input: { resourceArn: arn, tags: { cost: 'chat' } } },
        ],
        (r) => expect(r.tags).toEqual({ cost: 'chat', ...marker })],
      ['all tags removed', ({ Tags: _removed, ...p }) => p,
        [{ operation: 'UntagResource', input: { resourceArn: arn, tagKeys: ['cost'] } }], (r) => expect(r.tags).toEqual(marker)],
    ];

    for (const [description, change, writes, check] of steps) {
      const newProps = change(props);
      const since = suite.mark();
      const response = await suite.invoke(rooms().update(arn, props, newProps));

      expect({ description, status: response.Status, reason: response.Reason }).toEqual({ description, status: 'SUCCESS', reason: '' });
      expect(response).toMatchObject({ PhysicalResourceId: arn, Data: { Arn: arn, Id: id } });
      const seen = suite.callsSince(since).map((c) => ({ operation: c.operation, input: c.input, status: c.status }));
      expect({ description, seen }).toEqual({ description, seen: writes.map((w) => ({ ...w, status: 200 })) });
      check(roomOf(arn));
      props = newProps;
    }

    // The whole room at the end: only the fields changed last are different from the start
    expect(roomOf(arn)).toMatchObject({
      name: 'lobby-2', maximumMessageLength: 500, maximumMessageRatePerSecond: 100, loggingConfigurationIdentifiers: [], tags: {},
    });
    await deleteRoom(arn, props);
  });

  test('tag keys and values with spaces, reserved URL characters and non-ASCII letters round-trip through TagResource / UntagResource', async () => {
    const odd = { 'cost center:unit/a+b': 'x y&z=1?', 'ünïcode': 'çà', 'plain': 'v' };
    const arn = await createRoom({ Tags: odd });
    const marker = providerTagsOn(roomOf(arn).tags);
    expect(roomOf(arn).tags).toEqual({ ...odd, ...marker });

    const response = await suite.invoke(rooms().update(arn, { Tags: odd }, { Tags: { 'plain': 'v', 'a/b?c#d': '%20' } }));

    expect(response.Status).toBe('SUCCESS');
    expect(roomOf(arn).tags).toEqual({ 'plain': 'v', 'a/b?c#d': '%20', ...marker });
    expect(suite.standIn.calls('UntagResource')[0].input).toEqual({ resourceArn: arn, tagKeys: ['cost center:unit/a+b', 'ünïcode'] });
    await deleteRoom(arn);
  });

  test('a no-op update makes no call at all, also when the properties differ only in ways that mean nothing', async () => {
    const props = { Name: 'lobby', MaximumMessageLength: '200', Tags: { team: 'chat' } };
    const arn = await createRoom(props);
    const before = roomOf(arn);
    const since = suite.mark();

    const cases: Array<[ResourceProperties, ResourceProperties]> = [
      [props, props],
      // the API default spelled out
      [props, { ...props, MaximumMessageRatePerSecond: '10' }],
      // a fallback result without a review handler means nothing
      [props, { ...props, MessageReviewHandler: { FallbackResult: 'DENY' } }],
    ];
    for (const [oldProps, newProps] of cases) {
      const response = await suite.invoke(rooms().update(arn, oldProps, newProps));
      expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: arn, Data: { Arn: arn } });
    }

    expect(suite.callsSince(since)).toEqual([]);
    expect(roomOf(arn)).toEqual(before);
    await deleteRoom(arn, props);
  });

  test('an update whose tagging fails after UpdateRoom: FAILED naming TagResource; the rollback Update restores the room', async () => {
    const oldProps = { Name: 'lobby', Tags: { team: 'chat' } };
    const newProps = { Name: 'lobby-2', Tags: { team: 'chat', owner: 'ops' } };
    const arn = await createRoom(oldProps);
    suite.standIn.failNext('TagResource', 1, { name: 'ValidationException', status: 400, message: 'Injected tagging failure', fields: { reason: 'OTHER' } });

    const response = await suite.invoke(rooms().update(arn, oldProps, newProps));

    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: arn, Reason: 'TagResource failed: ValidationException: Injected tagging failure' });
    // Not atomic: the name changed before tagging failed
    expect(roomOf(arn)).toMatchObject({ name: 'lobby-2', tags: { team: 'chat' } });

    // CloudFormation rolls back with the properties swapped; untagging a key that never got set is fine
    const since = suite.mark();
    const rollback = await suite.invoke(rooms().update(arn, newProps, oldProps));
    expect(rollback.Status).toBe('SUCCESS');
    expect(suite.callsSince(since).map((c) => [c.operation, c.status])).toEqual([['UpdateRoom', 200], ['UntagResource', 200]]);
    expect(roomOf(arn)).toMatchObject({ name: 'lobby', tags: { team: 'chat' } });
    await deleteRoom(arn, oldProps);
  });
});

describe('review handler permission propagation (production waits: retry every 3 s)', () => {
  test('CreateRoom answered "invalid lambda permission" twice, then accepted: SUCCESS with exactly one room', async () => {
    suite.standIn.failNext('CreateRoom', 2, 'invalidLambdaPermission');
    const props = { Name: 'moderated', MessageReviewHandler: { Uri: REVIEW_HANDLER, FallbackResult: 'DENY' } };

    const { result: response, ms } = await timed(() => suite.invoke(rooms().create(props)));

    expect(response.Status).toBe('SUCCESS');
    expect(suite.standIn.calls('CreateRoom').map((c) => [c.status, c.errorMessage])).toEqual([
      [400, 'invalid lambda permission'], [400, 'invalid lambda permission'], [200, undefined],
    ]);
    expect(ms).toBeGreaterThanOrEqual(6_000);
    expect(suite.standIn.rooms()).toHaveLength(1);
    expect(roomOf(response.PhysicalResourceId).messageReviewHandler).toEqual({ uri: REVIEW_HANDLER, fallbackResult: 'DENY' });
    await deleteRoom(response.PhysicalResourceId, props);
  });

  test('UpdateRoom answered "invalid lambda permission" once, then accepted: SUCCESS', async () => {
    const oldProps = { Name: 'moderated' };
    const newProps = { Name: 'moderated', MessageReviewHandler: { Uri: REVIEW_HANDLER, FallbackResult: 'ALLOW' } };
    const arn = await createRoom(oldProps);
    suite.standIn.failNext('UpdateRoom', 1, 'invalidLambdaPermission');

    const response = await suite.invoke(rooms().update(arn, oldProps, newProps));

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: arn });
    expect(suite.standIn.calls('UpdateRoom').map((c) => c.status)).toEqual([400, 200]);
    expect(roomOf(arn).messageReviewHandler).toEqual({ uri: REVIEW_HANDLER, fallbackResult: 'ALLOW' });
    await deleteRoom(arn, newProps);
  });

  describe('a permission that never propagates (lifecycle function with a 1 s wait)', () => {
    let client: IvschatClient;
    beforeAll(() => {
      client = new IvschatClient({ ...suite.standIn.clientConfig(), maxAttempts: 3 });
    });
    afterAll(() => client.destroy());

    test('CreateRoom: the reason names the operation, the handler and the permission it needs; nothing created', async () => {
      suite.standIn.failNext('CreateRoom', 1_000, 'invalidLambdaPermission');
      const event = rooms().create({ MessageReviewHandler: { Uri: REVIEW_HANDLER, FallbackResult: 'DENY' } });

      const reason = await reasonOf(onRoomEvent(client, event, SHORT_WAIT));

      expect(reason).toMatch(/^CreateRoom failed: IVS Chat cannot invoke the message review handler arn:aws:lambda:us-east-1:123456789012:function:chat-review \(still rejected after 1 s\)/);
      expect(reason).toContain('ivschat.amazonaws.com');
      expect(reason).toContain('lambda:InvokeFunction');
      expect(reason).toMatch(/Service said: invalid lambda permission$/);
      expect(reason).not.toMatch(/\n/);
      // every attempt was refused for the permission (how often it retries within the wait: retry.test.ts, on a fake clock)
      const attempts = suite.standIn.calls('CreateRoom');
      expect(attempts.length).toBeGreaterThanOrEqual(1);
      expect(attempts.every((call) => call.status === 400)).toBe(true);
      expect(suite.standIn.rooms()).toEqual([]);
    });

    test('UpdateRoom: the reason names the operation and the permission; the room keeps its old handler', async () => {
      const oldProps = { MessageReviewHandler: { Uri: REVIEW_HANDLER, FallbackResult: 'ALLOW' } };
      const newProps = { MessageReviewHandler: { Uri: OTHER_REVIEW_HANDLER, FallbackResult: 'ALLOW' } };
      const arn = await createRoom(oldProps);
      suite.standIn.failNext('UpdateRoom', 1_000, 'invalidLambdaPermission');

      const reason = await reasonOf(onRoomEvent(client, rooms().update(arn, oldProps, newProps), SHORT_WAIT));

      expect(reason).toMatch(/^UpdateRoom failed: IVS Chat cannot invoke the message review handler arn:aws:lambda:us-east-1:123456789012:function:chat-review-v2 /);
      expect(reason).toContain('lambda:InvokeFunction');
      expect(roomOf(arn).messageReviewHandler).toEqual({ uri: REVIEW_HANDLER, fallbackResult: 'ALLOW' });
      await deleteRoom(arn, oldProps);
    });
  });
});

describe('service faults', () => {
  test('InternalServerException once on CreateRoom: the SDK retries, SUCCESS, exactly one room', async () => {
    suite.standIn.failNext('CreateRoom', 1, 'internal');

    const arn = await createRoom({ Name: 'lobby' });

    expect(suite.standIn.calls('CreateRoom').map((c) => c.status)).toEqual([500, 200]);
    // The stand-in's fault replaces the request, so no duplicate can appear here (see the report about the real service)
    expect(suite.standIn.rooms().map((r) => r.arn)).toEqual([arn]);
    await deleteRoom(arn);
  });

  test('ThrottlingException on DeleteRoom: the SDK retries, SUCCESS, room gone', async () => {
    const arn = await createRoom({ Name: 'lobby' });
    suite.standIn.failNext('DeleteRoom', 1, 'throttling');

    await deleteRoom(arn);

    expect(suite.standIn.calls('DeleteRoom').map((c) => [c.status, c.errorType])).toEqual([[429, 'ThrottlingException'], [204, undefined]]);
  });

  test('ThrottlingException on UpdateRoom and TagResource during an update: retried, SUCCESS', async () => {
    const oldProps = { Name: 'lobby' };
    const newProps = { Name: 'lobby-2', Tags: { team: 'chat' } };
    const arn = await createRoom(oldProps);
    suite.standIn.failNext('UpdateRoom', 1, 'throttling');
    suite.standIn.failNext('TagResource', 1, 'throttling');

    const response = await suite.invoke(rooms().update(arn, oldProps, newProps));

    expect(response.Status).toBe('SUCCESS');
    expect(roomOf(arn)).toMatchObject({ name: 'lobby-2', tags: { team: 'chat' } });
    expect(suite.standIn.calls('UpdateRoom').map((c) => c.status)).toEqual([429, 200]);
    expect(suite.standIn.calls('TagResource').map((c) => c.status)).toEqual([429, 200]);
    await deleteRoom(arn, newProps);
  });

  test('the ResponseURL answering 503 twice: the provider PUTs the same response again until it is accepted', async () => {
    suite.responses.failNext(2);

    const event = rooms().create({ Name: 'lobby' });
    const response = await suite.invoke(event);

    expect(response.Status).toBe('SUCCESS');
    expect(suite.responses.putsFor(event.RequestId).map((put) => put.status)).toEqual([503, 503, 200]);
    expect(suite.standIn.calls('CreateRoom')).toHaveLength(1);
    await deleteRoom(response.PhysicalResourceId);
  });

  test('1 s of latency on CreateRoom and DeleteRoom: still SUCCESS', async () => {
    suite.standIn.setLatency('CreateRoom', 1_000);
    suite.standIn.setLatency('DeleteRoom', 1_000);

    const { result: arn, ms } = await timed(() => createRoom({ Name: 'slow' }));
    await deleteRoom(arn);

    expect(ms).toBeGreaterThanOrEqual(1_000);
    expect(suite.standIn.calls('CreateRoom')).toHaveLength(1);
  });

  test('a call slower than the time left: FAILED before Lambda would stop the function, naming the time limit', async () => {
    const arn = await createRoom({ Name: 'slow' });
    suite.standIn.setLatency('DeleteRoom', 5_000);
    const event: CloudFormationCustomResourceEvent = rooms().delete(arn, {});

    // 20.5 s left: the provider keeps 20 s back to answer, so it answers after about 0.5 s
    const response = await suite.invoke(event, lambdaContext(20_500));

    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: arn });
    expect(response.Reason).toMatch(/^Delete of Custom::IvsChatRoom did not finish before the provider's time limit: DeleteRoom was still not answered when the time ran out \(TimeoutError: DeleteRoom was not answered within \d+ ms\)$/);
    // it answered while the DeleteRoom it sent was still unanswered (ordered by events, not timed)
    expect(suite.standIn.calls('DeleteRoom')).toHaveLength(0);
    // The DeleteRoom already sent still completes (in Lambda it may or may not, the function being frozen)
    await waitFor(() => suite.standIn.calls('DeleteRoom').length === 1, 15_000);
    expect(suite.standIn.rooms()).toEqual([]);
    // CloudFormation's next Delete attempt then finds nothing and succeeds
    suite.standIn.setLatency('DeleteRoom', 0);
    await deleteRoom(arn);
  });
});
