import { App, Duration, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ChatTokenCapability, ChatTokenVendor, LoggingConfiguration, LoggingDestination, Room } from '../src';

// Every synth-time error names the construct it is about, as aws-cdk-lib's own do: "[Stack/Lobby] `prop` ...".

const ROOM_ARN = 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456';

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
}

function errorOf(build: (stack: Stack) => unknown): Error {
  const stack = newStack();
  try {
    build(stack);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('every validation error starts with the path of the construct at fault and names the property', () => {
  test.each<[string, (stack: Stack) => unknown, string, string]>([
    ['room name', (s) => new Room(s, 'Lobby', { roomName: 'a b' }), 'Stack/Lobby', '`roomName`'],
    ['message length', (s) => new Room(s, 'Lobby', { maximumMessageLength: 501 }), 'Stack/Lobby', '`maximumMessageLength`'],
    ['message rate', (s) => new Room(s, 'Lobby', { maximumMessageRatePerSecond: 0 }), 'Stack/Lobby', '`maximumMessageRatePerSecond`'],
    ['imported room ARN', (s) => Room.fromRoomArn(s, 'Imported', 'arn:aws:s3:::bucket'), 'Stack/Imported', '`roomArn`'],
    ['imported configuration ARN',
      (s) => LoggingConfiguration.fromLoggingConfigurationArn(s, 'ImportedLogs', ROOM_ARN), 'Stack/ImportedLogs', '`loggingConfigurationArn`'],
    ['grant without actions', (s) => new Room(s, 'Lobby').grant(new lambda.Function(s, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x'),
    })), 'Stack/Lobby', 'Room.grant()'],
    ['configuration name', (s) => new LoggingConfiguration(s, 'Logs', {
      loggingConfigurationName: 'a.b', destination: LoggingDestination.s3(new s3.Bucket(s, 'Bucket')),
    }), 'Stack/Logs', '`loggingConfigurationName`'],
    ['destination stream name', (s) => LoggingDestination.firehose(
      firehose.DeliveryStream.fromDeliveryStreamName(s, 'BadStream', 'a b')), 'Stack/BadStream', '`deliveryStreamName`'],
    ['destination log group name',
      (s) => LoggingDestination.cloudWatchLogs(logs.LogGroup.fromLogGroupName(s, 'BadGroup', 'a b')), 'Stack/BadGroup', '`logGroupName`'],
    ['too many configurations', (s) => {
      const room = new Room(s, 'Lobby');
      for (let i = 0; i < 4; i++) {
        room.addLoggingConfiguration(LoggingConfiguration.fromLoggingConfigurationArn(s, `L${i}`,
          `arn:aws:ivschat:us-east-1:123456789012:logging-configuration/LogLogLog00${i}`));
      }
    }, 'Stack/Lobby', '`loggingConfigurations`'],
    ['vendor without rooms', (s) => new ChatTokenVendor(s, 'Tokens', { rooms: [] }), 'Stack/Tokens', '`rooms`'],
    ['vendor capability', (s) => new ChatTokenVendor(s, 'Tokens', {
      rooms: [new Room(s, 'Lobby')], capabilities: ['SHOUT' as ChatTokenCapability],
    }), 'Stack/Tokens', '`capabilities`'],
    ['vendor session', (s) => new ChatTokenVendor(s, 'Tokens', {
      rooms: [new Room(s, 'Lobby')], sessionDuration: Duration.hours(4),
    }), 'Stack/Tokens', '`sessionDuration`'],
    ['vendor origins', (s) => new ChatTokenVendor(s, 'Tokens', {
      rooms: [new Room(s, 'Lobby')], allowedOrigins: ['https://example.com/'],
    }), 'Stack/Tokens', '`allowedOrigins`'],
    ['vendor public URL', (s) => new ChatTokenVendor(s, 'Tokens', { rooms: [new Room(s, 'Lobby')] })
      .addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE }), 'Stack/Tokens', '`authType`'],
  ])('%s', (_, build, path, property) => {
    const error = errorOf(build);
    expect(error.message.slice(0, path.length + 3)).toBe(`[${path}] `);
    expect(error.message).toContain(property);
    expect(error.name).toBe('ValidationError');
  });
});

describe('reserved tag keys', () => {
  test.each(['aws:foo', 'AWS:cost-center', 'Aws:x'])('%s on a room is refused at synth, naming the key and the construct', (key) => {
    const stack = newStack();
    const room = new Room(stack, 'Lobby');
    Tags.of(room).add(key, 'x');
    expect(() => Template.fromStack(stack)).toThrow(
      new RegExp(`\\[Stack/Lobby\\] \`tags\`: the "aws:" key prefix is reserved for AWS and refused by the API. Received "${key}"`));
  });

  test('on a logging configuration too', () => {
    const stack = newStack();
    const config = new LoggingConfiguration(stack, 'Logs', { destination: LoggingDestination.s3(new s3.Bucket(stack, 'Bucket')) });
    Tags.of(config).add('aws:team', 'chat');
    expect(() => Template.fromStack(stack)).toThrow(/\[Stack\/Logs\] `tags`: the "aws:" key prefix is reserved.*Received "aws:team"/);
  });

  test('keys that merely contain aws: pass', () => {
    const stack = newStack();
    const room = new Room(stack, 'Lobby');
    Tags.of(room).add('team:aws:chat', 'x');
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});
