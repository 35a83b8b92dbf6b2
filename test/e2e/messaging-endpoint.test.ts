/**
 * The messaging stand-in's protocol, pinned frame by frame with a raw WebSocket client. Each case is a
 * detail the `amazon-ivs-chat-messaging` SDK relies on (dist/esm ChatRoom.js, ChatConnection.js,
 * utils/deserialize.js): get it wrong and the SDK would drop the frame, never settle a request, or reconnect.
 */
import { randomUUID } from 'node:crypto';
import {
  DeleteMessageCommand, DeleteRoomCommand, DisconnectUserCommand, IvschatClient, ResourceNotFoundException, SendEventCommand, ValidationException,
} from '@aws-sdk/client-ivschat';
import { RawChatClient } from './ws-client';
import { IvsChatStandIn, RoomSnapshot, ErrorFrame, EventFrame, MessageFrame, MessagingEndpoint, ReviewEvent, ServerFrame } from 'cdk-ivs-chat/testing';

const REVIEW_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:review';

let offsetMs = 0;
let standIn: IvsChatStandIn;
let endpoint: MessagingEndpoint;
let client: IvschatClient;
const clients: RawChatClient[] = [];

beforeAll(async () => {
  standIn = await IvsChatStandIn.start({ clock: () => Date.now() + offsetMs });
  endpoint = await MessagingEndpoint.start(standIn);
  client = new IvschatClient({ ...standIn.clientConfig(), maxAttempts: 1 });
});

afterEach(() => {
  // Whatever a test saw, no connection ever got the same Id twice (the SDK drops repeats as duplicates).
  const byConnection = new Map<string, string[]>();
  for (const sent of endpoint.sentFrames()) byConnection.set(sent.connectionId, [...byConnection.get(sent.connectionId) ?? [], sent.frame.Id]);
  for (const ids of byConnection.values()) expect(new Set(ids).size).toBe(ids.length);
  clients.splice(0).forEach((c) => c.close());
  endpoint.reset();
  endpoint.setMaxSession(undefined);
  standIn.reset();
  offsetMs = 0;
});

afterAll(async () => {
  client.destroy();
  await endpoint.stop();
  await standIn.stop();
});

function token(room: RoomSnapshot, userId: string, capabilities: string[] = ['SEND_MESSAGE'], attributes: Record<string, string> = {}): string {
  return standIn.seedToken({ roomIdentifier: room.arn, userId, capabilities: capabilities as never, attributes }).token;
}

async function join(room: RoomSnapshot, userId: string, capabilities?: string[], attributes?: Record<string, string>): Promise<RawChatClient> {
  const c = await RawChatClient.connect(endpoint.url, token(room, userId, capabilities, attributes));
  clients.push(c);
  return c;
}

function send(c: RawChatClient, content: string, attributes?: Record<string, string>): string {
  const requestId = randomUUID();
  c.sendJson({ Action: 'SEND_MESSAGE', RequestId: requestId, Content: content, ...(attributes ? { Attributes: attributes } : {}) });
  return requestId;
}

async function refusal(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
  } catch (e) {
    return (e as { status: number }).status;
  }
  throw new Error('expected the upgrade to be refused');
}

const isMessage = (frame: ServerFrame): frame is MessageFrame => frame.Type === 'MESSAGE';

describe('connecting', () => {
  test('the token is the subprotocol and is echoed (a browser drops a handshake that does not echo it)', async () => {
    const room = standIn.seedRoom();
    const tokenValue = token(room, 'ana');
    const c = await RawChatClient.connect(endpoint.url, tokenValue);
    clients.push(c);
    expect(c.protocol).toBe(tokenValue);
    expect(endpoint.connections(room.arn)).toEqual([expect.objectContaining({ userId: 'ana', roomArn: room.arn })]);
  });

  test('no token, an unknown token, a used token and an expired token are refused with 401 before the socket opens', async () => {
    const room = standIn.seedRoom();
    expect(await refusal(RawChatClient.connect(endpoint.url, undefined))).toBe(401);
    expect(await refusal(RawChatClient.connect(endpoint.url, 'not-a-token'))).toBe(401);

    const once = token(room, 'ana');
    clients.push(await RawChatClient.connect(endpoint.url, once));
    expect(await refusal(RawChatClient.connect(endpoint.url, once))).toBe(401);

    const late = token(room, 'ana');
    offsetMs = 61_000; // the token is valid for about a minute
    expect(await refusal(RawChatClient.connect(endpoint.url, late))).toBe(401);

    expect(endpoint.refusedUpgrades().map((r) => r.reason)).toEqual([
      'Missing chat token (Sec-WebSocket-Protocol)', 'Unknown chat token', 'Chat token already used', 'Chat token expired',
    ]);
    expect(endpoint.connections()).toHaveLength(1);
  });

  test('a token for a room deleted since is refused with 404', async () => {
    const room = standIn.seedRoom();
    const orphan = token(room, 'ana');
    await client.send(new DeleteRoomCommand({ identifier: room.arn }));
    expect(await refusal(RawChatClient.connect(endpoint.url, orphan))).toBe(404);
  });

  test('the server closes the socket (1000) when the session ends', async () => {
    const room = standIn.seedRoom();
    endpoint.setMaxSession(150);
    const c = await join(room, 'ana');
    await expect(c.closed).resolves.toEqual({ code: 1000, reason: 'Session expired' });
    expect(endpoint.connections()).toEqual([]);
  });
});

describe('SEND_MESSAGE', () => {
  test('everyone gets the MESSAGE with one Id; only the sender\'s copy carries its RequestId', async () => {
    const room = standIn.seedRoom();
    const ana = await join(room, 'ana', ['SEND_MESSAGE'], { displayName: 'Ana' });
    const bo = await join(room, 'bo', []);

    const requestId = send(ana, 'hello', { color: 'red' });

    const own = await ana.answerTo<MessageFrame>(requestId);
    const theirs = await bo.next<MessageFrame>(isMessage);
    expect(own).toEqual({
      Type: 'MESSAGE',
      Id: expect.stringMatching(/^[A-Za-z0-9]{12}$/),
      RequestId: requestId,
      Content: 'hello',
      Attributes: { color: 'red' },
      Sender: { UserId: 'ana', Attributes: { displayName: 'Ana' } },
      SendTime: expect.any(String),
    });
    const { RequestId: _sendersOnly, ...shared } = own;
    expect(theirs).toEqual(shared);
    expect(new Date(own.SendTime).toISOString()).toBe(own.SendTime);
  });

  test('a message without attributes still carries Attributes: {} and the sender\'s token attributes', async () => {
    const room = standIn.seedRoom();
    const ana = await join(room, 'ana');
    const frame = await ana.answerTo<MessageFrame>(send(ana, 'plain'));
    expect(frame.Attributes).toEqual({});
    expect(frame.Sender).toEqual({ UserId: 'ana', Attributes: {} });
  });

  test('without the SEND_MESSAGE capability: ERROR 403 to the requester only, nothing delivered', async () => {
    const room = standIn.seedRoom();
    const viewer = await join(room, 'viewer', []);
    const other = await join(room, 'other');

    const requestId = send(viewer, 'hi');

    expect(await viewer.answerTo<ErrorFrame>(requestId)).toEqual({
      Type: 'ERROR', Id: expect.any(String), RequestId: requestId, ErrorCode: 403, ErrorMessage: 'The connection does not have the SEND_MESSAGE capability',
    });
    await other.answerTo(send(other, 'after'));
    expect(other.frames.filter(isMessage).map((f) => f.Content)).toEqual(['after']);
  });

  test('Content is measured in code points against the room\'s maximumMessageLength: over it is 400', async () => {
    const room = standIn.seedRoom({ maximumMessageLength: 3 });
    const ana = await join(room, 'ana');

    // three emoji are 6 UTF-16 units but 3 code points: allowed
    expect((await ana.answerTo(send(ana, '😀😀😀'))).Type).toBe('MESSAGE');
    const refused = await ana.answerTo<ErrorFrame>(send(ana, 'abcd'));
    expect(refused).toMatchObject({ Type: 'ERROR', ErrorCode: 400, ErrorMessage: 'Content is 4 characters; the room allows at most 3' });
  });

  test('the room\'s maximumMessageRatePerSecond counts all senders together: the next one is 429', async () => {
    const room = standIn.seedRoom({ maximumMessageRatePerSecond: 2 });
    const ana = await join(room, 'ana');
    const bo = await join(room, 'bo');

    expect((await ana.answerTo(send(ana, '1'))).Type).toBe('MESSAGE');
    expect((await bo.answerTo(send(bo, '2'))).Type).toBe('MESSAGE');
    expect(await ana.answerTo(send(ana, '3'))).toMatchObject({ Type: 'ERROR', ErrorCode: 429 });

    offsetMs += 1_000; // a second later the window has room again
    expect((await ana.answerTo(send(ana, '4'))).Type).toBe('MESSAGE');
  });

  test('a frame that is not JSON, an unknown Action or a missing RequestId is ERROR 400 without RequestId', async () => {
    const room = standIn.seedRoom();
    const ana = await join(room, 'ana');

    ana.socket.send('{not json');
    ana.sendJson({ Action: 'SHOUT', RequestId: 'r1' });
    ana.sendJson({ Action: 'SEND_MESSAGE', Content: 'x' });
    const requestId = randomUUID();
    ana.sendJson({ Action: 'SEND_MESSAGE', RequestId: requestId, Content: 'x', Attributes: { n: 1 } });

    await ana.answerTo(requestId);
    expect(ana.frames.map((f) => [f.Type, (f as ErrorFrame).ErrorCode, f.RequestId])).toEqual([
      ['ERROR', 400, undefined], ['ERROR', 400, undefined], ['ERROR', 400, undefined], ['ERROR', 400, requestId],
    ]);
  });
});

describe('DELETE_MESSAGE and DISCONNECT_USER', () => {
  test('DELETE_MESSAGE: aws:DELETE_MESSAGE to the room with MessageId, MessageID (SDK 1.1 reads it) and Reason', async () => {
    const room = standIn.seedRoom();
    const mod = await join(room, 'mod', ['DELETE_MESSAGE']);
    const ana = await join(room, 'ana');
    const message = await ana.answerTo<MessageFrame>(send(ana, 'oops'));

    const requestId = randomUUID();
    mod.sendJson({ Action: 'DELETE_MESSAGE', RequestId: requestId, Id: message.Id, Reason: 'spam' });

    const own = await mod.answerTo<EventFrame>(requestId);
    expect(own).toEqual({
      Type: 'EVENT',
      Id: expect.any(String),
      RequestId: requestId,
      EventName: 'aws:DELETE_MESSAGE',
      Attributes: { MessageId: message.Id, MessageID: message.Id, Reason: 'spam' },
      SendTime: expect.any(String),
    });
    const seen = await ana.next<EventFrame>((f) => f.Type === 'EVENT');
    expect(seen.RequestId).toBeUndefined();
    expect(seen.Id).toBe(own.Id);
    expect(seen.Attributes).toEqual(own.Attributes);
  });

  test('DELETE_MESSAGE without the capability is 403', async () => {
    const room = standIn.seedRoom();
    const ana = await join(room, 'ana');
    const requestId = randomUUID();
    ana.sendJson({ Action: 'DELETE_MESSAGE', RequestId: requestId, Id: 'AAAAAAAAAAAA' });
    expect(await ana.answerTo(requestId)).toMatchObject({ Type: 'ERROR', ErrorCode: 403 });
  });

  test('DISCONNECT_USER: aws:DISCONNECT_USER to the room, then every socket of that user closes (1000); others stay', async () => {
    const room = standIn.seedRoom();
    const mod = await join(room, 'mod', ['DISCONNECT_USER']);
    const troll1 = await join(room, 'troll');
    const troll2 = await join(room, 'troll');

    const requestId = randomUUID();
    mod.sendJson({ Action: 'DISCONNECT_USER', RequestId: requestId, UserId: 'troll', Reason: 'rude' });

    expect(await mod.answerTo<EventFrame>(requestId)).toMatchObject({
      EventName: 'aws:DISCONNECT_USER', Attributes: { UserId: 'troll', Reason: 'rude' },
    });
    expect(await troll1.next((f) => f.Type === 'EVENT')).toMatchObject({ EventName: 'aws:DISCONNECT_USER' });
    await expect(troll1.closed).resolves.toMatchObject({ code: 1000 });
    await expect(troll2.closed).resolves.toMatchObject({ code: 1000 });
    expect(endpoint.connections().map((c) => c.userId)).toEqual(['mod']);
  });
});

describe('the review handler', () => {
  function reviewedRoom(fallbackResult: 'ALLOW' | 'DENY', fn: (event: ReviewEvent) => unknown): RoomSnapshot {
    endpoint.registerFunction(REVIEW_ARN, fn);
    return standIn.seedRoom({ messageReviewHandler: { uri: REVIEW_ARN, fallbackResult } });
  }

  test('gets the documented event; ALLOW with Content and Attributes replaces the message\'s', async () => {
    const room = reviewedRoom('DENY', (e) => ({ ReviewResult: 'ALLOW', Content: e.Content.toUpperCase(), Attributes: { reviewed: 'yes' } }));
    const ana = await join(room, 'ana', ['SEND_MESSAGE'], { displayName: 'Ana' });

    const frame = await ana.answerTo<MessageFrame>(send(ana, 'hello', { a: 'b' }));

    expect(frame).toMatchObject({ Content: 'HELLO', Attributes: { reviewed: 'yes' } });
    expect(endpoint.reviewEvents()).toEqual([{
      Content: 'hello',
      MessageId: frame.Id,
      RoomArn: room.arn,
      Attributes: { a: 'b' },
      Sender: { UserId: 'ana', Ip: expect.stringMatching(/127\.0\.0\.1$/), Attributes: { displayName: 'Ana' } },
    }]);
  });

  test('DENY: ERROR 406 to the sender whose message carries Attributes.Reason; nobody gets the message', async () => {
    const room = reviewedRoom('ALLOW', () => ({ ReviewResult: 'DENY', Attributes: { Reason: 'no shouting' } }));
    const ana = await join(room, 'ana');
    const bo = await join(room, 'bo', []);

    const requestId = send(ana, 'HEY');

    expect(await ana.answerTo(requestId)).toMatchObject({
      Type: 'ERROR', RequestId: requestId, ErrorCode: 406, ErrorMessage: 'Message rejected by the review handler: no shouting',
    });
    expect([...ana.frames, ...bo.frames].filter(isMessage)).toEqual([]);
  });

  test.each([
    ['times out (over 200 ms)', () => new Promise((resolve) => setTimeout(() => resolve({ ReviewResult: 'ALLOW' }), 400)), 'timed out'],
    ['throws', () => {
      throw new Error('boom');
    }, 'error'],
    ['answers something invalid', () => ({ ReviewResult: 'MAYBE' }), 'invalid answer'],
  ])('a handler that %s follows fallbackResult both ways', async (_label, fn, why) => {
    const allowRoom = reviewedRoom('ALLOW', fn);
    const denyRoom = standIn.seedRoom({ messageReviewHandler: { uri: REVIEW_ARN, fallbackResult: 'DENY' } });
    const inAllow = await join(allowRoom, 'ana');
    const inDeny = await join(denyRoom, 'ana');

    expect(await inAllow.answerTo(send(inAllow, 'kept'))).toMatchObject({ Type: 'MESSAGE', Content: 'kept' });
    expect(await inDeny.answerTo(send(inDeny, 'dropped'))).toMatchObject({
      Type: 'ERROR', ErrorCode: 406, ErrorMessage: `Message rejected: the review handler failed (${why})`,
    });
  });
});

describe('the control plane reaches the room\'s connections', () => {
  test('SendEvent: an EVENT with the name and attributes to everyone, and the id the API returned', async () => {
    const room = standIn.seedRoom();
    const ana = await join(room, 'ana', []);

    const { id } = await client.send(new SendEventCommand({ roomIdentifier: room.arn, eventName: 'poll', attributes: { question: 'tea?' } }));

    expect(await ana.next((f) => f.Type === 'EVENT')).toEqual({
      Type: 'EVENT', Id: id, EventName: 'poll', Attributes: { question: 'tea?' }, SendTime: expect.any(String),
    });
    expect(standIn.calls().map((c) => [c.operation, c.status])).toEqual([['SendEvent', 200]]);
  });

  test('DeleteMessage and DisconnectUser: the same events as the WebSocket actions, then the user\'s socket closes', async () => {
    const room = standIn.seedRoom();
    const ana = await join(room, 'ana');
    const message = await ana.answerTo<MessageFrame>(send(ana, 'x'));

    await client.send(new DeleteMessageCommand({ roomIdentifier: room.arn, id: message.Id, reason: 'spam' }));
    await client.send(new DisconnectUserCommand({ roomIdentifier: room.arn, userId: 'ana', reason: 'bye' }));

    await expect(ana.closed).resolves.toMatchObject({ code: 1000 });
    expect(ana.frames.filter((f) => f.Type === 'EVENT').map((f) => [(f as EventFrame).EventName, (f as EventFrame).Attributes])).toEqual([
      ['aws:DELETE_MESSAGE', { MessageId: message.Id, MessageID: message.Id, Reason: 'spam' }],
      ['aws:DISCONNECT_USER', { UserId: 'ana', Reason: 'bye' }],
    ]);
  });

  test('an unknown room is ResourceNotFoundException; a bad eventName is ValidationException', async () => {
    await expect(client.send(new SendEventCommand({ roomIdentifier: standIn.roomArn('AAAAAAAAAAAA'), eventName: 'e' })))
      .rejects.toBeInstanceOf(ResourceNotFoundException);
    const room = standIn.seedRoom();
    await expect(client.send(new SendEventCommand({ roomIdentifier: room.arn, eventName: 'x'.repeat(101) })))
      .rejects.toBeInstanceOf(ValidationException);
  });
});
