/**
 * Many resources at once against the stand-in's Service Quotas rate limits (a token bucket per operation, burst = TPS:
 * room operations 5 TPS, logging-configuration operations 3 TPS), as CloudFormation creates a stack's independent
 * resources in parallel: EACH invocation loads the bundle anew (its own container, its own SDK client and retry
 * state). The provider must ride out the ThrottlingExceptions by time, converge on the quota, and leave nothing behind.
 * `npm run bench` runs the same at 400. Run `npx projen bundle` first.
 */
import { LOGGING_CONFIGURATION_TYPE, ROOM_TYPE, timed, useLifecycleSuite } from './harness';

const suite = useLifecycleSuite({ standIn: { rateLimits: true } });
const ROOMS = 60;
const ROOM_TPS = 5;
const CONFIGS = 10;
/** Refusals per room the backoff may collect (about 4 seen at 60 rooms); far more would mean it hammers the quota. */
const MAX_REFUSALS_PER_ROOM = 10;

/** Status of each call of the operation, counted. */
function statusCounts(operation: 'CreateRoom' | 'DeleteRoom' | 'CreateLoggingConfiguration' | 'DeleteLoggingConfiguration'): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const call of suite.standIn.calls(operation)) counts[call.status] = (counts[call.status] ?? 0) + 1;
  return counts;
}

test(`${ROOMS} room creates at once, each in its own container, then ${ROOMS} deletes at once: all SUCCESS at about the quota, nothing leaks`, async () => {
  // WHEN CloudFormation creates the rooms at once
  const props = (i: number) => ({ Name: `room-${i}`, Tags: { index: String(i) } });
  const { result: created, ms: createMs } = await timed(() =>
    Promise.all(Array.from({ length: ROOMS }, (_, i) => suite.invokeFresh(suite.events(ROOM_TYPE, `Room${i}`).create(props(i))))));

  // THEN every create succeeded with its own room, holding its own properties
  expect(created.filter((r) => r.Status !== 'SUCCESS').map((r) => r.Reason)).toEqual([]);
  const arns = created.map((r) => r.PhysicalResourceId);
  expect(new Set(arns).size).toBe(ROOMS);
  expect(suite.standIn.rooms().map((room) => room.arn).sort()).toEqual([...arns].sort());
  created.forEach((r, i) => expect(suite.standIn.room(r.PhysicalResourceId)).toMatchObject({ name: `room-${i}`, tags: { index: String(i) } }));
  // the quota really throttled, yet exactly one CreateRoom per room went through
  const creates = statusCounts('CreateRoom');
  expect(creates[200]).toBe(ROOMS);
  expect(creates[429]).toBeGreaterThan(0);
  expect(Object.keys(creates).sort()).toEqual(['200', '429']);
  // the physical limit is (N - burst) / TPS, which no run can beat; the adaptive backoff asks a bounded number of
  // times (counted, not timed: how close the run comes to N / TPS is a figure for `npm run bench -- --only=5`)
  const floorMs = ((ROOMS - ROOM_TPS) / ROOM_TPS) * 1000;
  expect(createMs).toBeGreaterThanOrEqual(floorMs - 100);
  expect(creates[429]).toBeLessThan(MAX_REFUSALS_PER_ROOM * ROOMS);

  // WHEN all are deleted at once
  const { result: deleted, ms: deleteMs } = await timed(() =>
    Promise.all(arns.map((arn, i) => suite.invokeFresh(suite.events(ROOM_TYPE, `Room${i}`).delete(arn, props(i))))));

  // THEN
  expect(deleted.filter((r) => r.Status !== 'SUCCESS').map((r) => r.Reason)).toEqual([]);
  const deletes = statusCounts('DeleteRoom');
  expect(deletes[204]).toBe(ROOMS);
  expect(deletes[429]).toBeGreaterThan(0);
  expect(deletes[429]).toBeLessThan(MAX_REFUSALS_PER_ROOM * ROOMS);
  expect(suite.standIn.rooms()).toEqual([]);
  console.info(`${ROOMS} creates: ${createMs} ms (${creates[429]} throttled); deletes: ${deleteMs} ms (${deletes[429]} throttled); ` +
    `N / TPS = ${(ROOMS / ROOM_TPS) * 1000} ms`);
}, 120_000);

test(`${CONFIGS} logging configurations created and deleted at once against 3 TPS, each in its own container: all SUCCESS, nothing leaks`, async () => {
  const props = (i: number) => ({ DestinationConfiguration: { S3: { BucketName: `chat-logs-${i}` } } });

  const created = await Promise.all(Array.from({ length: CONFIGS }, (_, i) =>
    suite.invokeFresh(suite.events(LOGGING_CONFIGURATION_TYPE, `Logs${i}`).create(props(i)))));

  expect(created.map((r) => [r.Status, r.Reason, r.Data.State])).toEqual(Array(CONFIGS).fill(['SUCCESS', '', 'ACTIVE']));
  expect(suite.standIn.loggingConfigurations().map((c) => c.state)).toEqual(Array(CONFIGS).fill('ACTIVE'));
  expect(statusCounts('CreateLoggingConfiguration')[200]).toBe(CONFIGS);
  expect(statusCounts('CreateLoggingConfiguration')[429]).toBeGreaterThan(0);

  const deleted = await Promise.all(created.map((r, i) =>
    suite.invokeFresh(suite.events(LOGGING_CONFIGURATION_TYPE, `Logs${i}`).delete(r.PhysicalResourceId, props(i)))));
  expect(deleted.map((r) => [r.Status, r.Reason])).toEqual(Array(CONFIGS).fill(['SUCCESS', '']));
  expect(statusCounts('DeleteLoggingConfiguration')[204]).toBe(CONFIGS);
  expect(suite.standIn.loggingConfigurations()).toEqual([]);
}, 120_000);
