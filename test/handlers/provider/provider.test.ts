import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudFormationClient, DescribeStackResourceCommand } from '@aws-sdk/client-cloudformation';
import {
  AccessDeniedException, CreateRoomCommand, DeleteRoomCommand, IvschatClient, ListRoomsCommand, TagResourceCommand, UpdateRoomCommand,
  ValidationException,
} from '@aws-sdk/client-ivschat';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { refusedResponseUrl, renderResponse, sendResponse } from '../../../src/handlers/provider/cfn-response';
import { handler, onEvent } from '../../../src/handlers/provider/provider.lambda';
import { TEST_RESPONSE_URL_PREFIX_ENV } from '../../../src/private/contract';

const ivschat = mockClient(IvschatClient);
const cloudFormation = mockClient(CloudFormationClient);
const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/S/1111';

/** CloudFormation holds `physicalId` (in `status`) for the logical resource. */
function cloudFormationHolds(physicalId: string | undefined, status = 'CREATE_COMPLETE') {
  cloudFormation.on(DescribeStackResourceCommand).resolves({
    StackResourceDetail: { PhysicalResourceId: physicalId, ResourceStatus: status } as never,
  });
}

const ROOM_ID = 'AbCdEf123456';
const ROOM_ARN = `arn:aws:ivschat:us-east-1:123456789012:room/${ROOM_ID}`;
const SECRET = 'X-Amz-Signature=0123456789abcdef-very-secret';

function event(
  requestType: 'Create' | 'Update' | 'Delete',
  overrides: Partial<Record<string, unknown>> = {},
): CloudFormationCustomResourceEvent {
  const base = {
    RequestType: requestType,
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider',
    ResponseURL: `https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x?${SECRET}`,
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/S/1111',
    RequestId: 'req-1',
    LogicalResourceId: 'Room',
    ResourceType: 'Custom::IvsChatRoom',
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider', Name: 'lobby' },
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: ROOM_ARN }),
    ...(requestType === 'Update'
      ? { OldResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider', Name: 'old' } }
      : {}),
  };
  return { ...base, ...overrides } as CloudFormationCustomResourceEvent;
}

beforeEach(() => {
  cloudFormation.reset();
  cloudFormationHolds(ROOM_ARN);
  ivschat.reset();
  ivschat.on(CreateRoomCommand).resolves({ arn: ROOM_ARN, id: ROOM_ID });
  ivschat.on(UpdateRoomCommand).resolves({ arn: ROOM_ARN, id: ROOM_ID });
  ivschat.on(DeleteRoomCommand).resolves({});
});

describe('onEvent', () => {
  test('a Create reports SUCCESS with the ARN as physical id and Arn/Id data', async () => {
    // WHEN
    const response = await onEvent(event('Create'));

    // THEN
    expect(response).toEqual({
      status: 'SUCCESS', physicalResourceId: ROOM_ARN, data: { Arn: ROOM_ARN, Id: ROOM_ID },
    });
    expect(ivschat).toHaveReceivedCommandWith(CreateRoomCommand, { name: 'lobby' });
  });

  test('an Update reports SUCCESS with Arn/Id data', async () => {
    const response = await onEvent(event('Update'));
    expect(response).toEqual({
      status: 'SUCCESS', physicalResourceId: ROOM_ARN, data: { Arn: ROOM_ARN, Id: ROOM_ID },
    });
    expect(ivschat).toHaveReceivedCommandWith(UpdateRoomCommand, { identifier: ROOM_ARN, name: 'lobby' });
  });

  test('a Delete reports SUCCESS with the same physical id', async () => {
    const response = await onEvent(event('Delete'));
    expect(response.status).toBe('SUCCESS');
    expect(response.physicalResourceId).toBe(ROOM_ARN);
    expect(ivschat).toHaveReceivedCommandWith(DeleteRoomCommand, { identifier: ROOM_ARN });
  });

  test('an error is FAILED with a one-line reason naming the operation', async () => {
    // GIVEN
    ivschat.on(UpdateRoomCommand).rejects(new ValidationException({
      message: 'name is\ninvalid', $metadata: {}, reason: 'FIELD_VALIDATION_FAILED',
    }));

    // WHEN
    const response = await onEvent(event('Update'));

    // THEN
    expect(response).toEqual({
      status: 'FAILED',
      physicalResourceId: ROOM_ARN,
      reason: 'UpdateRoom failed: ValidationException: name is invalid',
    });
  });

  test('a failed Create reports a physical id that is not an ARN, and its Delete only looks for what it may have made', async () => {
    // GIVEN
    ivschat.on(CreateRoomCommand).rejects(new ValidationException({ message: 'boom', $metadata: {}, reason: 'OTHER' }));

    // WHEN
    const created = await onEvent(event('Create', { RequestId: 'req-42' }));

    // THEN
    expect(created.status).toBe('FAILED');
    expect(created.reason).toBe('CreateRoom failed: ValidationException: boom');
    expect(created.physicalResourceId).toBe('failed-create-req-42');

    // WHEN the rollback deletes it, and nothing carries its marker
    ivschat.reset();
    ivschat.on(ListRoomsCommand).resolves({ rooms: [{ arn: ROOM_ARN, id: ROOM_ID, tags: { 'cdk-ivs-chat:cfn-request': 'another request' } }] });
    const deleted = await onEvent(event('Delete', { PhysicalResourceId: created.physicalResourceId }));

    // THEN
    expect(deleted).toEqual({ status: 'SUCCESS', physicalResourceId: created.physicalResourceId, data: undefined });
    expect(ivschat.calls().map((c) => c.args[0].constructor.name)).toEqual(['ListRoomsCommand']);
  });

  test('an ARN of another region or account than the provider\'s fails with a reason naming both', async () => {
    const foreign = 'arn:aws:ivschat:eu-west-1:999999999999:room/AbCdEf123456';
    for (const requestType of ['Update', 'Delete'] as const) {
      const response = await onEvent(event(requestType, { PhysicalResourceId: foreign }));
      expect(response).toEqual({
        status: 'FAILED',
        physicalResourceId: foreign,
        reason: `${foreign} is in region eu-west-1, account 999999999999, but this provider runs in region us-east-1, ` +
          'account 123456789012 and can only reach resources there. The resource was made by another stack or provider: manage it there',
      });
    }
    expect(ivschat.calls()).toHaveLength(0);
  });

  test('an invalid property is FAILED with a clear reason and no call', async () => {
    const response = await onEvent(event('Create', {
      ResourceProperties: { ServiceToken: 'x', MaximumMessageLength: 'many' },
    }));
    expect(response.status).toBe('FAILED');
    expect(response.reason).toBe('MaximumMessageLength must be an integer. Received "many"');
    expect(ivschat.calls()).toHaveLength(0);
  });

  test('an unknown resource type is FAILED, naming the type', async () => {
    const response = await onEvent(event('Create', { ResourceType: 'Custom::Nope' }));
    expect(response.status).toBe('FAILED');
    expect(response.reason).toContain('Custom::Nope');
    expect(response.physicalResourceId).not.toMatch(/^arn:/);
    expect(ivschat.calls()).toHaveLength(0);
  });

  test('the rollback Delete of a failed Create of an unknown type succeeds, so the stack is not stuck', async () => {
    const created = await onEvent(event('Create', { ResourceType: 'Custom::Nope' }));
    const deleted = await onEvent(event('Delete', { ResourceType: 'Custom::Nope', PhysicalResourceId: created.physicalResourceId }));
    expect(deleted.status).toBe('SUCCESS');
    expect(deleted.physicalResourceId).toBe(created.physicalResourceId);
  });

  test('an Update of an unknown type keeps its physical id', async () => {
    const response = await onEvent(event('Update', { ResourceType: 'Custom::Nope' }));
    expect(response).toMatchObject({ status: 'FAILED', physicalResourceId: ROOM_ARN });
  });

  describe('time limit', () => {
    test('a hanging call FAILS with a time-limit reason instead of hanging', async () => {
      // GIVEN a call that never answers
      ivschat.on(CreateRoomCommand).callsFake(() => new Promise(() => undefined));

      // WHEN almost no time is left
      const started = Date.now();
      const response = await onEvent(event('Create'), 50);

      // THEN
      expect(Date.now() - started).toBeLessThan(2000);
      expect(response.status).toBe('FAILED');
      expect(response.reason).toMatch(/Create of Custom::IvsChatRoom did not finish before the provider's time limit/);
      expect(response.physicalResourceId).not.toMatch(/^arn:/);
    });

    test('the result is reported 20 s before the function runs out of time, not at once', async () => {
      ivschat.on(UpdateRoomCommand).callsFake(() => new Promise(() => undefined));
      const started = Date.now();
      const response = await onEvent(event('Update'), 20_000 + 150);
      const elapsed = Date.now() - started;
      expect(response).toMatchObject({ status: 'FAILED', physicalResourceId: ROOM_ARN });
      expect(response.reason).toContain('time limit');
      expect(elapsed).toBeGreaterThanOrEqual(100);
      expect(elapsed).toBeLessThan(2000);
    });

    test('a call that finishes in time succeeds', async () => {
      ivschat.on(CreateRoomCommand).callsFake(async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { arn: ROOM_ARN, id: ROOM_ID };
      });
      const response = await onEvent(event('Create'), 20_000 + 5_000);
      expect(response.status).toBe('SUCCESS');
    });
  });
});

describe('handler', () => {
  let server: http.Server;
  let requests: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }[];
  let status: number;
  let baseUrl: string;

  beforeAll(() => {
    process.env[TEST_RESPONSE_URL_PREFIX_ENV] = 'http://127.0.0.1:';
  });
  afterAll(() => {
    delete process.env[TEST_RESPONSE_URL_PREFIX_ENV];
  });

  beforeEach(async () => {
    requests = [];
    status = 200;
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => {
        requests.push({ method: req.method, url: req.url, headers: req.headers, body });
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  function context(remainingMs = 600_000): Context {
    return { getRemainingTimeInMillis: () => remainingMs } as Context;
  }

  test('PUTs the response to the ResponseURL with every field CloudFormation needs', async () => {
    // GIVEN
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const responseUrl = `${baseUrl}/bucket/key?${SECRET}`;

    // WHEN
    await handler(event('Create', { ResponseURL: responseUrl, RequestId: 'req-7', LogicalResourceId: 'Lobby' }), context());

    // THEN
    expect(requests).toHaveLength(1);
    expect(requests[0].method).toBe('PUT');
    expect(requests[0].url).toBe(`/bucket/key?${SECRET}`);
    expect(requests[0].headers['content-type']).toBe('');
    expect(Number(requests[0].headers['content-length'])).toBe(Buffer.byteLength(requests[0].body));
    expect(JSON.parse(requests[0].body)).toEqual({
      Status: 'SUCCESS',
      Reason: '',
      PhysicalResourceId: ROOM_ARN,
      StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/S/1111',
      RequestId: 'req-7',
      LogicalResourceId: 'Lobby',
      NoEcho: false,
      Data: { Arn: ROOM_ARN, Id: ROOM_ID },
    });

    // The ResponseURL is a credential: never logged.
    const logged = log.mock.calls.map((args) => args.map(String).join(' ')).join('\n');
    expect(log).toHaveBeenCalled();
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain(baseUrl);
    expect(logged).toContain('req-7');
    log.mockRestore();
  });

  test('PUTs a FAILED response with the reason', async () => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    ivschat.on(DeleteRoomCommand).rejects(new Error('cannot delete'));

    await handler(event('Delete', { ResponseURL: `${baseUrl}/r?${SECRET}` }), context());

    expect(JSON.parse(requests[0].body)).toMatchObject({
      Status: 'FAILED', Reason: 'DeleteRoom failed: cannot delete', PhysicalResourceId: ROOM_ARN, Data: {},
    });
    jest.restoreAllMocks();
  });

  test('uses the time Lambda has left', async () => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    ivschat.on(CreateRoomCommand).callsFake(() => new Promise(() => undefined));

    await handler(event('Create', { ResponseURL: `${baseUrl}/r?${SECRET}` }), context(100));

    const body = JSON.parse(requests[0].body);
    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toContain('time limit');
    jest.restoreAllMocks();
  });

  test('a ResponseURL that refuses the answer is reported as refused, and the log does not show the URL', async () => {
    status = 403;
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const responseUrl = `${baseUrl}/r?${SECRET}`;
    const delivery = await sendResponse(event('Create', { ResponseURL: responseUrl }), { status: 'SUCCESS', physicalResourceId: ROOM_ARN }, 1);
    expect(delivery).toBe('refused');
    expect(requests).toHaveLength(1);
    const logged = log.mock.calls.map((args) => args.map(String).join(' ')).join('\n');
    expect(logged).toContain('ResponseURL answered HTTP 403');
    expect(logged).not.toContain(SECRET);
    log.mockRestore();
  });

  test('a PUT that is never answered stops within its budget and is reported as unknown (it may have been stored)', async () => {
    // GIVEN a ResponseURL that takes the request and never answers
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/r`;
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      // WHEN the PUT gets 300 ms of the 30 s a single attempt could take, and 4 attempts
      const delivery = await sendResponse(event('Create', { ResponseURL: url }), { status: 'SUCCESS', physicalResourceId: ROOM_ARN }, 4, 300);
      // THEN it gave up after the one attempt the budget allowed
      expect(delivery).toBe('unknown');
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
      jest.restoreAllMocks();
    }
  });

  test('an event whose ResponseURL is not CloudFormation\'s is not acted on, and nothing is sent anywhere', async () => {
    delete process.env[TEST_RESPONSE_URL_PREFIX_ENV];
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await handler(event('Delete', { ResponseURL: `${baseUrl}/r?${SECRET}` }), context());
      expect(requests).toHaveLength(0);
      expect(ivschat.calls()).toHaveLength(0);
      expect(log.mock.calls.map((args) => String(args[0])).join('\n')).toContain('Not acting on this event');
    } finally {
      process.env[TEST_RESPONSE_URL_PREFIX_ENV] = 'http://127.0.0.1:';
      log.mockRestore();
    }
  });

  test('retries the PUT after a server error', async () => {
    status = 500;
    server.prependOnceListener('request', (_req, res) => res.once('finish', () => { status = 200; }));
    await sendResponse(event('Create', { ResponseURL: `${baseUrl}/r` }), { status: 'SUCCESS', physicalResourceId: ROOM_ARN }, 2);
    expect(requests).toHaveLength(2);
  });
});

describe('refusedResponseUrl', () => {
  test.each([
    'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/arn%3Aaws/x?X-Amz-Signature=s',
    'https://cloudformation-custom-resource-response-useast1.s3.us-east-1.amazonaws.com/k',
    'https://cloudformation-custom-resource-response-useast1.s3-external-1.amazonaws.com/k',
    'https://s3.us-east-1.amazonaws.com/cloudformation-custom-resource-response-useast1/k',
  ])('accepts CloudFormation\'s response bucket of the region: %s', (url) => {
    expect(refusedResponseUrl(url, 'us-east-1', undefined)).toBeUndefined();
  });

  test('accepts the China partition', () => {
    expect(refusedResponseUrl('https://cloudformation-custom-resource-response-cnnorth1.s3.cn-north-1.amazonaws.com.cn/k', 'cn-north-1', undefined))
      .toBeUndefined();
  });

  test.each([
    ['plain http', 'http://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/k'],
    ['another host', 'https://attacker.example.com/k'],
    ['a look-alike host', 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com.example.com/k'],
    ['another region\'s bucket', 'https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/k'],
    ['another bucket, path-style', 'https://s3.amazonaws.com/my-bucket/k'],
    ['credentials in the URL', 'https://u:p@cloudformation-custom-resource-response-useast1.s3.amazonaws.com/k'],
    ['another port', 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com:8443/k'],
    ['no URL', 'not a url'],
  ])('refuses %s', (_name, url) => {
    expect(refusedResponseUrl(url, 'us-east-1', undefined)).toEqual(expect.any(String));
  });

  test('accepts a URL starting with the test prefix, and only that', () => {
    expect(refusedResponseUrl('http://127.0.0.1:4000/r', 'us-east-1', 'http://127.0.0.1:')).toBeUndefined();
    expect(refusedResponseUrl('http://10.0.0.1:4000/r', 'us-east-1', 'http://127.0.0.1:')).toEqual(expect.any(String));
  });
});

describe('a resource an older provider made (no ownership tag)', () => {
  const denied = () => new AccessDeniedException({ message: 'User is not authorized to perform: ivschat:DeleteRoom', $metadata: {} });

  test('is tagged with the stack and deleted once CloudFormation confirms the stack holds it', async () => {
    ivschat.on(DeleteRoomCommand).rejectsOnce(denied()).resolves({});
    ivschat.on(TagResourceCommand).resolves({});
    cloudFormationHolds(ROOM_ARN, 'DELETE_IN_PROGRESS');

    const response = await onEvent(event('Delete'));

    expect(response).toMatchObject({ status: 'SUCCESS', physicalResourceId: ROOM_ARN });
    expect(ivschat.calls().map((c) => c.args[0].constructor.name)).toEqual(['DeleteRoomCommand', 'TagResourceCommand', 'DeleteRoomCommand']);
    expect(ivschat).toHaveReceivedCommandWith(TagResourceCommand, { resourceArn: ROOM_ARN, tags: { 'cdk-ivs-chat:stack': STACK_ID } });
    expect(cloudFormation).toHaveReceivedCommandWith(DescribeStackResourceCommand, { StackName: STACK_ID, LogicalResourceId: 'Room' });
  });

  test('is not claimed when CloudFormation holds another physical id (a made-up event naming someone else\'s room)', async () => {
    ivschat.on(DeleteRoomCommand).rejects(denied());
    cloudFormationHolds('arn:aws:ivschat:us-east-1:123456789012:room/OtherRoom123', 'DELETE_IN_PROGRESS');

    const response = await onEvent(event('Delete'));

    expect(response.status).toBe('FAILED');
    expect(response.reason).toContain('AccessDeniedException');
    expect(ivschat).not.toHaveReceivedCommand(TagResourceCommand);
    expect(ivschat).toHaveReceivedCommandTimes(DeleteRoomCommand, 1);
  });
});

describe('renderResponse', () => {
  const limit = 4096;

  test('leaves a short reason alone', () => {
    const body = JSON.parse(renderResponse(event('Create'), { status: 'FAILED', physicalResourceId: 'x', reason: 'short' }));
    expect(body.Reason).toBe('short');
  });

  test.each([
    ['ASCII', 'x'.repeat(10_000)],
    ['quotes and newlines that JSON escapes', '"\n'.repeat(3_000)],
    ['multi-byte characters', 'é'.repeat(5_000)],
    ['emoji cut in the middle', 'a'.repeat(100) + '😀'.repeat(2_000)],
    ['emoji at odd offsets', 'abc' + '😀'.repeat(973) + 'abc'],
  ])('truncates a long reason (%s) so the body is at most 4096 bytes', (_, reason) => {
    // WHEN
    const json = renderResponse(event('Create'), {
      status: 'FAILED', physicalResourceId: 'failed-create-req-1', reason, data: { Arn: ROOM_ARN, Id: ROOM_ID },
    });

    // THEN
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(limit);
    const body = JSON.parse(json);
    expect(body.Reason.endsWith('...')).toBe(true);
    expect(reason.startsWith(body.Reason.slice(0, -3))).toBe(true);
    // No broken character: the kept part is well-formed.
    expect(body.Reason).toBe(body.Reason.toWellFormed());
    // Kept as much as fits: at least 3/4 of the allowed bytes.
    expect(Buffer.byteLength(json)).toBeGreaterThan(limit * 0.75);
    expect(body).toMatchObject({ Status: 'FAILED', RequestId: 'req-1', Data: { Arn: ROOM_ARN, Id: ROOM_ID } });
  });

  test('never cuts an emoji in half: every split point stays within the limit', () => {
    // Cutting a surrogate pair leaves a lone surrogate that JSON escapes as \udXXX (6 bytes, not 2).
    for (let before = 0; before < 4; before++) {
      for (let emoji = 965; emoji < 981; emoji++) {
        for (let after = 0; after < 9; after++) {
          const reason = 'a'.repeat(before) + '😀'.repeat(emoji) + 'a'.repeat(after);
          const json = renderResponse(event('Create'), { status: 'FAILED', physicalResourceId: 'p', reason });
          expect(Buffer.byteLength(json)).toBeLessThanOrEqual(limit);
          expect(json).not.toMatch(/\\ud[89ab]/);
        }
      }
    }
  });
});
