import {
  AccessDeniedException,
  ConflictException,
  CreateChatTokenCommand,
  CreateChatTokenCommandInput,
  CreateLoggingConfigurationCommand,
  CreateLoggingConfigurationCommandInput,
  CreateRoomCommand,
  CreateRoomCommandInput,
  DeleteLoggingConfigurationCommand,
  DestinationConfiguration,
  DeleteRoomCommand,
  GetLoggingConfigurationCommand,
  GetRoomCommand,
  InternalServerException,
  IvschatClient,
  IvschatServiceException,
  ListLoggingConfigurationsCommand,
  ListRoomsCommand,
  ListTagsForResourceCommand,
  PendingVerification,
  ResourceNotFoundException,
  SendEventCommand,
  ServiceQuotaExceededException,
  TagResourceCommand,
  ThrottlingException,
  UntagResourceCommand,
  UpdateLoggingConfigurationCommand,
  UpdateRoomCommand,
  ValidationException,
} from '@aws-sdk/client-ivschat';
import { IvsChatStandIn, OperationGroup, StandInOptions, UNKNOWN_OPERATION } from 'cdk-ivs-chat/testing';

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);
const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:review';
const OTHER_LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:other';
const S3 = { s3: { bucketName: 'chat-logs' } };

/** A manual clock shared by the stand-in and the tests, so timestamps, transitions and buckets are deterministic. */
let now = T0;
const clock = (): number => now;

let standIn: IvsChatStandIn;
let client: IvschatClient;

beforeAll(async () => {
  standIn = await IvsChatStandIn.start({ clock });
  client = newClient(standIn);
});

afterAll(async () => {
  client.destroy();
  await standIn.stop();
});

beforeEach(() => {
  now = T0;
  standIn.reset();
  standIn.setTransitionDelay(0);
  standIn.setRateLimits(false);
});

/** `maxAttempts: 1` so every raw error reaches the test instead of being retried. */
function newClient(target: IvsChatStandIn, maxAttempts = 1): IvschatClient {
  return new IvschatClient({ ...target.clientConfig(), maxAttempts });
}

/** Runs `fn` against a stand-in started with other options, and always stops it. */
async function withStandIn(options: StandInOptions, fn: (s: IvsChatStandIn, c: IvschatClient) => Promise<void>): Promise<void> {
  const s = await IvsChatStandIn.start({ clock, ...options });
  const c = newClient(s);
  try {
    await fn(s, c);
  } finally {
    c.destroy();
    await s.stop();
  }
}

async function errorOf(promise: Promise<unknown>): Promise<IvschatServiceException> {
  try {
    await promise;
  } catch (e) {
    return e as IvschatServiceException;
  }
  throw new Error('expected the call to fail');
}

/** Asserts a 400 FIELD_VALIDATION_FAILED ValidationException naming `field`. */
async function expectFieldError(promise: Promise<unknown>, field: string): Promise<ValidationException> {
  const error = await errorOf(promise);
  expect(error).toBeInstanceOf(ValidationException);
  const validation = error as ValidationException;
  expect(validation.$metadata.httpStatusCode).toBe(400);
  expect(validation.reason).toBe('FIELD_VALIDATION_FAILED');
  expect(validation.fieldList?.map((f) => f.name)).toContain(field);
  return validation;
}

async function createRoom(input: CreateRoomCommandInput = {}) {
  return client.send(new CreateRoomCommand(input));
}

async function createConfig(input: Partial<CreateLoggingConfigurationCommandInput> = {}) {
  return client.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: S3, ...input }));
}

async function createToken(input: Partial<CreateChatTokenCommandInput> & { roomIdentifier: string }) {
  return client.send(new CreateChatTokenCommand({ userId: 'user-1', ...input }));
}

// =============================================================================================
describe('wire protocol', () => {
  test('the real SDK gets typed output, ISO timestamps as Dates and minted ARNs', async () => {
    const room = await createRoom({ name: 'lobby' });

    expect(room.$metadata.httpStatusCode).toBe(200);
    expect(room.arn).toMatch(/^arn:aws:ivschat:us-east-1:123456789012:room\/[a-zA-Z0-9]{12}$/);
    expect(room.arn).toBe(`arn:aws:ivschat:us-east-1:123456789012:room/${room.id}`);
    expect(room.createTime).toEqual(new Date(T0));
    expect(room.updateTime).toEqual(new Date(T0));
    expect(standIn.calls()).toEqual([expect.objectContaining({ operation: 'CreateRoom', method: 'POST', path: '/CreateRoom', status: 200 })]);
  });

  test('AWS_ENDPOINT_URL_IVSCHAT and env credentials point a client built without arguments at the stand-in', async () => {
    const env = standIn.environment();
    const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
    Object.assign(process.env, env);
    const envClient = new IvschatClient({ maxAttempts: 1 });
    try {
      const room = await envClient.send(new CreateRoomCommand({ name: 'via-env' }));
      expect(room.name).toBe('via-env');
      expect(standIn.rooms().map((r) => r.name)).toEqual(['via-env']);
    } finally {
      envClient.destroy();
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  test('an unsigned request is refused with AccessDeniedException 403', async () => {
    const unsigned = newClient(standIn);
    unsigned.middlewareStack.add((next) => async (args) => {
      delete (args.request as { headers: Record<string, string> }).headers.authorization;
      return next(args);
    }, { step: 'deserialize', priority: 'low' });
    try {
      const error = await errorOf(unsigned.send(new CreateRoomCommand({})));
      expect(error).toBeInstanceOf(AccessDeniedException);
      expect(error.$metadata.httpStatusCode).toBe(403);
      expect(error.name).toBe('AccessDeniedException');
      expect(standIn.rooms()).toEqual([]);
    } finally {
      unsigned.destroy();
    }
  });

  test('a non-SigV4 authorization header is refused too (raw HTTP)', async () => {
    const response = await fetch(`${standIn.endpoint}/CreateRoom`, { method: 'POST', body: '{}', headers: { authorization: 'Bearer abc' } });

    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
    expect(standIn.rooms()).toEqual([]);
  });

  test('a real operation the stand-in does not implement answers ValidationException UNKNOWN_OPERATION', async () => {
    const error = await errorOf(client.send(new SendEventCommand({ roomIdentifier: standIn.roomArn('AAAAAAAAAAAA'), eventName: 'e' })));

    expect(error).toBeInstanceOf(ValidationException);
    expect((error as ValidationException).reason).toBe('UNKNOWN_OPERATION');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(standIn.calls()).toEqual([expect.objectContaining({ operation: UNKNOWN_OPERATION, path: '/SendEvent', status: 400 })]);
  });

  test('an operation on the wrong method is an unknown route', async () => {
    const signed = { authorization: 'AWS4-HMAC-SHA256 Credential=x/20250101/us-east-1/ivschat/aws4_request, SignedHeaders=host, Signature=0' };
    const response = await fetch(`${standIn.endpoint}/CreateRoom`, { method: 'GET', headers: signed });

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(await response.json()).toMatchObject({ reason: 'UNKNOWN_OPERATION' });
  });

  test('a body that is not JSON is a ValidationException with reason OTHER', async () => {
    const signed = { 'authorization': 'AWS4-HMAC-SHA256 Credential=x/20250101/us-east-1/ivschat/aws4_request', 'content-type': 'application/json' };
    const response = await fetch(`${standIn.endpoint}/CreateRoom`, { method: 'POST', headers: signed, body: '{not json' });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ reason: 'OTHER' });
    expect(standIn.rooms()).toEqual([]);
  });
});

// =============================================================================================
describe('rooms', () => {
  test('CreateRoom applies the API defaults', async () => {
    const room = await createRoom();

    expect(room).toMatchObject({
      name: '',
      maximumMessageLength: 500,
      maximumMessageRatePerSecond: 10,
      loggingConfigurationIdentifiers: [],
      tags: {},
    });
    expect(room.messageReviewHandler).toBeUndefined();
    expect(standIn.room(room.arn!)).toMatchObject({ maximumMessageLength: 500, maximumMessageRatePerSecond: 10 });
  });

  test('CreateRoom stores every field and defaults fallbackResult to ALLOW when a handler uri is given', async () => {
    const config = await createConfig();
    const room = await createRoom({
      name: 'stage-1',
      maximumMessageLength: 1,
      maximumMessageRatePerSecond: 100,
      messageReviewHandler: { uri: LAMBDA },
      loggingConfigurationIdentifiers: [config.arn!],
      tags: { team: 'chat' },
    });

    const expected = {
      name: 'stage-1',
      maximumMessageLength: 1,
      maximumMessageRatePerSecond: 100,
      messageReviewHandler: { uri: LAMBDA, fallbackResult: 'ALLOW' },
      loggingConfigurationIdentifiers: [config.arn],
      tags: { team: 'chat' },
    };
    expect(room).toMatchObject(expected);
    expect(standIn.room(room.arn!)).toMatchObject(expected);
    expect(await client.send(new GetRoomCommand({ identifier: room.arn }))).toMatchObject(expected);
  });

  test('CreateRoom accepts the limits themselves', async () => {
    const room = await createRoom({
      name: 'a'.repeat(128),
      maximumMessageLength: 500,
      maximumMessageRatePerSecond: 1,
      messageReviewHandler: { uri: `${LAMBDA}${'f'.repeat(170 - LAMBDA.length)}`, fallbackResult: 'DENY' },
      tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'.repeat(256)])),
    });

    expect(room.name).toHaveLength(128);
    expect(room.messageReviewHandler?.uri).toHaveLength(170);
    expect(Object.keys(room.tags!)).toHaveLength(50);
  });

  const invalidRooms: Array<[string, CreateRoomCommandInput, string]> = [
    ['name longer than 128', { name: 'a'.repeat(129) }, 'name'],
    ['name with a space', { name: 'my room' }, 'name'],
    ['maximumMessageLength 0', { maximumMessageLength: 0 }, 'maximumMessageLength'],
    ['maximumMessageLength 501', { maximumMessageLength: 501 }, 'maximumMessageLength'],
    ['maximumMessageLength not an integer', { maximumMessageLength: 1.5 }, 'maximumMessageLength'],
    ['maximumMessageRatePerSecond 0', { maximumMessageRatePerSecond: 0 }, 'maximumMessageRatePerSecond'],
    ['maximumMessageRatePerSecond 101', { maximumMessageRatePerSecond: 101 }, 'maximumMessageRatePerSecond'],
    ['handler uri that is not a Lambda ARN', { messageReviewHandler: { uri: 'arn:aws:sns:us-east-1:123456789012:topic' } }, 'messageReviewHandler.uri'],
    ['handler uri longer than 170', { messageReviewHandler: { uri: `${LAMBDA}${'x'.repeat(171 - LAMBDA.length)}` } }, 'messageReviewHandler.uri'],
    ['handler in another account', { messageReviewHandler: { uri: 'arn:aws:lambda:us-east-1:999999999999:function:f' } }, 'messageReviewHandler.uri'],
    ['handler in another region', { messageReviewHandler: { uri: 'arn:aws:lambda:eu-west-1:123456789012:function:f' } }, 'messageReviewHandler.uri'],
    ['fallbackResult outside ALLOW|DENY', { messageReviewHandler: { uri: LAMBDA, fallbackResult: 'MAYBE' as 'ALLOW' } }, 'messageReviewHandler.fallbackResult'],
    ['a room ARN as logging configuration', { loggingConfigurationIdentifiers: ['arn:aws:ivschat:us-east-1:123456789012:room/AAAAAAAAAAAA'] },
      'loggingConfigurationIdentifiers.0'],
    ['four logging configurations', { loggingConfigurationIdentifiers: ['a', 'b', 'c', 'd'].map((c) => `arn:aws:ivschat:us-east-1:123456789012:logging-configuration/${c.repeat(12)}`) },
      'loggingConfigurationIdentifiers'],
    ['51 tags', { tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) }, 'tags'],
    ['tag key longer than 128', { tags: { ['k'.repeat(129)]: 'v' } }, `tags.${'k'.repeat(129)}`],
    ['empty tag key', { tags: { '': 'v' } }, 'tags.'],
    ['tag value longer than 256', { tags: { k: 'v'.repeat(257) } }, 'tags.k'],
    ['reserved aws: tag key', { tags: { 'aws:cloudformation:stack-name': 'x' } }, 'tags.aws:cloudformation:stack-name'],
  ];

  test.each(invalidRooms)('CreateRoom rejects %s', async (_case, input, field) => {
    await expectFieldError(createRoom(input), field);
    expect(standIn.rooms()).toEqual([]);
  });

  test('one ValidationException lists every bad field', async () => {
    const error = await expectFieldError(createRoom({ name: 'bad name', maximumMessageLength: 0, maximumMessageRatePerSecond: 1000 }), 'name');

    expect(error.fieldList!.map((f) => f.name).sort()).toEqual(['maximumMessageLength', 'maximumMessageRatePerSecond', 'name']);
    expect(error.message).toMatch(/^3 validation errors detected/);
    expect(error.message).toContain("Value at 'maximumMessageLength' failed to satisfy constraint: Member must have value greater than or equal to 1");
  });

  test('CreateRoom with an unknown logging configuration is a ResourceNotFoundException and creates nothing', async () => {
    const missing = standIn.loggingConfigurationArn('AAAAAAAAAAAA');
    const error = await errorOf(createRoom({ loggingConfigurationIdentifiers: [missing] }));

    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({ resourceId: 'AAAAAAAAAAAA', resourceType: 'LOGGING_CONFIGURATION' });
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(standIn.rooms()).toEqual([]);
  });

  test('GetRoom of a missing room is a 404 ResourceNotFoundException naming it', async () => {
    const arn = standIn.roomArn('Missing00000');
    await expect(client.send(new GetRoomCommand({ identifier: arn }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    const error = await errorOf(client.send(new GetRoomCommand({ identifier: arn })));

    expect(error).toMatchObject({ name: 'ResourceNotFoundException', resourceId: 'Missing00000', resourceType: 'ROOM' });
    expect(error.$metadata.httpStatusCode).toBe(404);
  });

  test.each([
    ['a bare id', 'AbCdEfGhIjKl'],
    ['a logging-configuration ARN', 'arn:aws:ivschat:us-east-1:123456789012:logging-configuration/AbCdEfGhIjKl'],
    ['an IVS channel ARN', 'arn:aws:ivs:us-east-1:123456789012:channel/AbCdEfGhIjKl'],
  ])('room identifiers must be room ARNs, not %s', async (_case, identifier) => {
    await expectFieldError(client.send(new GetRoomCommand({ identifier })), 'identifier');
    await expectFieldError(client.send(new UpdateRoomCommand({ identifier, name: 'x' })), 'identifier');
    await expectFieldError(client.send(new DeleteRoomCommand({ identifier })), 'identifier');
  });

  test('UpdateRoom changes only the fields present and bumps updateTime', async () => {
    const room = await createRoom({ name: 'before', maximumMessageLength: 200, messageReviewHandler: { uri: LAMBDA, fallbackResult: 'DENY' }, tags: { a: '1' } });
    now = T0 + 5_000;

    const updated = await client.send(new UpdateRoomCommand({ identifier: room.arn, maximumMessageRatePerSecond: 42 }));

    expect(updated).toMatchObject({
      arn: room.arn,
      name: 'before',
      maximumMessageLength: 200,
      maximumMessageRatePerSecond: 42,
      messageReviewHandler: { uri: LAMBDA, fallbackResult: 'DENY' },
      tags: { a: '1' },
    });
    expect(updated.createTime).toEqual(new Date(T0));
    expect(updated.updateTime).toEqual(new Date(T0 + 5_000));
    expect(standIn.room(room.arn!)?.maximumMessageRatePerSecond).toBe(42);
  });

  test('UpdateRoom with messageReviewHandler.uri "" removes the handler', async () => {
    const room = await createRoom({ messageReviewHandler: { uri: LAMBDA } });

    const updated = await client.send(new UpdateRoomCommand({ identifier: room.arn, messageReviewHandler: { uri: '' } }));

    expect(updated.messageReviewHandler).toBeUndefined();
    expect(standIn.room(room.arn!)?.messageReviewHandler).toBeUndefined();
  });

  test('UpdateRoom replaces the handler: a new uri with no fallbackResult gets ALLOW, no uri keeps the current one', async () => {
    const room = await createRoom({ messageReviewHandler: { uri: LAMBDA, fallbackResult: 'DENY' } });

    await client.send(new UpdateRoomCommand({ identifier: room.arn, messageReviewHandler: { uri: OTHER_LAMBDA } }));
    expect(standIn.room(room.arn!)?.messageReviewHandler).toEqual({ uri: OTHER_LAMBDA, fallbackResult: 'ALLOW' });

    await client.send(new UpdateRoomCommand({ identifier: room.arn, messageReviewHandler: { fallbackResult: 'DENY' } }));
    expect(standIn.room(room.arn!)?.messageReviewHandler).toEqual({ uri: OTHER_LAMBDA, fallbackResult: 'DENY' });
  });

  test('UpdateRoom attaches logging configurations and [] detaches them all', async () => {
    const [a, b] = [await createConfig(), await createConfig()];
    const room = await createRoom();

    await client.send(new UpdateRoomCommand({ identifier: room.arn, loggingConfigurationIdentifiers: [a.arn!, b.arn!] }));
    expect(standIn.room(room.arn!)?.loggingConfigurationIdentifiers).toEqual([a.arn, b.arn]);

    await client.send(new UpdateRoomCommand({ identifier: room.arn, name: 'renamed' }));
    expect(standIn.room(room.arn!)?.loggingConfigurationIdentifiers).toEqual([a.arn, b.arn]);

    await client.send(new UpdateRoomCommand({ identifier: room.arn, loggingConfigurationIdentifiers: [] }));
    expect(standIn.room(room.arn!)?.loggingConfigurationIdentifiers).toEqual([]);
  });

  test('an invalid UpdateRoom changes nothing', async () => {
    const room = await createRoom({ name: 'keep', maximumMessageLength: 100 });
    now = T0 + 1_000;

    await expectFieldError(client.send(new UpdateRoomCommand({ identifier: room.arn, name: 'changed', maximumMessageLength: 501 })), 'maximumMessageLength');
    const missing = standIn.loggingConfigurationArn('AAAAAAAAAAAA');
    await expect(client.send(new UpdateRoomCommand({ identifier: room.arn, name: 'changed', loggingConfigurationIdentifiers: [missing] })))
      .rejects.toBeInstanceOf(ResourceNotFoundException);

    expect(standIn.room(room.arn!)).toMatchObject({ name: 'keep', maximumMessageLength: 100, updateTime: new Date(T0) });
  });

  test('UpdateRoom and DeleteRoom of a missing room are 404s', async () => {
    const arn = standIn.roomArn('Missing00000');
    await expect(client.send(new UpdateRoomCommand({ identifier: arn, name: 'x' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new DeleteRoomCommand({ identifier: arn }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  test('DeleteRoom answers 204 and the room is gone', async () => {
    const room = await createRoom();

    const deleted = await client.send(new DeleteRoomCommand({ identifier: room.arn }));

    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(standIn.rooms()).toEqual([]);
    await expect(client.send(new GetRoomCommand({ identifier: room.arn }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  test('ListRooms returns summaries, most recently updated first, and filters', async () => {
    const config = await createConfig();
    const a = await createRoom({ name: 'a', messageReviewHandler: { uri: LAMBDA } });
    now += 1_000;
    const b = await createRoom({ name: 'b', loggingConfigurationIdentifiers: [config.arn!] });
    now += 1_000;
    const c = await createRoom({ name: 'a' });

    const all = await client.send(new ListRoomsCommand({}));
    expect(all.rooms!.map((r) => r.arn)).toEqual([c.arn, b.arn, a.arn]);
    expect(all.rooms![0]).not.toHaveProperty('maximumMessageLength');
    expect(all.rooms![2]).toMatchObject({ name: 'a', messageReviewHandler: { uri: LAMBDA, fallbackResult: 'ALLOW' }, createTime: new Date(T0) });

    const byName = await client.send(new ListRoomsCommand({ name: 'a' }));
    expect(byName.rooms!.map((r) => r.arn)).toEqual([c.arn, a.arn]);
    const byHandler = await client.send(new ListRoomsCommand({ messageReviewHandlerUri: LAMBDA }));
    expect(byHandler.rooms!.map((r) => r.arn)).toEqual([a.arn]);
    const byConfig = await client.send(new ListRoomsCommand({ loggingConfigurationIdentifier: config.arn }));
    expect(byConfig.rooms!.map((r) => r.arn)).toEqual([b.arn]);
    await expect(client.send(new ListRoomsCommand({ loggingConfigurationIdentifier: standIn.loggingConfigurationArn('Missing00000') })))
      .rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  test('ListRooms paginates with maxResults and nextToken, and validates maxResults', async () => {
    for (let i = 0; i < 3; i++) {
      await createRoom({ name: `r${i}` });
      now += 1_000;
    }

    const first = await client.send(new ListRoomsCommand({ maxResults: 2 }));
    expect(first.rooms!.map((r) => r.name)).toEqual(['r2', 'r1']);
    expect(first.nextToken).toEqual(expect.any(String));
    const second = await client.send(new ListRoomsCommand({ maxResults: 2, nextToken: first.nextToken }));
    expect(second.rooms!.map((r) => r.name)).toEqual(['r0']);
    expect(second.nextToken).toBeUndefined();

    await expectFieldError(client.send(new ListRoomsCommand({ maxResults: 51 })), 'maxResults');
  });
});

// =============================================================================================
describe('logging configurations', () => {
  test('CreateLoggingConfiguration answers CREATING; the next Get sees ACTIVE (transitionDelayMs 0)', async () => {
    const created = await createConfig({ name: 'logs', tags: { env: 'test' } });

    expect(created).toMatchObject({ name: 'logs', state: 'CREATING', destinationConfiguration: S3, tags: { env: 'test' } });
    expect(created.arn).toMatch(/^arn:aws:ivschat:us-east-1:123456789012:logging-configuration\/[a-zA-Z0-9]{12}$/);
    expect(created.createTime).toEqual(new Date(T0));

    const got = await client.send(new GetLoggingConfigurationCommand({ identifier: created.arn }));
    expect(got).toMatchObject({ arn: created.arn, id: created.id, state: 'ACTIVE', destinationConfiguration: S3 });
    expect(standIn.loggingConfiguration(created.arn!)?.state).toBe('ACTIVE');
  });

  test.each([
    ['s3', { s3: { bucketName: 'my.bucket-1' } }],
    ['cloudWatchLogs', { cloudWatchLogs: { logGroupName: '/aws/vendedlogs/ivs_chat#1.x' } }],
    ['firehose', { firehose: { deliveryStreamName: 'Stream_1.a-b' } }],
  ])('each destination type round-trips: %s', async (_type, destinationConfiguration) => {
    const created = await createConfig({ destinationConfiguration });
    const got = await client.send(new GetLoggingConfigurationCommand({ identifier: created.arn }));

    expect(got.destinationConfiguration).toEqual(destinationConfiguration);
  });

  // Plain objects: some of these are not even valid union values for the SDK's types.
  const invalidDestinations: Array<[string, object, string]> = [
    ['bucket name shorter than 3', { s3: { bucketName: 'ab' } }, 'destinationConfiguration.s3.bucketName'],
    ['bucket name longer than 63', { s3: { bucketName: 'b'.repeat(64) } }, 'destinationConfiguration.s3.bucketName'],
    ['bucket name with capitals', { s3: { bucketName: 'My-Bucket' } }, 'destinationConfiguration.s3.bucketName'],
    ['empty log group name', { cloudWatchLogs: { logGroupName: '' } }, 'destinationConfiguration.cloudWatchLogs.logGroupName'],
    ['log group name longer than 512', { cloudWatchLogs: { logGroupName: 'g'.repeat(513) } }, 'destinationConfiguration.cloudWatchLogs.logGroupName'],
    ['log group name with a space', { cloudWatchLogs: { logGroupName: 'my group' } }, 'destinationConfiguration.cloudWatchLogs.logGroupName'],
    ['delivery stream name longer than 64', { firehose: { deliveryStreamName: 's'.repeat(65) } }, 'destinationConfiguration.firehose.deliveryStreamName'],
    ['delivery stream name with a slash', { firehose: { deliveryStreamName: 'a/b' } }, 'destinationConfiguration.firehose.deliveryStreamName'],
    ['no destination member', {}, 'destinationConfiguration'],
  ];

  test.each(invalidDestinations)('CreateLoggingConfiguration rejects %s', async (_case, destinationConfiguration, field) => {
    await expectFieldError(createConfig({ destinationConfiguration: destinationConfiguration as DestinationConfiguration }), field);
    expect(standIn.loggingConfigurations()).toEqual([]);
  });

  test('a destination with two members is rejected (raw HTTP: the SDK would not send one)', async () => {
    const signed = { 'authorization': 'AWS4-HMAC-SHA256 Credential=x/20250101/us-east-1/ivschat/aws4_request', 'content-type': 'application/json' };
    const body = JSON.stringify({ destinationConfiguration: { s3: { bucketName: 'abc' }, firehose: { deliveryStreamName: 'abc' } } });
    const response = await fetch(`${standIn.endpoint}/CreateLoggingConfiguration`, { method: 'POST', headers: signed, body });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ reason: 'FIELD_VALIDATION_FAILED', fieldList: [{ name: 'destinationConfiguration' }] });
  });

  test('CreateLoggingConfiguration rejects a bad name and bad tags', async () => {
    await expectFieldError(createConfig({ name: 'no spaces allowed' }), 'name');
    await expectFieldError(createConfig({ tags: { k: 'v'.repeat(257) } }), 'tags.k');
    expect(standIn.loggingConfigurations()).toEqual([]);
  });

  test('with transitionDelayMs, CREATING and UPDATING last until the delay has passed', async () => {
    standIn.setTransitionDelay(1_000);
    const created = await createConfig();
    const get = async () => (await client.send(new GetLoggingConfigurationCommand({ identifier: created.arn }))).state;

    now = T0 + 999;
    expect(await get()).toBe('CREATING');
    now = T0 + 1_000;
    expect(await get()).toBe('ACTIVE');

    const updated = await client.send(new UpdateLoggingConfigurationCommand({ identifier: created.arn, name: 'renamed' }));
    expect(updated.state).toBe('UPDATING');
    expect(await get()).toBe('UPDATING');
    now = T0 + 2_000;
    expect(await get()).toBe('ACTIVE');
  });

  test('UpdateLoggingConfiguration and DeleteLoggingConfiguration during a transition are ConflictExceptions', async () => {
    standIn.setTransitionDelay(1_000);
    const created = await createConfig({ name: 'original' });

    await expect(client.send(new UpdateLoggingConfigurationCommand({ identifier: created.arn, name: 'x' }))).rejects.toBeInstanceOf(ConflictException);
    const error = await errorOf(client.send(new DeleteLoggingConfigurationCommand({ identifier: created.arn })));
    expect(error).toBeInstanceOf(ConflictException);
    expect(error.$metadata.httpStatusCode).toBe(409);
    expect(standIn.loggingConfiguration(created.arn!)).toMatchObject({ name: 'original', state: 'CREATING' });
  });

  test('failNextLoggingConfigurationTransition makes the next create end in CREATE_FAILED, only once', async () => {
    standIn.failNextLoggingConfigurationTransition('CREATE_FAILED');

    const failed = await createConfig();
    const ok = await createConfig();

    expect(standIn.loggingConfiguration(failed.arn!)?.state).toBe('CREATE_FAILED');
    expect((await client.send(new GetLoggingConfigurationCommand({ identifier: failed.arn }))).state).toBe('CREATE_FAILED');
    expect((await client.send(new GetLoggingConfigurationCommand({ identifier: ok.arn }))).state).toBe('ACTIVE');
  });

  test('failNextLoggingConfigurationTransition(UPDATE_FAILED) fails the next update, not the next create', async () => {
    standIn.failNextLoggingConfigurationTransition('UPDATE_FAILED');
    const config = await createConfig();
    expect((await client.send(new GetLoggingConfigurationCommand({ identifier: config.arn }))).state).toBe('ACTIVE');

    await client.send(new UpdateLoggingConfigurationCommand({ identifier: config.arn, name: 'u1' }));
    expect((await client.send(new GetLoggingConfigurationCommand({ identifier: config.arn }))).state).toBe('UPDATE_FAILED');

    await client.send(new UpdateLoggingConfigurationCommand({ identifier: config.arn, name: 'u2' }));
    expect((await client.send(new GetLoggingConfigurationCommand({ identifier: config.arn }))).state).toBe('ACTIVE');
  });

  test('UpdateLoggingConfiguration changes only what is given and can switch the destination type', async () => {
    const config = await createConfig({ name: 'keep', tags: { a: '1' } });
    now = T0 + 3_000;

    const updated = await client.send(new UpdateLoggingConfigurationCommand({
      identifier: config.arn,
      destinationConfiguration: { firehose: { deliveryStreamName: 'stream' } },
    }));

    expect(updated).toMatchObject({ name: 'keep', destinationConfiguration: { firehose: { deliveryStreamName: 'stream' } }, tags: { a: '1' } });
    expect(updated.updateTime).toEqual(new Date(T0 + 3_000));
    expect(standIn.loggingConfiguration(config.arn!)?.destinationConfiguration).toEqual({ firehose: { deliveryStreamName: 'stream' } });
  });

  test('UpdateLoggingConfiguration validates and 404s like the other operations', async () => {
    const config = await createConfig();
    await expectFieldError(
      client.send(new UpdateLoggingConfigurationCommand({ identifier: config.arn, destinationConfiguration: { s3: { bucketName: 'X' } } })),
      'destinationConfiguration.s3.bucketName');
    await expectFieldError(client.send(new UpdateLoggingConfigurationCommand({ identifier: standIn.roomArn('AAAAAAAAAAAA') })), 'identifier');
    const error = await errorOf(client.send(new UpdateLoggingConfigurationCommand({ identifier: standIn.loggingConfigurationArn('Missing00000') })));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({ resourceId: 'Missing00000', resourceType: 'LOGGING_CONFIGURATION' });
    expect(standIn.loggingConfiguration(config.arn!)?.destinationConfiguration).toEqual(S3);
  });

  test('GetLoggingConfiguration of a missing configuration is a 404', async () => {
    await expect(client.send(new GetLoggingConfigurationCommand({ identifier: standIn.loggingConfigurationArn('Missing00000') })))
      .rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  test('DeleteLoggingConfiguration of a configuration attached to a room is a ConflictException; detached it answers 204', async () => {
    const config = await createConfig();
    const room = await createRoom({ loggingConfigurationIdentifiers: [config.arn!] });

    const conflict = await errorOf(client.send(new DeleteLoggingConfigurationCommand({ identifier: config.arn })));
    expect(conflict).toBeInstanceOf(ConflictException);
    expect(conflict).toMatchObject({ resourceId: config.id, resourceType: 'LOGGING_CONFIGURATION' });
    expect(standIn.loggingConfigurations()).toHaveLength(1);

    await client.send(new UpdateRoomCommand({ identifier: room.arn, loggingConfigurationIdentifiers: [] }));
    const deleted = await client.send(new DeleteLoggingConfigurationCommand({ identifier: config.arn }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(standIn.loggingConfigurations()).toEqual([]);
    await expect(client.send(new DeleteLoggingConfigurationCommand({ identifier: config.arn }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  test('the eleventh logging configuration exceeds the default quota of 10 (402)', async () => {
    for (let i = 0; i < 10; i++) await createConfig();

    const error = await errorOf(createConfig());

    expect(error).toBeInstanceOf(ServiceQuotaExceededException);
    expect(error.$metadata.httpStatusCode).toBe(402);
    expect((error as ServiceQuotaExceededException).limit).toBe(10);
    expect(standIn.loggingConfigurations()).toHaveLength(10);
  });

  test('the quota is configurable and frees up on delete', async () => {
    await withStandIn({ loggingConfigurationQuota: 1 }, async (s, c) => {
      const first = await c.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: S3 }));
      const error = await errorOf(c.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: S3 })));
      expect(error).toBeInstanceOf(ServiceQuotaExceededException);
      expect((error as ServiceQuotaExceededException).limit).toBe(1);

      await c.send(new DeleteLoggingConfigurationCommand({ identifier: first.arn }));
      await c.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: S3 }));
      expect(s.loggingConfigurations()).toHaveLength(1);
    });
  });

  test('ListLoggingConfigurations lists current states and paginates', async () => {
    standIn.failNextLoggingConfigurationTransition('CREATE_FAILED');
    const failed = await createConfig({ name: 'failed' });
    now += 1_000;
    const ok = await createConfig({ name: 'ok', destinationConfiguration: { cloudWatchLogs: { logGroupName: 'g' } } });

    const all = await client.send(new ListLoggingConfigurationsCommand({}));
    expect(all.loggingConfigurations).toEqual([
      expect.objectContaining({ arn: ok.arn, name: 'ok', state: 'ACTIVE', destinationConfiguration: { cloudWatchLogs: { logGroupName: 'g' } } }),
      expect.objectContaining({ arn: failed.arn, name: 'failed', state: 'CREATE_FAILED' }),
    ]);

    const page = await client.send(new ListLoggingConfigurationsCommand({ maxResults: 1 }));
    expect(page.loggingConfigurations!.map((l) => l.arn)).toEqual([ok.arn]);
    const next = await client.send(new ListLoggingConfigurationsCommand({ maxResults: 1, nextToken: page.nextToken }));
    expect(next.loggingConfigurations!.map((l) => l.arn)).toEqual([failed.arn]);
    expect(next.nextToken).toBeUndefined();
  });
});

// =============================================================================================
describe('tags', () => {
  test('TagResource merges, UntagResource removes several keys, ListTagsForResource reads them', async () => {
    const room = await createRoom({ tags: { a: '1', b: '2' } });

    await client.send(new TagResourceCommand({ resourceArn: room.arn, tags: { b: 'two', c: '3', d: '4' } }));
    expect((await client.send(new ListTagsForResourceCommand({ resourceArn: room.arn }))).tags).toEqual({ a: '1', b: 'two', c: '3', d: '4' });

    await client.send(new UntagResourceCommand({ resourceArn: room.arn, tagKeys: ['a', 'c', 'not-there'] }));
    expect((await client.send(new ListTagsForResourceCommand({ resourceArn: room.arn }))).tags).toEqual({ b: 'two', d: '4' });
    expect(standIn.room(room.arn!)?.tags).toEqual({ b: 'two', d: '4' });
  });

  test('tag routes carry the URL-encoded ARN in the path and tagKeys in the query', async () => {
    const room = await createRoom();
    await client.send(new UntagResourceCommand({ resourceArn: room.arn, tagKeys: ['x', 'y'] }));

    const [untag] = standIn.calls('UntagResource');
    expect(untag.method).toBe('DELETE');
    expect(untag.path).toBe(`/tags/${encodeURIComponent(room.arn!)}?tagKeys=x&tagKeys=y`);
    expect(untag.input).toEqual({ resourceArn: room.arn, tagKeys: ['x', 'y'] });
  });

  test('logging configurations are taggable too', async () => {
    const config = await createConfig({ tags: { a: '1' } });

    await client.send(new TagResourceCommand({ resourceArn: config.arn, tags: { b: '2' } }));
    await client.send(new UntagResourceCommand({ resourceArn: config.arn, tagKeys: ['a'] }));

    expect((await client.send(new ListTagsForResourceCommand({ resourceArn: config.arn }))).tags).toEqual({ b: '2' });
    expect(standIn.loggingConfiguration(config.arn!)?.tags).toEqual({ b: '2' });
  });

  test('tag operations on a missing resource are 404s naming its type', async () => {
    const error = await errorOf(client.send(new ListTagsForResourceCommand({ resourceArn: standIn.loggingConfigurationArn('Missing00000') })));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({ resourceId: 'Missing00000', resourceType: 'LOGGING_CONFIGURATION' });

    await expect(client.send(new TagResourceCommand({ resourceArn: standIn.roomArn('Missing00000'), tags: { a: 'b' } })))
      .rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new UntagResourceCommand({ resourceArn: standIn.roomArn('Missing00000'), tagKeys: ['a'] })))
      .rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  test('tag operations need an ivschat room or logging-configuration ARN', async () => {
    await expectFieldError(client.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:ivs:us-east-1:123456789012:channel/abc' })), 'resourceArn');
    await expectFieldError(client.send(new TagResourceCommand({ resourceArn: 'AbCdEfGhIjKl', tags: { a: 'b' } })), 'resourceArn');
  });

  test('TagResource validates tags and refuses to go past 50 in total', async () => {
    const room = await createRoom({ tags: Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v'])) });

    await expectFieldError(client.send(new TagResourceCommand({ resourceArn: room.arn, tags: { 'aws:reserved': 'x' } })), 'tags.aws:reserved');
    await expectFieldError(client.send(new TagResourceCommand({ resourceArn: room.arn, tags: { new1: 'a', new2: 'b' } })), 'tags');
    await client.send(new TagResourceCommand({ resourceArn: room.arn, tags: { new1: 'a', k0: 'overwritten' } }));

    expect(Object.keys(standIn.room(room.arn!)!.tags)).toHaveLength(50);
    expect(standIn.room(room.arn!)!.tags.k0).toBe('overwritten');
  });

  test('UntagResource requires tagKeys and validates their length', async () => {
    const room = await createRoom({ tags: { a: '1' } });

    await expectFieldError(client.send(new UntagResourceCommand({ resourceArn: room.arn, tagKeys: [] })), 'tagKeys');
    await expectFieldError(client.send(new UntagResourceCommand({ resourceArn: room.arn, tagKeys: ['k'.repeat(129)] })), 'tagKeys.0');
    expect(standIn.room(room.arn!)?.tags).toEqual({ a: '1' });
  });
});

// =============================================================================================
describe('chat tokens', () => {
  test('CreateChatToken issues a token with the default 60-minute session and records what it was issued for', async () => {
    const room = await createRoom();

    const answer = await createToken({ roomIdentifier: room.arn!, userId: 'alice' });

    expect(answer.token).toEqual(expect.any(String));
    expect(answer.tokenExpirationTime).toEqual(new Date(T0 + 60_000));
    expect(answer.sessionExpirationTime).toEqual(new Date(T0 + 60 * 60_000));
    expect(standIn.issuedTokens()).toEqual([{
      token: answer.token,
      roomArn: room.arn,
      userId: 'alice',
      capabilities: [],
      attributes: {},
      sessionDurationInMinutes: 60,
      issuedAt: new Date(T0),
      tokenExpirationTime: new Date(T0 + 60_000),
      sessionExpirationTime: new Date(T0 + 60 * 60_000),
    }]);
  });

  test('capabilities, duration and attributes are recorded; tokens are unique', async () => {
    const room = await createRoom();
    const input = {
      roomIdentifier: room.arn!,
      userId: 'moderator-ü',
      capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'] as const,
      sessionDurationInMinutes: 180,
      attributes: { displayName: 'Mod', color: 'red' },
    };

    const first = await createToken({ ...input, capabilities: [...input.capabilities] });
    const second = await createToken({ ...input, capabilities: [...input.capabilities] });

    expect(first.token).not.toBe(second.token);
    expect(first.sessionExpirationTime).toEqual(new Date(T0 + 180 * 60_000));
    expect(standIn.issuedTokens()[0]).toMatchObject({
      roomArn: room.arn,
      userId: 'moderator-ü',
      capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'],
      sessionDurationInMinutes: 180,
      attributes: { displayName: 'Mod', color: 'red' },
    });
    expect(standIn.issuedTokens()).toHaveLength(2);
  });

  test('attributes may use exactly 1 KB (UTF-8 bytes of keys and values)', async () => {
    const room = await createRoom();
    // 'k' (1 byte) + 'é' x 511 (1022 bytes) + 'x' (1 byte) = 1024 bytes.
    await createToken({ roomIdentifier: room.arn!, attributes: { k: 'é'.repeat(511) + 'x' } });
    expect(standIn.issuedTokens()).toHaveLength(1);
  });

  test.each<[string, Partial<CreateChatTokenCommandInput>, string]>([
    ['an empty userId', { userId: '' }, 'userId'],
    ['a userId longer than 128', { userId: 'u'.repeat(129) }, 'userId'],
    ['an unknown capability', { capabilities: ['SEND_MESSAGE', 'BAN_USER' as 'SEND_MESSAGE'] }, 'capabilities.1'],
    ['a session of 0 minutes', { sessionDurationInMinutes: 0 }, 'sessionDurationInMinutes'],
    ['a session of 181 minutes', { sessionDurationInMinutes: 181 }, 'sessionDurationInMinutes'],
    ['attributes over 1 KB', { attributes: { k: 'é'.repeat(512) } }, 'attributes'],
  ])('CreateChatToken rejects %s', async (_case, input, field) => {
    const room = await createRoom();
    await expectFieldError(createToken({ roomIdentifier: room.arn!, ...input }), field);
    expect(standIn.issuedTokens()).toEqual([]);
  });

  test('CreateChatToken needs the ARN of an existing room', async () => {
    await expectFieldError(createToken({ roomIdentifier: 'AbCdEfGhIjKl' }), 'roomIdentifier');
    const error = await errorOf(createToken({ roomIdentifier: standIn.roomArn('Missing00000') }));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({ resourceId: 'Missing00000', resourceType: 'ROOM' });
    expect(standIn.issuedTokens()).toEqual([]);
  });
});

// =============================================================================================
describe('fault injection', () => {
  test('throttling: the next N calls get ThrottlingException 429 with the group limit, then calls succeed', async () => {
    const room = await createRoom();
    standIn.failNext('GetRoom', 2, 'throttling');

    for (let i = 0; i < 2; i++) {
      const error = await errorOf(client.send(new GetRoomCommand({ identifier: room.arn })));
      expect(error).toBeInstanceOf(ThrottlingException);
      expect(error).toMatchObject({ name: 'ThrottlingException', limit: 5, resourceId: room.id, resourceType: 'ROOM' });
      expect(error.$metadata.httpStatusCode).toBe(429);
    }
    await expect(client.send(new GetRoomCommand({ identifier: room.arn }))).resolves.toMatchObject({ arn: room.arn });
    expect(standIn.calls('GetRoom').map((c) => c.status)).toEqual([429, 429, 200]);
  });

  test('the SDK\'s default retries get past one injected throttle', async () => {
    const retrying = newClient(standIn, 3);
    try {
      standIn.failNext('CreateRoom', 1, 'throttling');
      const room = await retrying.send(new CreateRoomCommand({ name: 'retried' }));
      expect(room.$metadata.attempts).toBe(2);
      expect(standIn.rooms().map((r) => r.name)).toEqual(['retried']);
    } finally {
      retrying.destroy();
    }
  });

  test('internal: InternalServerException 500, a server fault', async () => {
    standIn.failNext('ListRooms', 1, 'internal');

    const error = await errorOf(client.send(new ListRoomsCommand({})));

    expect(error).toBeInstanceOf(InternalServerException);
    expect(error.$metadata.httpStatusCode).toBe(500);
    expect(error.$fault).toBe('server');
  });

  test('conflict: ConflictException 409 naming the target resource, and the operation does not happen', async () => {
    const config = await createConfig();
    standIn.failNext('DeleteLoggingConfiguration', 1, 'conflict');

    const error = await errorOf(client.send(new DeleteLoggingConfigurationCommand({ identifier: config.arn })));

    expect(error).toBeInstanceOf(ConflictException);
    expect(error).toMatchObject({ resourceId: config.id, resourceType: 'LOGGING_CONFIGURATION' });
    expect(error.$metadata.httpStatusCode).toBe(409);
    expect(standIn.loggingConfigurations()).toHaveLength(1);
  });

  test('invalidLambdaPermission: CreateRoom fails like an unpropagated Lambda permission, then succeeds', async () => {
    standIn.failNext('CreateRoom', 1, 'invalidLambdaPermission');
    const input = { messageReviewHandler: { uri: LAMBDA } };

    const error = await expectFieldError(createRoom(input), 'messageReviewHandler.uri');

    expect(error.message).toBe('invalid lambda permission');
    expect(error.fieldList).toEqual([{ name: 'messageReviewHandler.uri', message: 'invalid lambda permission' }]);
    expect(standIn.rooms()).toEqual([]);
    await expect(createRoom(input)).resolves.toMatchObject({ messageReviewHandler: { uri: LAMBDA } });
  });

  test('invalidLambdaPermission on UpdateRoom leaves the room unchanged', async () => {
    const room = await createRoom();
    standIn.failNext('UpdateRoom', 1, 'invalidLambdaPermission');

    await expectFieldError(client.send(new UpdateRoomCommand({ identifier: room.arn, messageReviewHandler: { uri: LAMBDA } })), 'messageReviewHandler.uri');

    expect(standIn.room(room.arn!)?.messageReviewHandler).toBeUndefined();
  });

  test('invalidLambdaPermission is refused for operations that never give it', () => {
    expect(() => standIn.failNext('GetRoom', 1, 'invalidLambdaPermission')).toThrow(/CreateRoom/);
    expect(() => standIn.failNext('GetRoom', 0, 'internal')).toThrow(/count/);
    expect(standIn.pendingFaults()).toBe(0);
  });

  test('a custom fault becomes the matching typed exception, or a generic service exception', async () => {
    standIn.failNext('CreateChatToken', 1, { name: 'PendingVerification', status: 403, message: 'verify your account' });
    standIn.failNext('CreateChatToken', 1, { name: 'SomethingNew', status: 503, message: 'new error', fields: { extra: 1 } });
    const room = await createRoom();

    const pending = await errorOf(createToken({ roomIdentifier: room.arn! }));
    expect(pending).toBeInstanceOf(PendingVerification);
    expect(pending).toMatchObject({ message: 'verify your account' });
    expect(pending.$metadata.httpStatusCode).toBe(403);

    const unknown = await errorOf(createToken({ roomIdentifier: room.arn! }));
    expect(unknown).toBeInstanceOf(IvschatServiceException);
    expect(unknown).toMatchObject({ name: 'SomethingNew', message: 'new error' });
    expect(unknown.$metadata.httpStatusCode).toBe(503);
    expect(standIn.issuedTokens()).toEqual([]);
  });

  test('faults are per operation and queue in order', async () => {
    standIn.failNext('CreateRoom', 1, 'internal');
    standIn.failNext('CreateRoom', 1, 'conflict');

    await expect(client.send(new ListRoomsCommand({}))).resolves.toBeDefined();
    await expect(createRoom()).rejects.toBeInstanceOf(InternalServerException);
    await expect(createRoom()).rejects.toBeInstanceOf(ConflictException);
    await expect(createRoom()).resolves.toBeDefined();
    expect(standIn.pendingFaults()).toBe(0);
  });

  test('setLatency delays only that operation', async () => {
    standIn.setLatency('ListRooms', 300);

    let started = Date.now();
    await client.send(new ListRoomsCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);

    started = Date.now();
    await client.send(new ListLoggingConfigurationsCommand({}));
    expect(Date.now() - started).toBeLessThan(290);
  });
});

describe('after-commit faults', () => {
  test('internal: the room is created, yet the answer is a 500 InternalServerException; the call record says it was done', async () => {
    standIn.failNextAfterCommit('CreateRoom', 1, 'internal');

    const error = await errorOf(createRoom({ name: 'lobby', tags: { k: 'v' } }));

    expect(error).toBeInstanceOf(InternalServerException);
    expect(error.$metadata.httpStatusCode).toBe(500);
    expect(standIn.rooms().map((r) => [r.name, r.tags])).toEqual([['lobby', { k: 'v' }]]);
    expect(standIn.calls('CreateRoom').map((c) => [c.status, c.committed])).toEqual([[500, true]]);
    // and the summaries of ListRooms carry the tags, so what was made can be found
    const listed = await client.send(new ListRoomsCommand({}));
    expect(listed.rooms?.map((r) => r.tags)).toEqual([{ k: 'v' }]);
    const configs = await client.send(new ListLoggingConfigurationsCommand({}));
    expect(configs.loggingConfigurations).toEqual([]);
  });

  test('noAnswer: the logging configuration is created and the request is never answered', async () => {
    standIn.failNextAfterCommit('CreateLoggingConfiguration', 1, 'noAnswer');
    const controller = new AbortController();
    const sent = client.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: S3, tags: { k: 'v' } }),
      { abortSignal: controller.signal });

    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort();

    await expect(sent).rejects.toMatchObject({ name: 'AbortError' });
    expect(standIn.loggingConfigurations()).toHaveLength(1);
    expect(standIn.calls('CreateLoggingConfiguration').map((c) => [c.status, c.committed])).toEqual([[0, true]]);
    const listed = await client.send(new ListLoggingConfigurationsCommand({}));
    expect(listed.loggingConfigurations?.map((c) => c.tags)).toEqual([{ k: 'v' }]);
    expect(standIn.pendingFaults()).toBe(0);
  });
});

// =============================================================================================
describe('rate limiting', () => {
  test('is off by default: a burst of 30 room calls all succeed', async () => {
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => client.send(new ListRoomsCommand({}))));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
  });

  test.each<[OperationGroup, number, () => Promise<unknown>]>([
    ['room', 5, () => client.send(new ListRoomsCommand({}))],
    ['loggingConfiguration', 3, () => client.send(new ListLoggingConfigurationsCommand({}))],
    ['tag', 10, () => client.send(new ListTagsForResourceCommand({ resourceArn: standIn.rooms()[0].arn }))],
    ['chatToken', 200, () => createToken({ roomIdentifier: standIn.rooms()[0].arn })],
  ])('rateLimits: true throttles the %s group past %d TPS', async (_group, limit, call) => {
    standIn.seedRoom();
    standIn.setRateLimits(true);

    for (let i = 0; i < limit; i++) await call();
    const error = await errorOf(call());

    expect(error).toBeInstanceOf(ThrottlingException);
    expect((error as ThrottlingException).limit).toBe(limit);
    expect(error.$metadata.httpStatusCode).toBe(429);
  });

  test('groups have separate buckets, and the bucket refills over time', async () => {
    standIn.setRateLimits({ room: 2 });

    await client.send(new ListRoomsCommand({}));
    await client.send(new ListRoomsCommand({}));
    await expect(client.send(new ListRoomsCommand({}))).rejects.toBeInstanceOf(ThrottlingException);
    await expect(client.send(new ListLoggingConfigurationsCommand({}))).resolves.toBeDefined();

    now += 500; // half a second at 2 TPS refills one token
    await expect(client.send(new ListRoomsCommand({}))).resolves.toBeDefined();
    await expect(client.send(new ListRoomsCommand({}))).rejects.toBeInstanceOf(ThrottlingException);
  });

  test('each operation has its own bucket at its group\'s rate (Service Quotas: CreateRoom 5 TPS, DeleteRoom 5 TPS, ...)', async () => {
    standIn.setRateLimits({ room: 1 });
    const room = standIn.seedRoom();

    await client.send(new ListRoomsCommand({}));
    await expect(client.send(new ListRoomsCommand({}))).rejects.toBeInstanceOf(ThrottlingException);
    // GetRoom is another room operation, with a bucket of its own
    await expect(client.send(new GetRoomCommand({ identifier: room.arn }))).resolves.toBeDefined();
    await expect(client.send(new GetRoomCommand({ identifier: room.arn }))).rejects.toBeInstanceOf(ThrottlingException);
  });

  test('the rateLimits start option enables limiting with per-group overrides', async () => {
    await withStandIn({ rateLimits: { loggingConfiguration: 1 } }, async (s, c) => {
      await c.send(new ListLoggingConfigurationsCommand({}));
      const error = await errorOf(c.send(new ListLoggingConfigurationsCommand({})));
      expect(error).toBeInstanceOf(ThrottlingException);
      expect((error as ThrottlingException).limit).toBe(1);
      expect(s.calls('ListLoggingConfigurations').map((call) => call.status)).toEqual([200, 429]);
    });
  });

  test('setRateLimits(false) turns limiting off again', async () => {
    standIn.setRateLimits({ room: 1 });
    await client.send(new ListRoomsCommand({}));
    await expect(client.send(new ListRoomsCommand({}))).rejects.toBeInstanceOf(ThrottlingException);

    standIn.setRateLimits(false);
    await expect(client.send(new ListRoomsCommand({}))).resolves.toBeDefined();
  });
});

// =============================================================================================
describe('inspection and seeding', () => {
  test('calls(operation) logs parsed inputs and statuses, so a test can assert a call was never made', async () => {
    const room = await createRoom({ name: 'logged', tags: { a: 'b' } });
    await errorOf(client.send(new GetRoomCommand({ identifier: standIn.roomArn('Missing00000') })));

    const [create] = standIn.calls('CreateRoom');
    expect(create.input.name).toBe('logged');
    expect(create.input.tags).toEqual({ a: 'b' });
    expect(create.status).toBe(200);
    expect(standIn.calls('GetRoom')).toEqual([expect.objectContaining({ status: 404, errorType: 'ResourceNotFoundException' })]);
    expect(standIn.calls('UpdateRoom')).toEqual([]);
    expect(standIn.calls('TagResource')).toEqual([]);
    expect(standIn.calls().map((c) => c.operation)).toEqual(['CreateRoom', 'GetRoom']);
    expect(room.arn).toBeDefined();
  });

  test('snapshots are copies: changing them does not change the stand-in', async () => {
    const room = await createRoom({ tags: { a: '1' } });

    (standIn.room(room.arn!)!.tags as Record<string, string>).a = 'changed';
    (standIn.calls()[0].input as Record<string, unknown>).name = 'changed';

    expect(standIn.room(room.arn!)!.tags).toEqual({ a: '1' });
    expect(standIn.calls()[0].input.name).toBeUndefined();
  });

  test('seeded resources are visible through the API, are validated, and are not logged as calls', async () => {
    const config = standIn.seedLoggingConfiguration({ destinationConfiguration: S3 });
    const room = standIn.seedRoom({ name: 'seeded', loggingConfigurationIdentifiers: [config.arn] });
    const failed = standIn.seedLoggingConfiguration({ destinationConfiguration: S3 }, 'UPDATE_FAILED');

    expect(config.state).toBe('ACTIVE');
    expect((await client.send(new GetRoomCommand({ identifier: room.arn }))).loggingConfigurationIdentifiers).toEqual([config.arn]);
    expect((await client.send(new GetLoggingConfigurationCommand({ identifier: failed.arn }))).state).toBe('UPDATE_FAILED');
    expect(standIn.calls().map((c) => c.operation)).toEqual(['GetRoom', 'GetLoggingConfiguration']);
    expect(() => standIn.seedRoom({ name: 'bad name' })).toThrow(/name/);
  });

  test('reset() forgets resources, tokens, calls and faults', async () => {
    const room = await createRoom();
    await createToken({ roomIdentifier: room.arn! });
    standIn.failNext('GetRoom', 5, 'internal');
    standIn.failNextLoggingConfigurationTransition('CREATE_FAILED');

    standIn.reset();

    expect(standIn.rooms()).toEqual([]);
    expect(standIn.issuedTokens()).toEqual([]);
    expect(standIn.calls()).toEqual([]);
    expect(standIn.pendingFaults()).toBe(0);
    const config = await createConfig();
    expect(standIn.loggingConfiguration(config.arn!)?.state).toBe('ACTIVE');
  });

  test('region and account options shape ARNs and where review handlers may live', async () => {
    await withStandIn({ region: 'eu-west-1', accountId: '111122223333' }, async (s, c) => {
      const room = await c.send(new CreateRoomCommand({ messageReviewHandler: { uri: 'arn:aws:lambda:eu-west-1:111122223333:function:f' } }));
      expect(room.arn).toMatch(/^arn:aws:ivschat:eu-west-1:111122223333:room\/[a-zA-Z0-9]{12}$/);
      expect(s.clientConfig().region).toBe('eu-west-1');
      await expectFieldError(c.send(new CreateRoomCommand({ messageReviewHandler: { uri: LAMBDA } })), 'messageReviewHandler.uri');
    });
  });
});
