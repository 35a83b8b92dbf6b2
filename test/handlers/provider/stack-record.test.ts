import { CloudFormationClient, CloudFormationServiceException, DescribeStackResourceCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { judgeCreate, readStackRecord } from '../../../src/handlers/provider/stack-record';

const cloudFormation = mockClient(CloudFormationClient);
const client = new CloudFormationClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const REF = { stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/S/1111', logicalResourceId: 'Lobby' };
const MINE = 'arn:aws:ivschat:us-east-1:123456789012:room/Mine12345678';

const detail = (PhysicalResourceId: string | undefined, ResourceStatus: string) =>
  ({ StackResourceDetail: { PhysicalResourceId, ResourceStatus } as never });
const validationError = (message: string) =>
  new CloudFormationServiceException({ name: 'ValidationError', $fault: 'client', $metadata: {}, message });

beforeEach(() => cloudFormation.reset());

describe('readStackRecord', () => {
  test.each([
    ['holds the answered id', detail(MINE, 'CREATE_COMPLETE'), { kind: 'holds', status: 'CREATE_COMPLETE' }],
    ['holds it in a failed create (the rollback Delete names it)', detail(MINE, 'CREATE_FAILED'), { kind: 'holds', status: 'CREATE_FAILED' }],
    ['still creating without an id', detail(undefined, 'CREATE_IN_PROGRESS'), { kind: 'waiting' }],
    ['cancelled, with a made-up id', detail('S-Lobby-1A2B3C', 'CREATE_FAILED'), { kind: 'other', status: 'CREATE_FAILED', physicalResourceId: 'S-Lobby-1A2B3C' }],
    ['deleted', detail('S-Lobby-1A2B3C', 'DELETE_COMPLETE'), { kind: 'other', status: 'DELETE_COMPLETE', physicalResourceId: 'S-Lobby-1A2B3C' }],
    ['holding another delivery\'s room', detail('arn:other', 'CREATE_COMPLETE'), { kind: 'other', status: 'CREATE_COMPLETE', physicalResourceId: 'arn:other' }],
  ])('%s', async (_name, answer, expected) => {
    cloudFormation.on(DescribeStackResourceCommand).resolves(answer);
    await expect(readStackRecord(client, REF, MINE)).resolves.toEqual(expected);
    expect(cloudFormation).toHaveReceivedCommandWith(DescribeStackResourceCommand, { StackName: REF.stackId, LogicalResourceId: 'Lobby' });
  });

  test.each([
    `Resource Lobby does not exist for stack ${REF.stackId}`,
    `Stack with id ${REF.stackId} does not exist`,
  ])('gone: %s', async (message) => {
    cloudFormation.on(DescribeStackResourceCommand).rejects(validationError(message));
    await expect(readStackRecord(client, REF, MINE)).resolves.toMatchObject({ kind: 'gone' });
  });

  test.each([
    ['access denied', Object.assign(new Error('not authorized'), { name: 'AccessDenied' })],
    ['another validation error', validationError('1 validation error detected')],
    ['throttling', Object.assign(new Error('Rate exceeded'), { name: 'Throttling' })],
  ])('unknown on %s', async (_name, err) => {
    cloudFormation.on(DescribeStackResourceCommand).rejects(err);
    await expect(readStackRecord(client, REF, MINE)).resolves.toMatchObject({ kind: 'unknown' });
  });
});

describe('judgeCreate', () => {
  test('reads again while CloudFormation has not processed the answer, then keeps what it holds', async () => {
    cloudFormation.on(DescribeStackResourceCommand)
      .resolvesOnce(detail(undefined, 'CREATE_IN_PROGRESS'))
      .resolvesOnce(detail(undefined, 'CREATE_IN_PROGRESS'))
      .resolves(detail(MINE, 'CREATE_COMPLETE'));
    const verdict = await judgeCreate(client, REF, MINE, Date.now() + 60_000);
    expect(verdict).toMatchObject({ keep: true });
    expect(cloudFormation).toHaveReceivedCommandTimes(DescribeStackResourceCommand, 3);
  });

  test('deletes when CloudFormation holds another id, naming it', async () => {
    cloudFormation.on(DescribeStackResourceCommand).resolves(detail('S-Lobby-1A2B3C', 'DELETE_IN_PROGRESS'));
    await expect(judgeCreate(client, REF, MINE, Date.now() + 60_000)).resolves.toEqual({
      keep: false, heldId: 'S-Lobby-1A2B3C', why: `CloudFormation holds "S-Lobby-1A2B3C" (DELETE_IN_PROGRESS), not ${MINE}`,
    });
  });

  test('keeps when the time is up while the create still shows in progress (a fake clock: no waiting)', async () => {
    cloudFormation.on(DescribeStackResourceCommand).resolves(detail(undefined, 'CREATE_IN_PROGRESS'));
    let now = 1_000;
    const verdict = await judgeCreate(client, REF, MINE, 1_400, () => now++);
    expect(verdict).toEqual({ keep: true, why: 'CloudFormation still showed the create in progress when the provider ran out of time' });
    expect(cloudFormation).toHaveReceivedCommandTimes(DescribeStackResourceCommand, 1);
  });

  test('keeps when CloudFormation cannot be asked', async () => {
    cloudFormation.on(DescribeStackResourceCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    await expect(judgeCreate(client, REF, MINE, Date.now() + 60_000)).resolves.toMatchObject({ keep: true });
  });
});
