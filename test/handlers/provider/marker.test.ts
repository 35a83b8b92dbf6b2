import { eventFactory } from './events';
import { carriesMarker, createMarkerOf, failedCreateMarkerOf, markerValue } from '../../../src/handlers/provider/marker';
import { tagsToRemove } from '../../../src/handlers/provider/tags';

const STACK = 'arn:aws:cloudformation:us-east-1:123456789012:stack/S/1111';
const { createEvent, deleteEvent } = eventFactory('Custom::IvsChatRoom', 'Room', 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456');

test('the marker is a SHA-256 of stack, logical id and request id: 64 hex characters, whatever their length', () => {
  const value = markerValue(STACK, 'Room', 'req-1');
  expect(value).toMatch(/^[0-9a-f]{64}$/);
  expect(markerValue(`${STACK}${'x'.repeat(500)}`, 'L'.repeat(255), 'req-1')).toMatch(/^[0-9a-f]{64}$/);
  // each part counts
  expect(new Set([value, markerValue(STACK, 'Room', 'req-2'), markerValue(STACK, 'Other', 'req-1'), markerValue(`${STACK}2`, 'Room', 'req-1')]).size).toBe(4);
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

test('no tag diff removes the marker, even when old properties somehow held it', () => {
  expect(tagsToRemove({ 'cdk-ivs-chat:cfn-request': 'm', 'team': 'x' }, {})).toEqual(['team']);
});
