/**
 * CloudFormation cancels creates still in flight when another resource of the stack fails: it marks them
 * CREATE_FAILED ("Resource creation cancelled"), ignores their late answers, and sends Deletes with physical ids it
 * made up (cloudformation-coverage-roadmap #1814, aws-cdk PR #36951). Lambda delivers an event at least once, and an
 * answer may never reach CloudFormation. Through the bundled provider, the real SDK clients, the IVS Chat stand-in and
 * the CloudFormation stand-in: nothing such a create makes survives, and nothing the stack keeps is deleted.
 * Run `npx projen bundle` first.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { LOGGING_CONFIGURATION_TYPE, ROOM_TYPE, STACK_ID, useLifecycleSuite, waitFor } from './harness';

const suite = useLifecycleSuite();
const rooms = (logicalId = 'Lobby') => suite.events(ROOM_TYPE, logicalId);
const configs = (logicalId = 'Logs') => suite.events(LOGGING_CONFIGURATION_TYPE, logicalId);
const S3 = { DestinationConfiguration: { S3: { BucketName: 'chat-logs' } } };

/** What CloudFormation did with the answers to `event` (taken or ignored). */
const answersTo = (event: CloudFormationCustomResourceEvent) => suite.cloudFormation.answers().filter((a) => a.requestId === event.RequestId);

/** CloudFormation cancels the create of `logicalId` and sends the rollback's Delete with the id it made up. */
async function cancelAndDelete(event: CloudFormationCustomResourceEvent, props: Record<string, unknown>) {
  const madeUp = suite.cloudFormation.cancelCreate(STACK_ID, event.LogicalResourceId);
  const deleted = await suite.invoke(suite.events(event.ResourceType, event.LogicalResourceId).delete(madeUp, props));
  expect(deleted).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: madeUp });
  return madeUp;
}

describe('a room create that CloudFormation cancels leaves nothing behind', () => {
  beforeEach(() => suite.standIn.setLatency('CreateRoom', 300));

  test.each([
    ['after the Delete', 'after'],
    ['before the Delete', 'before'],
    ['while the Delete runs', 'during'],
  ] as const)('the create finishing %s', async (_name, order) => {
    // GIVEN a create in flight (CreateRoom answers after 300 ms)
    const event = rooms().create({ Name: 'lobby' });
    const creating = suite.deliver(event);

    // WHEN CloudFormation cancels it and sends the rollback's Delete with a made-up physical id
    if (order === 'after') {
      await cancelAndDelete(event, { Name: 'lobby' });
      await creating;
    } else if (order === 'before') {
      suite.cloudFormation.cancelCreate(STACK_ID, 'Lobby');
      await creating;
      expect(suite.standIn.rooms()).toEqual([]);
      const madeUp = suite.cloudFormation.record(STACK_ID, 'Lobby')!.physicalResourceId!;
      await suite.invoke(rooms().delete(madeUp, { Name: 'lobby' }));
    } else {
      const madeUp = suite.cloudFormation.cancelCreate(STACK_ID, 'Lobby');
      await Promise.all([creating, suite.invoke(rooms().delete(madeUp, { Name: 'lobby' }))]);
    }

    // THEN the create did make its room and answered SUCCESS, CloudFormation ignored that late answer,
    // and the provider deleted the room once CloudFormation showed another physical id
    const [answer] = answersTo(event);
    expect(answer).toMatchObject({ status: 'SUCCESS', taken: false });
    expect(suite.standIn.calls('CreateRoom').filter((c) => c.status === 200)).toHaveLength(1);
    expect(suite.standIn.calls('DeleteRoom').map((c) => c.status)).toEqual([204]);
    expect(suite.standIn.rooms()).toEqual([]);
    expect(suite.logs.some((line) => line.includes('"settle":"deleting"') && line.includes(answer.physicalResourceId))).toBe(true);
  }, 30_000);
});

test('20 room creates against a slow quota, 16 cancelled in flight: no room is left behind, none the stack keeps is deleted', async () => {
  // GIVEN 20 creates at once against a 2 TPS CreateRoom quota, each in its own container
  suite.standIn.setRateLimits({ room: 2 });
  const events = Array.from({ length: 20 }, (_, i) => rooms(`Room${i}`).create({ Name: `room-${i}` }));
  const creating = events.map((event) => suite.invokeFresh(event));

  // WHEN CloudFormation has taken 4 answers, another resource fails: it cancels the creates still in flight
  await waitFor(() => suite.cloudFormation.answers().filter((a) => a.taken).length >= 4, 60_000);
  const completed = events.filter((e) => suite.cloudFormation.record(STACK_ID, e.LogicalResourceId)!.status === 'CREATE_COMPLETE');
  const cancelled = events.filter((e) => !completed.includes(e));
  const madeUp = new Map(cancelled.map((e) => [e.RequestId, suite.cloudFormation.cancelCreate(STACK_ID, e.LogicalResourceId)]));
  // and rolls back: Deletes with made-up ids for the cancelled ones, with the real ARNs for the completed ones
  const rollback = await Promise.all(events.map((e, i) => {
    const physicalId = madeUp.get(e.RequestId) ?? suite.cloudFormation.record(STACK_ID, e.LogicalResourceId)!.physicalResourceId!;
    return suite.invokeFresh(rooms(`Room${i}`).delete(physicalId, { Name: `room-${i}` }));
  }));
  expect(rollback.map((r) => r.Status)).toEqual(Array(20).fill('SUCCESS'));
  // half of the finished rollbacks drop the resource from CloudFormation's records (DescribeStackResource: does not exist)
  cancelled.slice(0, cancelled.length / 2).forEach((e) => suite.cloudFormation.removeResource(STACK_ID, e.LogicalResourceId));
  await Promise.all(creating);

  // THEN every cancelled create made a room and answered, CloudFormation ignored those answers, and nothing is left
  expect(completed.length).toBeGreaterThanOrEqual(4);
  const made = suite.standIn.calls('CreateRoom').filter((c) => c.status === 200).length;
  expect(made).toBe(20);
  expect(cancelled.map((e) => answersTo(e)[0]).map((a) => [a.status, a.taken])).toEqual(cancelled.map(() => ['SUCCESS', false]));
  expect(suite.standIn.calls('DeleteRoom').filter((c) => c.status === 204)).toHaveLength(20);
  expect(suite.standIn.rooms()).toEqual([]);
  console.info(`cancelled creates: ${cancelled.length} of 20; rooms they made: ${cancelled.length}; left behind: ${suite.standIn.rooms().length}`);
}, 120_000);

test('a RETAINed room removed from the stack earlier survives a later cancelled create of the same logical id', async () => {
  // GIVEN a room the stack made for Lobby, then removed from the template with RemovalPolicy.RETAIN (no Delete sent)
  const first = await suite.invoke(rooms().create({ Name: 'kept' }));
  expect(first.Status).toBe('SUCCESS');
  suite.cloudFormation.removeResource(STACK_ID, 'Lobby');

  // WHEN Lobby is added again and its create is cancelled in flight, with the rollback's Delete
  suite.standIn.setLatency('CreateRoom', 300);
  const event = rooms().create({ Name: 'again' });
  const creating = suite.deliver(event);
  await cancelAndDelete(event, { Name: 'again' });
  await creating;

  // THEN only the new room is deleted: the kept one carries the same stack and logical id, but not this request
  expect(suite.standIn.rooms().map((r) => [r.arn, r.name])).toEqual([[first.PhysicalResourceId, 'kept']]);
  expect(suite.standIn.calls('DeleteRoom').map((c) => c.input)).toEqual([{ identifier: answersTo(event)[0].physicalResourceId }]);
  suite.expectRemaining({ rooms: [first.PhysicalResourceId] });
}, 30_000);

describe('a Create delivered twice (Lambda is at least once) keeps the room CloudFormation took and deletes the other', () => {
  test('one after the other', async () => {
    const event = rooms().create({ Name: 'lobby' });
    await suite.deliver(event);
    await suite.deliver(event);

    const answers = answersTo(event);
    expect(answers.map((a) => [a.status, a.taken])).toEqual([['SUCCESS', true], ['SUCCESS', false]]);
    expect(answers[0].physicalResourceId).not.toBe(answers[1].physicalResourceId);
    expect(suite.standIn.rooms().map((r) => r.arn)).toEqual([answers[0].physicalResourceId]);
    expect(suite.cloudFormation.record(STACK_ID, 'Lobby')).toMatchObject({ status: 'CREATE_COMPLETE', physicalResourceId: answers[0].physicalResourceId });
    suite.expectRemaining({ rooms: [answers[0].physicalResourceId] });
  });

  test('both at once', async () => {
    const event = rooms().create({ Name: 'lobby' });
    await Promise.all([suite.deliver(event), suite.deliver(event)]);

    const answers = answersTo(event);
    expect(answers.map((a) => a.taken).sort()).toEqual([false, true]);
    const taken = answers.find((a) => a.taken)!;
    expect(suite.standIn.rooms().map((r) => r.arn)).toEqual([taken.physicalResourceId]);
    suite.expectRemaining({ rooms: [taken.physicalResourceId] });
  });
});

test('a Create whose answer never reached CloudFormation (every PUT refused) deletes what it made', async () => {
  // GIVEN S3 refuses every attempt of the answer's PUT
  suite.responses.failNext(4);
  const event = rooms().create({ Name: 'lobby' });

  // WHEN
  await suite.deliver(event);

  // THEN the room was made, no answer was taken, and the room is gone again; CloudFormation's later Delete finds nothing to do
  expect(suite.responses.putsFor(event.RequestId).map((p) => p.status)).toEqual([503, 503, 503, 503]);
  expect(suite.cloudFormation.answers()).toEqual([]);
  expect(suite.standIn.calls('CreateRoom').map((c) => c.status)).toEqual([200]);
  expect(suite.standIn.rooms()).toEqual([]);
}, 30_000);

test('when CloudFormation cannot be asked, a cancelled create\'s room is kept and the reason logged (never delete on doubt)', async () => {
  suite.standIn.setLatency('CreateRoom', 300);
  suite.cloudFormation.failNextDescribes(10);
  const event = rooms().create({ Name: 'lobby' });
  const creating = suite.deliver(event);
  await cancelAndDelete(event, { Name: 'lobby' });
  await creating;

  const [answer] = answersTo(event);
  expect(answer.taken).toBe(false);
  expect(suite.standIn.rooms().map((r) => r.arn)).toEqual([answer.physicalResourceId]);
  expect(suite.logs.some((line) => line.includes('"settle":"kept"') && line.includes('could not be asked'))).toBe(true);
  suite.expectRemaining({ rooms: [answer.physicalResourceId] });
}, 60_000);

describe('logging configurations', () => {
  test('a create cancelled while it waits for ACTIVE: the configuration it made is deleted once it answers', async () => {
    // GIVEN a create that waits for ACTIVE (the stand-in turns it ACTIVE after 1.5 s)
    suite.standIn.setTransitionDelay(1_500);
    const event = configs().create(S3);
    const creating = suite.deliver(event);
    await waitFor(() => suite.standIn.loggingConfigurations().length === 1, 10_000);

    // WHEN CloudFormation cancels it and sends the rollback's Delete with a made-up id
    await cancelAndDelete(event, S3);
    await creating;

    // THEN its answer came late and was ignored, and the configuration is gone
    const [answer] = answersTo(event);
    expect(answer).toMatchObject({ status: 'SUCCESS', taken: false });
    expect(suite.standIn.calls('DeleteLoggingConfiguration').map((c) => c.input)).toEqual([{ identifier: answer.physicalResourceId }]);
    expect(suite.standIn.loggingConfigurations()).toEqual([]);
  }, 60_000);

  test('a Create delivered twice keeps the configuration CloudFormation took and deletes the other', async () => {
    const event = configs().create(S3);
    await suite.deliver(event);
    await suite.deliver(event);

    const answers = answersTo(event);
    expect(answers.map((a) => [a.status, a.taken])).toEqual([['SUCCESS', true], ['SUCCESS', false]]);
    expect(suite.standIn.loggingConfigurations().map((c) => c.arn)).toEqual([answers[0].physicalResourceId]);
    suite.expectRemaining({ loggingConfigurations: [answers[0].physicalResourceId] });
  }, 60_000);

  test('a Create whose answer never reached CloudFormation deletes the configuration it made', async () => {
    suite.responses.failNext(4);
    const event = configs().create(S3);
    await suite.deliver(event);
    expect(suite.cloudFormation.answers()).toEqual([]);
    expect(suite.standIn.calls('CreateLoggingConfiguration').map((c) => c.status)).toEqual([200]);
    expect(suite.standIn.loggingConfigurations()).toEqual([]);
  }, 60_000);
});
