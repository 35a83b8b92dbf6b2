/**
 * Many rooms at once against the stand-in's Service Quotas rate limits (room operations 5 TPS, tagging
 * 10 TPS): the bundled provider's client (maxAttempts 12) must ride out the ThrottlingExceptions.
 * Run `npx projen bundle` first.
 */
import { CfnResponseBody, loadBundle, ProviderBundle, ROOM_TYPE, timed, useLifecycleSuite } from './harness';

const suite = useLifecycleSuite({ standIn: { rateLimits: true } });
const rooms = () => suite.events(ROOM_TYPE, 'Room');
const BURST = 20;

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

test('the same burst spread over 4 containers (each its own client and retry quota): all SUCCESS', async () => {
  // Lambda runs concurrent events in separate containers: load the bundle 4 times
  const containers = Array.from({ length: 4 }, () => loadBundle<ProviderBundle>('provider.lambda', suite.standIn.environment()));
  const invoke = async (container: ProviderBundle, event: ReturnType<ReturnType<typeof rooms>['create']>): Promise<CfnResponseBody> => {
    await container.handler(event);
    return suite.responseOf(event);
  };

  const created = await Promise.all(Array.from({ length: BURST }, (_, i) =>
    invoke(containers[i % containers.length], rooms().create({ Name: `room-${i}` }))));

  expect(created.map((r) => r.Status)).toEqual(Array(BURST).fill('SUCCESS'));
  const arns = created.map((r) => r.PhysicalResourceId);
  expect(suite.standIn.rooms().map((room) => room.arn).sort()).toEqual([...arns].sort());
  expect(statusCounts('CreateRoom')[200]).toBe(BURST);
  expect(statusCounts('CreateRoom')[429]).toBeGreaterThan(0);
  // (deleting under the quota is covered above; these 20 are the expected state and the stand-in is reset)
  suite.expectRemaining({ rooms: arns });
});
