import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IRoom, Room } from '../src';

const IMPORTED_ARN = 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456';
const CROSS_ENV_ARN = 'arn:aws:ivschat:eu-west-1:999999999999:room/Zz9Yy8Xx7Ww6';

function setup(env?: { account: string; region: string }) {
  const stack = new Stack(new App(), 'TestStack', { env });
  const role = new iam.Role(stack, 'Grantee', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const room = new Room(stack, 'Room');
  const roomArn = { 'Fn::GetAtt': [stack.getLogicalId(room.node.defaultChild as CfnResource), 'Arn'] };
  return { stack, role, room, roomArn };
}

/** The statements of the grantee's own policy (not the provider's). */
function granteeStatements(stack: Stack, role: iam.Role): unknown[] {
  const roleId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: roleId }] },
  });
  const list = Object.values(policies);
  expect(list).toHaveLength(1);
  return list[0].Properties.PolicyDocument.Statement;
}

describe.each<[string, (room: IRoom, grantee: iam.IGrantable) => iam.Grant, string | string[]]>([
  ['grant(...actions)', (room, grantee) => room.grant(grantee, 'ivschat:SendEvent', 'ivschat:GetRoom'), ['ivschat:SendEvent', 'ivschat:GetRoom']],
  ['grantCreateChatToken', (room, grantee) => room.grantCreateChatToken(grantee), 'ivschat:CreateChatToken'],
  ['grantSendEvent', (room, grantee) => room.grantSendEvent(grantee), 'ivschat:SendEvent'],
  ['grantDeleteMessage', (room, grantee) => room.grantDeleteMessage(grantee), 'ivschat:DeleteMessage'],
  ['grantDisconnectUser', (room, grantee) => room.grantDisconnectUser(grantee), 'ivschat:DisconnectUser'],
  ['grantModerate', (room, grantee) => room.grantModerate(grantee), ['ivschat:DeleteMessage', 'ivschat:DisconnectUser']],
  ['grantRead', (room, grantee) => room.grantRead(grantee), ['ivschat:GetRoom', 'ivschat:ListTagsForResource']],
])('%s', (_, grant, actions) => {
  test('allows exactly those actions on exactly this room', () => {
    // GIVEN
    const { stack, role, room, roomArn } = setup();

    // WHEN
    const result = grant(room, role);

    // THEN
    expect(result.success).toBe(true);
    expect(granteeStatements(stack, role)).toEqual([{ Action: actions, Effect: 'Allow', Resource: roomArn }]);
  });

  test('on an imported room, the resource is the imported ARN', () => {
    const { stack, role } = setup();
    const imported = Room.fromRoomArn(stack, 'Imported', IMPORTED_ARN);
    grant(imported, role);
    expect(granteeStatements(stack, role)).toEqual([{ Action: actions, Effect: 'Allow', Resource: IMPORTED_ARN }]);
  });

  test('on a room of another account and region, the grantee in this stack gets the statement', () => {
    const { stack, role } = setup({ account: '123456789012', region: 'us-east-1' });
    const imported = Room.fromRoomArn(stack, 'Imported', CROSS_ENV_ARN);
    const result = grant(imported, role);
    expect(result.success).toBe(true);
    expect(granteeStatements(stack, role)).toEqual([{ Action: actions, Effect: 'Allow', Resource: CROSS_ENV_ARN }]);
  });
});

test('grants use no deprecated aws-cdk-lib API', () => {
  const { room, role } = setup();
  const previous = process.env.JSII_DEPRECATED;
  process.env.JSII_DEPRECATED = 'fail';
  try {
    expect(() => room.grantModerate(role)).not.toThrow();
  } finally {
    if (previous === undefined) delete process.env.JSII_DEPRECATED;
    else process.env.JSII_DEPRECATED = previous;
  }
});

test('no grant uses a wildcard resource or action', () => {
  const { stack, role, room } = setup();
  room.grantCreateChatToken(role);
  room.grantSendEvent(role);
  room.grantModerate(role);
  room.grantRead(role);
  const json = JSON.stringify(granteeStatements(stack, role));
  expect(json).not.toContain('*');
});

test('grants to a user and a group land in their policies', () => {
  const { stack, room, roomArn } = setup();
  const user = new iam.User(stack, 'User');
  room.grantCreateChatToken(user);
  Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
    Users: [{ Ref: stack.getLogicalId(user.node.defaultChild as iam.CfnUser) }],
    PolicyDocument: { Statement: [{ Action: 'ivschat:CreateChatToken', Effect: 'Allow', Resource: roomArn }] },
  });
});

test('grants do not change the provider\'s policy', () => {
  const providerPolicy = (stack: Stack) => Template.fromStack(stack).findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: Match.stringLikeRegexp('CdkIvsChatProvider') }] },
  });
  const plain = setup();
  const granted = setup();
  granted.room.grantModerate(granted.role);
  granted.room.grantRead(granted.role);
  expect(providerPolicy(granted.stack)).toEqual(providerPolicy(plain.stack));
});

describe('grant() rejects what is not a named ivschat action', () => {
  test.each([
    ['another service', 'lambda:InvokeFunction'],
    ['a wildcard', 'ivschat:*'],
    ['a partial wildcard', 'ivschat:Get*'],
    ['no service prefix', 'CreateChatToken'],
    ['a lookalike service', 'ivs:CreateChatToken'],
    ['an empty string', ''],
  ])('%s', (_, action) => {
    const { room, role } = setup();
    expect(() => room.grant(role, 'ivschat:GetRoom', action))
      .toThrow(`Room.grant() takes named ivschat actions such as 'ivschat:CreateChatToken'. Received '${action}'`);
  });

  test('no action at all', () => {
    const { room, role } = setup();
    expect(() => room.grant(role)).toThrow('Room.grant() needs at least one action');
  });
});
