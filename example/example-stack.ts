import { Stack, StackProps, Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Room } from '../src';

/** The example app's stack; the snapshot test pins its template. */
export class ExampleChatStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    Tags.of(this).add('project', 'cdk-ivs-chat-example');

    new Room(this, 'LobbyRoom', {
      roomName: 'lobby',
      maximumMessageLength: 300,
      maximumMessageRatePerSecond: 20,
    });
  }
}
