/**
 * Logging-configuration lifecycle through the BUNDLED provider and the real SDK against the IVS Chat
 * stand-in, including its asynchronous CREATING / UPDATING states. Production waits poll every 4 s and
 * retry conflicts every 5 s; the tests that would take minutes with them call the lifecycle functions
 * with short waits instead. Run `npx projen bundle` first.
 */
import { IvschatClient } from '@aws-sdk/client-ivschat';
import {
  LOGGING_CONFIGURATION_TYPE, providerTagsOf, providerTagsOn, ResourceProperties, ROOM_TYPE, sleep, timed, useLifecycleSuite, reasonOf,
} from './harness';
import { CreatedButFailedError } from '../../src/handlers/provider/create-once';
import { LoggingConfigurationWaits, onLoggingConfigurationEvent } from '../../src/handlers/provider/logging-configuration';
import { LoggingConfigurationSnapshot } from 'cdk-ivs-chat/testing';

const suite = useLifecycleSuite();
const configs = () => suite.events(LOGGING_CONFIGURATION_TYPE, 'ChatLogs');
const rooms = () => suite.events(ROOM_TYPE, 'LobbyRoom');

const CONFIG_ARN = /^arn:aws:ivschat:us-east-1:123456789012:logging-configuration\/[a-zA-Z0-9]{12}$/;
const S3 = { DestinationConfiguration: { S3: { BucketName: 'chat-logs' } } };
const CLOUDWATCH = { DestinationConfiguration: { CloudWatchLogs: { LogGroupName: '/ivs/chat/lobby' } } };
const FIREHOSE = { DestinationConfiguration: { Firehose: { DeliveryStreamName: 'chat-stream' } } };

function configOf(arn: string): LoggingConfigurationSnapshot {
  const config = suite.standIn.loggingConfiguration(arn);
  if (!config) throw new Error(`logging configuration ${arn} does not exist in the stand-in`);
  return config;
}

async function createConfig(props: ResourceProperties): Promise<string> {
  const response = await suite.invoke(configs().create(props));
  expect(response).toMatchObject({ Status: 'SUCCESS', Reason: '' });
  return response.PhysicalResourceId;
}

async function deleteConfig(arn: string, props: ResourceProperties): Promise<void> {
  const response = await suite.invoke(configs().delete(arn, props));
  expect(response).toMatchObject({ Status: 'SUCCESS', Reason: '', PhysicalResourceId: arn });
}

describe('production waits (poll every 4 s) on the bundled handler', () => {
  test('create answers only once ACTIVE; update across S3 -> CloudWatch Logs -> Firehose answers once ACTIVE again; delete twice', async () => {
    suite.standIn.setTransitionDelay(1_500);
    const props = { Name: 'chat-logs', ...S3, Tags: { team: 'chat' } };

    // WHEN
    const event = configs().create(props);
    const { result: created, ms } = await timed(() => suite.invoke(event));

    // THEN SUCCESS came after the configuration turned ACTIVE, never while CREATING
    expect(created).toMatchObject({ Status: 'SUCCESS', Reason: '' });
    const arn = created.PhysicalResourceId;
    expect(arn).toMatch(CONFIG_ARN);
    expect(created.Data).toEqual({ Arn: arn, Id: arn.split('/')[1], State: 'ACTIVE' });
    expect(ms).toBeGreaterThanOrEqual(1_500);
    const [createCall] = suite.standIn.calls('CreateLoggingConfiguration');
    expect(createCall.input).toEqual({
      name: 'chat-logs', destinationConfiguration: { s3: { bucketName: 'chat-logs' } }, tags: { team: 'chat', ...providerTagsOf(event) },
    });
    const polls = suite.standIn.calls('GetLoggingConfiguration');
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(polls[polls.length - 1].time.getTime() - createCall.time.getTime()).toBeGreaterThanOrEqual(1_500);
    expect(configOf(arn)).toMatchObject({ name: 'chat-logs', state: 'ACTIVE', destinationConfiguration: { s3: { bucketName: 'chat-logs' } }, tags: { team: 'chat' } });

    // WHEN the destination changes type twice (the second transition is instant: the wait is proven once is enough)
    let oldProps: ResourceProperties = props;
    for (const [newDestination, expected, delayMs] of [
      [CLOUDWATCH, { cloudWatchLogs: { logGroupName: '/ivs/chat/lobby' } }, 1_500],
      [FIREHOSE, { firehose: { deliveryStreamName: 'chat-stream' } }, 0],
    ] as const) {
      suite.standIn.setTransitionDelay(delayMs);
      const newProps = { ...oldProps, ...newDestination };
      const since = suite.mark();
      const { result: updated, ms: updateMs } = await timed(() => suite.invoke(configs().update(arn, oldProps, newProps)));

      expect(updated).toMatchObject({ Status: 'SUCCESS', Reason: '', PhysicalResourceId: arn, Data: { Arn: arn, State: 'ACTIVE' } });
      expect(updateMs).toBeGreaterThanOrEqual(delayMs);
      expect(suite.writesSince(since)).toEqual(['UpdateLoggingConfiguration']);
      expect(suite.callsSince(since, 'UpdateLoggingConfiguration')[0].input).toEqual({ identifier: arn, destinationConfiguration: expected });
      expect(configOf(arn)).toMatchObject({ state: 'ACTIVE', destinationConfiguration: expected });
      oldProps = newProps;
    }

    // WHEN deleted, and deleted again
    await deleteConfig(arn, oldProps);
    expect(suite.standIn.loggingConfigurations()).toEqual([]);
    await deleteConfig(arn, oldProps);
    expect(suite.standIn.calls('DeleteLoggingConfiguration').map((c) => c.status)).toEqual([204, 404]);
  });

  test('CREATE_FAILED: FAILED naming the state and the destination, with the ARN as physical id; the rollback Delete removes it', async () => {
    suite.standIn.setTransitionDelay(1_000);
    suite.standIn.failNextLoggingConfigurationTransition('CREATE_FAILED');
    const event = configs().create(S3);

    const response = await suite.invoke(event);

    expect(response.Status).toBe('FAILED');
    expect(response.PhysicalResourceId).toMatch(CONFIG_ARN);
    expect(response.Reason).toBe(`Logging configuration ${response.PhysicalResourceId} is CREATE_FAILED: IVS Chat could not set up log ` +
      'delivery to S3 BucketName "chat-logs". Check that the destination exists in this account and region and that its policy ' +
      'lets delivery.logs.amazonaws.com write to it');
    // The configuration is left for CloudFormation's rollback, which knows it by that physical id
    expect(suite.standIn.calls('DeleteLoggingConfiguration')).toEqual([]);
    expect(configOf(response.PhysicalResourceId).state).toBe('CREATE_FAILED');

    const rollback = await suite.invoke(configs().delete(response.PhysicalResourceId, S3));
    expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: response.PhysicalResourceId });
    expect(suite.standIn.calls('DeleteLoggingConfiguration').map((c) => c.status)).toEqual([204]);
    expect(suite.standIn.loggingConfigurations()).toEqual([]);
  });

  test('UPDATE_FAILED: FAILED naming the state, same physical id; the rollback Update brings it back to ACTIVE', async () => {
    const arn = await createConfig(S3);
    suite.standIn.failNextLoggingConfigurationTransition('UPDATE_FAILED');

    const response = await suite.invoke(configs().update(arn, S3, CLOUDWATCH));

    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: arn });
    expect(response.Reason).toBe(`Logging configuration ${arn} is UPDATE_FAILED: IVS Chat could not set up log delivery to ` +
      'CloudWatchLogs LogGroupName "/ivs/chat/lobby". Check that the destination exists in this account and region ' +
      'and that its policy lets delivery.logs.amazonaws.com write to it');
    expect(configOf(arn).state).toBe('UPDATE_FAILED');

    // CloudFormation rolls back with the properties swapped (assumed: the service accepts an update of an UPDATE_FAILED configuration)
    const rollback = await suite.invoke(configs().update(arn, CLOUDWATCH, S3));
    expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: arn, Data: { State: 'ACTIVE' } });
    expect(configOf(arn)).toMatchObject({ state: 'ACTIVE', destinationConfiguration: { s3: { bucketName: 'chat-logs' } } });
    await deleteConfig(arn, S3);
  });

  test('delete blocked by a room (ConflictException) succeeds once the room lets go during the retry window', async () => {
    const config = suite.standIn.seedLoggingConfiguration({ destinationConfiguration: { s3: { bucketName: 'chat-logs' } } });
    const room = suite.standIn.seedRoom({ name: 'lobby', loggingConfigurationIdentifiers: [config.arn] });
    const roomProps = { Name: 'lobby', LoggingConfigurationIdentifiers: [config.arn] };
    suite.expectRemaining({ rooms: [room.arn] });

    // WHEN the configuration's Delete and, 2 s later, the room's Update that detaches it run at once
    const detach = sleep(2_000).then(() => suite.invoke(rooms().update(room.arn, roomProps, { Name: 'lobby' })));
    const [deleted, detached] = await Promise.all([suite.invoke(configs().delete(config.arn, S3)), detach]);

    // THEN
    expect(detached.Status).toBe('SUCCESS');
    expect(deleted).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: config.arn });
    expect(suite.standIn.calls('DeleteLoggingConfiguration').map((c) => [c.status, c.errorType])).toEqual([
      [409, 'ConflictException'], [204, undefined],
    ]);
    expect(suite.standIn.loggingConfigurations()).toEqual([]);
    expect(suite.standIn.room(room.arn)?.loggingConfigurationIdentifiers).toEqual([]);
  });

  test('delete of a configuration that no longer exists, and of a failed create, succeed', async () => {
    const missing = suite.standIn.loggingConfigurationArn('AbCdEfGhIjKl');

    await deleteConfig(missing, S3);
    const failedCreate = await suite.invoke(configs().delete('failed-create-1234', S3));

    expect(failedCreate).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'failed-create-1234' });
    expect(suite.standIn.calls().map((c) => [c.operation, c.status])).toEqual([['DeleteLoggingConfiguration', 404], ['ListLoggingConfigurations', 200]]);
  });

  test('a rename, a tag change and a no-op update each send only what changed', async () => {
    const props = { Name: 'chat-logs', ...S3, Tags: { team: 'chat', env: 'test' } };
    const arn = await createConfig(props);

    let since = suite.mark();
    const renamed = { ...props, Name: 'chat-logs-2' };
    expect((await suite.invoke(configs().update(arn, props, renamed))).Status).toBe('SUCCESS');
    expect(suite.writesSince(since)).toEqual(['UpdateLoggingConfiguration']);
    expect(suite.callsSince(since, 'UpdateLoggingConfiguration')[0].input).toEqual({ identifier: arn, name: 'chat-logs-2' });
    expect(configOf(arn).name).toBe('chat-logs-2');

    since = suite.mark();
    const retagged = { ...renamed, Tags: { env: 'prod', owner: 'ops' } };
    expect((await suite.invoke(configs().update(arn, renamed, retagged))).Status).toBe('SUCCESS');
    expect(suite.callsSince(since).map((c) => [c.operation, c.input])).toEqual([
      ['UntagResource', { resourceArn: arn, tagKeys: ['team'] }],
      ['TagResource', { resourceArn: arn, tags: { env: 'prod', owner: 'ops' } }],
      ['GetLoggingConfiguration', { identifier: arn }],
    ]);
    // the provider's marker is never part of a tag diff
    expect(configOf(arn).tags).toEqual({ env: 'prod', owner: 'ops', ...providerTagsOn(configOf(arn).tags) });

    since = suite.mark();
    const noop = await suite.invoke(configs().update(arn, retagged, retagged));
    expect(noop).toMatchObject({ Status: 'SUCCESS', Data: { State: 'ACTIVE' } });
    // no write: only the read that gives the State attribute
    expect(suite.callsSince(since).map((c) => c.operation)).toEqual(['GetLoggingConfiguration']);
    await deleteConfig(arn, retagged);
  });

  test('the account quota reached: FAILED naming CreateLoggingConfiguration and the quota', async () => {
    const seeded = Array.from({ length: 10 }, (_, i) =>
      suite.standIn.seedLoggingConfiguration({ destinationConfiguration: { s3: { bucketName: `chat-logs-${i}` } } }).arn);
    suite.expectRemaining({ loggingConfigurations: seeded });

    const response = await suite.invoke(configs().create(S3));

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toBe('CreateLoggingConfiguration failed: ServiceQuotaExceededException: Limit of 10 logging configurations per account and region reached');
  });

  test('throttling of the create and an internal error while polling are retried by the provider', async () => {
    suite.standIn.failNext('CreateLoggingConfiguration', 1, 'throttling');
    suite.standIn.failNext('GetLoggingConfiguration', 1, 'internal');

    const arn = await createConfig(S3);

    expect(suite.standIn.calls('CreateLoggingConfiguration').map((c) => c.status)).toEqual([429, 200]);
    expect(suite.standIn.calls('GetLoggingConfiguration').map((c) => c.status)).toEqual([500, 200]);
    expect(suite.standIn.loggingConfigurations()).toHaveLength(1);
    await deleteConfig(arn, S3);
  });
});

describe('short waits on the lifecycle functions', () => {
  let client: IvschatClient;
  beforeAll(() => {
    client = new IvschatClient({ ...suite.standIn.clientConfig(), maxAttempts: 3 });
  });
  afterAll(() => client.destroy());

  const waits = (stableMs: number, conflictMs: number): LoggingConfigurationWaits => ({
    stable: { timeoutMs: stableMs, intervalMs: 100 },
    conflict: { timeoutMs: conflictMs, intervalMs: 100 },
  });

  test('a delete still blocked when the retries run out names the rooms that hold the configuration', async () => {
    const config = suite.standIn.seedLoggingConfiguration({ destinationConfiguration: { s3: { bucketName: 'chat-logs' } } });
    const lobby = suite.standIn.seedRoom({ name: 'lobby', loggingConfigurationIdentifiers: [config.arn] });
    const unnamed = suite.standIn.seedRoom({ loggingConfigurationIdentifiers: [config.arn] });
    suite.expectRemaining({ rooms: [lobby.arn, unnamed.arn], loggingConfigurations: [config.arn] });

    const reason = await reasonOf(onLoggingConfigurationEvent(client, configs().delete(config.arn, S3), waits(1_000, 1_000)));

    expect(reason).toMatch(/^DeleteLoggingConfiguration failed after 1 s of retries: ConflictException: /);
    expect(reason).toContain(`${lobby.arn} (lobby)`);
    expect(reason).toContain(unnamed.arn);
    expect(reason).toMatch(/remove it from their loggingConfigurations first$/);
    // every attempt met the conflict (how often it retries within the wait: retry.test.ts, on a fake clock)
    const attempts = suite.standIn.calls('DeleteLoggingConfiguration');
    expect(attempts.length).toBeGreaterThanOrEqual(1);
    expect(attempts.every((call) => call.status === 409)).toBe(true);
    expect(suite.standIn.calls('ListRooms')[0].input).toMatchObject({ loggingConfigurationIdentifier: config.arn });
  });

  test('still CREATING when the wait runs out: FAILED with the ARN, and the rollback Delete removes it once it settles', async () => {
    suite.standIn.setTransitionDelay(1_000);

    const error = await onLoggingConfigurationEvent(client, configs().create(S3), waits(300, 3_000)).catch((err: Error) => err);

    expect(error).toBeInstanceOf(CreatedButFailedError);
    const arn = (error as CreatedButFailedError).physicalResourceId;
    expect((error as Error).message).toBe(`Logging configuration ${arn} is still CREATING after 0 s (destination S3 BucketName "chat-logs")`);
    // the rollback's Delete meets ConflictException while CREATING and retries until the delete went through
    await onLoggingConfigurationEvent(client, configs().delete(arn, S3), waits(3_000, 3_000));
    const deletes = suite.standIn.calls('DeleteLoggingConfiguration').map((c) => c.status);
    expect(deletes[0]).toBe(409);
    expect(deletes[deletes.length - 1]).toBe(204);
    expect(suite.standIn.loggingConfigurations()).toEqual([]);
  });

  test('an update meeting ConflictException (an earlier update still running) retries until it goes through', async () => {
    const config = suite.standIn.seedLoggingConfiguration({ destinationConfiguration: { s3: { bucketName: 'chat-logs' } } });
    suite.standIn.failNext('UpdateLoggingConfiguration', 2, 'conflict');

    await onLoggingConfigurationEvent(client, configs().update(config.arn, S3, CLOUDWATCH), waits(2_000, 2_000));

    expect(suite.standIn.calls('UpdateLoggingConfiguration').map((c) => c.status)).toEqual([409, 409, 200]);
    expect(configOf(config.arn)).toMatchObject({ state: 'ACTIVE', destinationConfiguration: { cloudWatchLogs: { logGroupName: '/ivs/chat/lobby' } } });
    suite.expectRemaining({ loggingConfigurations: [config.arn] });
  });
});
