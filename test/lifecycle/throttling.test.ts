/**
 * Many resources at once against the stand-in's Service Quotas rate limits (room operations 5 TPS,
 * logging-configuration operations 3 TPS): the bundled provider's client (maxAttempts 12) must ride out
 * the ThrottlingExceptions, as when CloudFormation creates a stack's resources in parallel.
 * Run `npx projen bundle` first.
 */
import { LOGGING_CONFIGURATION_TYPE, ROOM_TYPE, timed, useLifecycleSuite } from './harness';

const suite = useLifecycleSuite({ standIn: { rateLimits: true } });
const rooms = () => suite.events(ROOM_TYPE, 'Room');
const BURST = 20;
const CONFIGS = 6;

/** Status of each call of the operation, counted. */
function statusCounts(operation: 'CreateRoom' | 'DeleteRoom'): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const call of suite.standIn.calls(operation)) counts[call.status] = (counts[call.status] ?? 0) + 1;
  return counts;
}

test(`a burst of ${BURST} room creates in one container: all SUCCESS, ${BURST} rooms, and the 5-TPS quota really throttled`, async () => {
  // WHEN CloudFormation creates 20 rooms at once (one container: one client, one SDK retry quota)
  const props = (i: number) => ({ Name: `room-${i}`, Tags: { index: String(i) } });
  const { result: created, ms } = await timed(() =>
    Promise.all(Array.from({ length: BURST }, (_, i) => suite.invoke(rooms().create(props(i))))));

  // THEN every create succeeded with its own room, holding its own properties
  expect(created.map((r) => [r.Status, r.Reason])).toEqual(Array(BURST).fill(['SUCCESS', '']));
  const arns = created.map((r) => r.PhysicalResourceId);
  expect(new Set(arns).size).toBe(BURST);
  expect(suite.standIn.rooms().map((room) => room.arn).sort()).toEqual([...arns].sort());
  created.forEach((r, i) => expect(suite.standIn.room(r.PhysicalResourceId)).toMatchObject({ name: `room-${i}`, tags: { index: String(i) } }));
  // and the throttle bit: 429s were answered, yet exactly 20 CreateRoom calls went through
  const counts = statusCounts('CreateRoom');
  expect(counts[200]).toBe(BURST);
  expect(counts[429]).toBeGreaterThan(0);
  expect(Object.keys(counts).sort()).toEqual(['200', '429']);
  // 20 creates at 5 TPS with a full bucket of 5 need at least 3 s
  expect(ms).toBeGreaterThanOrEqual(2_900);

  // WHEN all are deleted at once
  const deleted = await Promise.all(arns.map((arn, i) => suite.invoke(rooms().delete(arn, props(i)))));

  // THEN
  expect(deleted.map((r) => r.Status)).toEqual(Array(BURST).fill('SUCCESS'));
  expect(statusCounts('DeleteRoom')[204]).toBe(BURST);
  expect(statusCounts('DeleteRoom')[429]).toBeGreaterThan(0);
  expect(suite.standIn.rooms()).toEqual([]);
});

test(`${CONFIGS} logging configurations created and deleted at once under the 3-TPS quota (Create, Get polls and Delete share it): all SUCCESS`, async () => {
  const configs = suite.events(LOGGING_CONFIGURATION_TYPE, 'ChatLogs');
  const props = (i: number) => ({ DestinationConfiguration: { S3: { BucketName: `chat-logs-${i}` } } });

  const { result: created, ms } = await timed(() =>
    Promise.all(Array.from({ length: CONFIGS }, (_, i) => suite.invoke(configs.create(props(i))))));

  expect(created.map((r) => [r.Status, r.Reason, r.Data.State])).toEqual(Array(CONFIGS).fill(['SUCCESS', '', 'ACTIVE']));
  expect(suite.standIn.loggingConfigurations().map((c) => c.state)).toEqual(Array(CONFIGS).fill('ACTIVE'));
  const throttled = suite.standIn.calls().filter((c) => c.status === 429).map((c) => c.operation);
  expect(throttled.length).toBeGreaterThan(0);
  // 2 calls per configuration (Create, then one Get that finds it ACTIVE) at 3 TPS with a full bucket of 3
  expect(ms).toBeGreaterThanOrEqual(2_900);

  const deleted = await Promise.all(created.map((r, i) => suite.invoke(configs.delete(r.PhysicalResourceId, props(i)))));
  expect(deleted.map((r) => r.Status)).toEqual(Array(CONFIGS).fill('SUCCESS'));
  expect(suite.standIn.loggingConfigurations()).toEqual([]);
});
