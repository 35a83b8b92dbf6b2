import { eventFactory } from './events';
import { carriesMarker, createMarkerOf, failedCreateMarkerOf, markerValue } from '../../../src/handlers/provider/marker';
import { tagsToAdd, tagsToRemove } from '../../../src/handlers/provider/tags';

const STACK = 'arn:aws:cloudformation:us-east-1:123456789012:stack/S/1111';
const { createEvent, deleteEvent } = eventFactory('Custom::IvsChatRoom', 'Room', 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456');

test('the marker is a SHA-256 of stack, logical id and request id: 64 hex characters, whatever their length', () => {
  const value = markerValue(STACK, 'Room', 'req-1');
  expect(value).toMatch(/^[0-9a-f]{64}$/);
  expect(markerValue(`${STACK}${'x'.repeat(500)}`, 'L'.repeat(255), 'req-1')).toMatch(/^[0-9a-f]{64}$/);
  // each part counts
  expect(new Set([value, markerValue(STACK, 'Room', 'req-2'), markerValue(STACK, 'Other', 'req-1'), markerValue(`${STACK}2`, 'Room', 'req-1')]).size).toBe(4);
});

test.each([
  [STACK, 'Room', 'req-1', '6971707f69369f5de201cb3bc29506dd92fce0790ae7f28d3ee1da99fedfe3b7'],
  [
    'arn:aws:cloudformation:eu-west-1:210987654321:stack/Chat-Prod/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d', 'LobbyRoomA1B2C3D4',
    '5f0e9d8c-7b6a-4c3d-2e1f-0a9b8c7d6e5f', '8e7a1f0349642d61cf8ba194cc5056050335198ea0e97066cc90671d0ee845b3',
  ],
])('pinned: the marker of (%s, %s, %s) is %s, so resources an older provider tagged are still found', (stack, logicalId, requestId, expected) => {
  // A change to the scheme would stop the rollback's Delete from finding what an older provider's create made.
  expect(markerValue(stack, logicalId, requestId)).toBe(expected);
  expect(createMarkerOf({ ...createEvent(), StackId: stack, LogicalResourceId: logicalId, RequestId: requestId })).toBe(expected);
  expect(failedCreateMarkerOf({ ...deleteEvent(`failed-create-${requestId}`), StackId: stack, LogicalResourceId: logicalId })).toBe(expected);
});

test('the Delete of failed-create-<request id> computes the marker its Create used; any other Delete none', () => {
  const create = createEvent();
  expect(failedCreateMarkerOf(deleteEvent(`failed-create-${create.RequestId}`))).toBe(createMarkerOf(create));
  expect(failedCreateMarkerOf(deleteEvent())).toBeUndefined();
  expect(failedCreateMarkerOf(create)).toBeUndefined();
});

test('carriesMarker compares the marker tag only', () => {
  expect(carriesMarker({ 'cdk-ivs-chat:cfn-request': 'm', 'team': 'x' }, 'm')).toBe(true);
  expect(carriesMarker({ 'cdk-ivs-chat:cfn-request': 'other' }, 'm')).toBe(false);
  expect(carriesMarker(undefined, 'm')).toBe(false);
});

test('no tag diff removes the marker or the ownership tag, even when old properties somehow held them', () => {
  expect(tagsToRemove({ 'cdk-ivs-chat:cfn-request': 'm', 'cdk-ivs-chat:stack': STACK, 'team': 'x' }, {})).toEqual(['team']);
});

test('no tag diff adds or changes the marker or the ownership tag, even when new properties hold them', () => {
  expect(tagsToAdd({}, { 'cdk-ivs-chat:cfn-request': 'forged', 'cdk-ivs-chat:stack': 'another stack', 'team': 'x' })).toEqual({ team: 'x' });
});
