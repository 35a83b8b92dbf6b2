import { parseIvsChatArn } from '../src/private/arn';

const ROOM_ARN = 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456';

describe('parseIvsChatArn', () => {
  test('returns the id of an ARN of the asked type', () => {
    expect(parseIvsChatArn(ROOM_ARN, 'room')).toEqual({
      partition: 'aws', region: 'us-east-1', account: '123456789012', resourceType: 'room', resourceId: 'AbCdEf123456',
    });
    expect(parseIvsChatArn('arn:aws:ivschat:eu-west-1:123456789012:logging-configuration/ZyXw98765432', 'logging-configuration'))
      .toEqual({
        partition: 'aws', region: 'eu-west-1', account: '123456789012', resourceType: 'logging-configuration', resourceId: 'ZyXw98765432',
      });
  });

  test('accepts other partitions', () => {
    expect(parseIvsChatArn('arn:aws-cn:ivschat:cn-north-1:123456789012:room/AbCdEf123456', 'room'))
      .toMatchObject({ partition: 'aws-cn', region: 'cn-north-1', resourceId: 'AbCdEf123456' });
    expect(parseIvsChatArn('arn:aws-us-gov:ivschat:us-gov-west-1:123456789012:room/AbCdEf123456', 'room'))
      .toMatchObject({ partition: 'aws-us-gov', region: 'us-gov-west-1', resourceId: 'AbCdEf123456' });
  });

  test.each([
    ['a logging configuration ARN asked as a room', 'arn:aws:ivschat:us-east-1:123456789012:logging-configuration/AbCdEf123456'],
    ['another service', 'arn:aws:ivs:us-east-1:123456789012:room/AbCdEf123456'],
    ['no account', 'arn:aws:ivschat:us-east-1::room/AbCdEf123456'],
    ['no region', 'arn:aws:ivschat::123456789012:room/AbCdEf123456'],
    ['no id', 'arn:aws:ivschat:us-east-1:123456789012:room/'],
    ['a failed create marker', 'failed-create-8f4b2c4e-1111-2222-3333-444455556666'],
    ['a bare id', 'AbCdEf123456'],
    ['an empty string', ''],
    ['trailing text', `${ROOM_ARN}/extra`],
  ])('returns undefined for %s', (_, value) => {
    expect(parseIvsChatArn(value, 'room')).toBeUndefined();
  });
});

test('without a type it takes either type and says which', () => {
  expect(parseIvsChatArn(ROOM_ARN)?.resourceType).toBe('room');
  expect(parseIvsChatArn('arn:aws:ivschat:us-east-1:123456789012:logging-configuration/AbCdEf123456')?.resourceType)
    .toBe('logging-configuration');
  expect(parseIvsChatArn('arn:aws:ivschat:us-east-1:123456789012:channel/AbCdEf123456')).toBeUndefined();
});
