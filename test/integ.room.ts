import { App, Stack, Tags } from 'aws-cdk-lib';
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { Room } from '../src';

// Snapshot-only integration test: integ-runner synthesizes it and compares with the committed snapshot.
const app = new App();
const stack = new Stack(app, 'IvsChatRoomInteg');
Tags.of(stack).add('integ', 'cdk-ivs-chat');

new Room(stack, 'DefaultRoom');
new Room(stack, 'TunedRoom', {
  roomName: 'integ-tuned',
  maximumMessageLength: 200,
  maximumMessageRatePerSecond: 50,
});

new IntegTest(app, 'RoomTest', { testCases: [stack] });
