/**
 * Creates that the service did although its answer said otherwise, or never came: each test ends with the stand-in
 * holding exactly what CloudFormation believes exists (checked after every test by the suite). Bundled provider,
 * real SDK, the stand-in's after-commit faults. Run `npx projen bundle` first.
 */
import { lambdaContext, LOGGING_CONFIGURATION_TYPE, providerTagsOf, ROOM_TYPE, useLifecycleSuite, waitFor } from './harness';

const suite = useLifecycleSuite();
const rooms = () => suite.events(ROOM_TYPE, 'LobbyRoom');
const S3 = { DestinationConfiguration: { S3: { BucketName: 'chat-logs' } } };
/** 24 s left: 20 s are kept to answer, so 4 s for the work, of which 1 s is kept for the lookup after an unanswered call. */
const SHORT_DEADLINE_MS = 24_000;

test('a 500 after the room was created: the room is found by its marker, not created twice; CloudFormation gets it', async () => {
  suite.standIn.failNextAfterCommit('CreateRoom', 1, 'internal');
  const event = rooms().create({ Name: 'lobby' });

  const response = await suite.invoke(event);

  expect(response).toMatchObject({ Status: 'SUCCESS', Reason: '' });
  expect(suite.standIn.calls('CreateRoom').map((c) => [c.status, c.committed])).toEqual([[500, true]]);
  expect(suite.standIn.calls('ListRooms')).toHaveLength(1);
  expect(suite.standIn.rooms().map((r) => [r.arn, r.tags])).toEqual([[response.PhysicalResourceId, { ...providerTagsOf(event) }]]);
  suite.expectRemaining({ rooms: [response.PhysicalResourceId] });
});

test('a 500 after the logging configuration was created: found by its marker, waited on until ACTIVE, not created twice', async () => {
  suite.standIn.failNextAfterCommit('CreateLoggingConfiguration', 1, 'internal');

  const response = await suite.invoke(suite.events(LOGGING_CONFIGURATION_TYPE, 'ChatLogs').create(S3));

  expect(response).toMatchObject({ Status: 'SUCCESS', Reason: '', Data: { State: 'ACTIVE' } });
  expect(suite.standIn.calls('CreateLoggingConfiguration').map((c) => c.status)).toEqual([500]);
  expect(suite.standIn.loggingConfigurations().map((c) => c.arn)).toEqual([response.PhysicalResourceId]);
  suite.expectRemaining({ loggingConfigurations: [response.PhysicalResourceId] });
});

test('no answer after the room was created: the attempt is abandoned before the deadline, the room found by its marker', async () => {
  suite.standIn.failNextAfterCommit('CreateRoom', 1, 'noAnswer');

  const response = await suite.invoke(rooms().create({ Name: 'lobby' }), lambdaContext(SHORT_DEADLINE_MS));

  expect(response).toMatchObject({ Status: 'SUCCESS', Reason: '' });
  expect(suite.standIn.calls('CreateRoom').map((c) => [c.status, c.committed])).toEqual([[0, true]]);
  expect(suite.standIn.rooms().map((r) => r.arn)).toEqual([response.PhysicalResourceId]);
  suite.expectRemaining({ rooms: [response.PhysicalResourceId] });
});

test('the deadline while a create is in flight: FAILED with failed-create-*, and the rollback Delete finds and removes the room that landed', async () => {
  // GIVEN a CreateRoom the stand-in takes 6 s to do, longer than the 4 s the invocation has
  suite.standIn.setLatency('CreateRoom', 6_000);
  const event = rooms().create({ Name: 'lobby' });

  // WHEN
  const response = await suite.invoke(event, lambdaContext(SHORT_DEADLINE_MS));

  // THEN CloudFormation hears FAILED before the function's time is up, with an id that is no ARN
  expect(response.Status).toBe('FAILED');
  expect(response.PhysicalResourceId).toBe(`failed-create-${event.RequestId}`);
  expect(response.Reason).toMatch(new RegExp('^Create of Custom::IvsChatRoom did not finish before the provider\'s time limit: CreateRoom got ' +
    'no clear answer \\(TimeoutError: CreateRoom was not answered within \\d+ ms\\) and nothing carrying this request\'s marker ' +
    'exists yet; the rollback\'s Delete looks for it again$'));
  expect(suite.standIn.calls('CreateRoom')).toHaveLength(0); // not done yet: still in the stand-in's 6 s
  // and the create lands afterwards, carrying the request's marker
  await waitFor(() => suite.standIn.rooms().length === 1, 10_000);
  expect(suite.standIn.rooms()[0].tags).toEqual(providerTagsOf(event));

  // WHEN CloudFormation rolls back
  const rollback = await suite.invoke(rooms().delete(response.PhysicalResourceId, {}));

  // THEN the room that landed is gone, and it was the only CreateRoom
  expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: response.PhysicalResourceId });
  expect(suite.standIn.calls('CreateRoom')).toHaveLength(1);
  expect(suite.standIn.calls('DeleteRoom').map((c) => c.status)).toEqual([204]);
}, 30_000);

test('the rollback Delete of failed-create-* removes only what carries that request\'s marker', async () => {
  // GIVEN the room a failed Create made, and rooms of other requests and of no request
  const failedCreate = rooms().create({ Name: 'lobby' });
  const made = suite.standIn.seedRoom({ name: 'lobby', tags: providerTagsOf(failedCreate) });
  const otherRequest = suite.standIn.seedRoom({ tags: providerTagsOf(rooms().create({})) });
  const unmarked = suite.standIn.seedRoom({ name: 'by-hand' });
  suite.expectRemaining({ rooms: [otherRequest.arn, unmarked.arn] });

  // WHEN
  const rollback = await suite.invoke(rooms().delete(`failed-create-${failedCreate.RequestId}`, {}));

  // THEN
  expect(rollback.Status).toBe('SUCCESS');
  expect(suite.standIn.calls('DeleteRoom').map((c) => c.input)).toEqual([{ identifier: made.arn }]);
});

test('a 500 on a create that did NOT happen: looked up, nothing found, created once more', async () => {
  suite.standIn.failNext('CreateRoom', 1, 'internal');

  const response = await suite.invoke(rooms().create({ Name: 'lobby' }));

  expect(response.Status).toBe('SUCCESS');
  // (the last lookup makes sure no earlier attempt landed late: one room per request)
  expect(suite.standIn.calls().map((c) => [c.operation, c.status])).toEqual([
    ['CreateRoom', 500], ['ListRooms', 200], ['CreateRoom', 200], ['ListRooms', 200],
  ]);
  expect(suite.standIn.rooms().map((r) => r.arn)).toEqual([response.PhysicalResourceId]);
  suite.expectRemaining({ rooms: [response.PhysicalResourceId] });
});
