/**
 * The CloudFormation stand-in (`cdk-ivs-chat/testing`) through the SDK's real CloudFormationClient: what it records
 * when a request is sent and an answer arrives, its cancel, and DescribeStackResource's answers and errors.
 */
import { CloudFormationClient, DescribeStackResourceCommand } from '@aws-sdk/client-cloudformation';
import { CloudFormationStandIn } from 'cdk-ivs-chat/testing';

const STACK = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Chat/11111111-2222-3333-4444-555555555555';
let cfn: CloudFormationStandIn;
let client: CloudFormationClient;

beforeAll(async () => {
  cfn = await CloudFormationStandIn.start();
  client = new CloudFormationClient({ endpoint: cfn.endpoint, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
});
afterEach(() => cfn.reset());
afterAll(async () => {
  client.destroy();
  await cfn.stop();
});

const create = (requestId: string, logicalId = 'Lobby') =>
  ({ RequestType: 'Create' as const, StackId: STACK, LogicalResourceId: logicalId, RequestId: requestId, ResourceType: 'Custom::IvsChatRoom' });
const answer = (requestId: string, physicalId: string, status = 'SUCCESS', logicalId = 'Lobby') => JSON.stringify({
  Status: status, PhysicalResourceId: physicalId, StackId: STACK, RequestId: requestId, LogicalResourceId: logicalId, Reason: '', Data: {},
});
const describe_ = (logicalId = 'Lobby', stack = STACK) =>
  client.send(new DescribeStackResourceCommand({ StackName: stack, LogicalResourceId: logicalId })).then((r) => r.StackResourceDetail);

test('a create in progress has no physical id; the first answer is taken, a second one ignored', async () => {
  cfn.requestSent(create('r1'));
  const inProgress = await describe_();
  expect(inProgress).toMatchObject({ ResourceStatus: 'CREATE_IN_PROGRESS', StackId: STACK, StackName: 'Chat' });
  expect(inProgress).not.toHaveProperty('PhysicalResourceId');

  expect(cfn.receiveAnswer(answer('r1', 'arn:room/A'))).toBe(true);
  expect(cfn.receiveAnswer(answer('r1', 'arn:room/B'))).toBe(false);
  cfn.requestSent(create('r1')); // a second delivery of the same request changes nothing

  expect(await describe_()).toMatchObject({ ResourceStatus: 'CREATE_COMPLETE', PhysicalResourceId: 'arn:room/A' });
  expect(cfn.answers().map((a) => [a.physicalResourceId, a.taken])).toEqual([['arn:room/A', true], ['arn:room/B', false]]);
});

test('a cancelled create is CREATE_FAILED with a made-up id, and its late answer is ignored', async () => {
  cfn.requestSent(create('r1'));
  const madeUp = cfn.cancelCreate(STACK, 'Lobby');
  expect(madeUp).toMatch(/^Chat-Lobby-[0-9A-F]{12}$/);
  expect(cfn.receiveAnswer(answer('r1', 'arn:room/A'))).toBe(false);
  expect(await describe_()).toMatchObject({
    ResourceStatus: 'CREATE_FAILED', ResourceStatusReason: 'Resource creation cancelled', PhysicalResourceId: madeUp,
  });
  expect(() => cfn.cancelCreate(STACK, 'Lobby')).toThrow('nothing to cancel');
});

test('a Delete keeps the physical id it names; a FAILED answer is recorded as such', async () => {
  cfn.requestSent(create('r1'));
  cfn.receiveAnswer(answer('r1', 'arn:room/A'));
  cfn.requestSent({ ...create('r2'), RequestType: 'Delete', PhysicalResourceId: 'arn:room/A' });
  expect(await describe_()).toMatchObject({ ResourceStatus: 'DELETE_IN_PROGRESS', PhysicalResourceId: 'arn:room/A' });
  cfn.receiveAnswer(answer('r2', 'arn:room/A', 'FAILED'));
  expect(cfn.record(STACK, 'Lobby')).toMatchObject({ status: 'DELETE_FAILED', physicalResourceId: 'arn:room/A' });
});

test('a resource or stack it does not know is a ValidationError saying so; failNextDescribes answers 500', async () => {
  cfn.requestSent(create('r1'));
  await expect(describe_('Other')).rejects.toMatchObject({ name: 'ValidationError', message: `Resource Other does not exist for stack ${STACK}` });
  cfn.removeResource(STACK, 'Lobby');
  await expect(describe_()).rejects.toMatchObject({ name: 'ValidationError', message: `Resource Lobby does not exist for stack ${STACK}` });
  const other = STACK.replace('Chat', 'Else');
  await expect(describe_('Lobby', other)).rejects.toMatchObject({ name: 'ValidationError', message: `Stack with id ${other} does not exist` });

  cfn.failNextDescribes(1);
  await expect(describe_('Other')).rejects.toMatchObject({ $metadata: { httpStatusCode: 500 } });
  expect(cfn.describeCalls()).toBe(4);
});

test('its own ResponseURL takes answers too', async () => {
  cfn.requestSent(create('r1'));
  const response = await fetch(cfn.responseUrlFor('r1'), { method: 'PUT', body: answer('r1', 'arn:room/A') });
  expect(response.status).toBe(200);
  expect(cfn.record(STACK, 'Lobby')).toMatchObject({ status: 'CREATE_COMPLETE', physicalResourceId: 'arn:room/A' });
});
