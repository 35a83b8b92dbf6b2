/**
 * `LocalIvsChat` from `cdk-ivs-chat/testing`, used as the package's users use it: the real
 * `@aws-sdk/client-ivschat` against `endpoint`, the real `amazon-ivs-chat-messaging` ChatRoom against
 * `messagingUrl`, review handlers by function ARN, and the state a test asserts on.
 */
import '../e2e/websocket-global';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateChatTokenCommand, CreateRoomCommand, GetRoomCommand, InternalServerException, IvschatClient, SendEventCommand, ThrottlingException,
} from '@aws-sdk/client-ivschat';
import { ChatEvent, ChatMessage, ChatRoom, SendMessageRequest } from 'amazon-ivs-chat-messaging';
import { WebSocket } from 'ws';
import { vendorEnvironment } from '../e2e/harness';
import { LocalHttpApi } from '../e2e/local-http-api';
import { LocalIvsChat, ReviewEvent } from 'cdk-ivs-chat/testing';

const REVIEW_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:review';

const started: LocalIvsChat[] = [];
const rooms: ChatRoom[] = [];
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'local-ivs-chat-'));
});
afterEach(async () => {
  rooms.splice(0).forEach((room) => room.disconnect());
  await Promise.all(started.splice(0).map((chat) => chat.stop()));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function start(...args: Parameters<typeof LocalIvsChat.start>): Promise<LocalIvsChat> {
  const chat = await LocalIvsChat.start(...args);
  started.push(chat);
  return chat;
}

function client(chat: LocalIvsChat): IvschatClient {
  return new IvschatClient({ ...chat.clientConfig(), maxAttempts: 1 });
}

/** A user in `roomArn` through the chat SDK, with a token from CreateChatToken; collects what it receives. */
async function join(chat: LocalIvsChat, roomArn: string, userId: string) {
  const messages: ChatMessage[] = [];
  const events: ChatEvent[] = [];
  const room = new ChatRoom({
    regionOrUrl: chat.messagingUrl,
    maxReconnectAttempts: 0,
    tokenProvider: async () => {
      const token = await client(chat).send(new CreateChatTokenCommand({ roomIdentifier: roomArn, userId, capabilities: ['SEND_MESSAGE'] }));
      return { token: token.token!, tokenExpirationTime: token.tokenExpirationTime, sessionExpirationTime: token.sessionExpirationTime };
    },
  });
  rooms.push(room);
  // the SDK logs every refused request; the tests assert on the refusals themselves
  room.logger = { debug: () => undefined, info: () => undefined, error: () => undefined };
  room.addListener('message', (m) => messages.push(m));
  room.addListener('event', (e) => events.push(e));
  await new Promise<void>((resolve, reject) => {
    room.addListener('connect', () => resolve());
    room.addListener('disconnect', (reason) => reject(new Error(`${userId} could not connect: ${reason}`)));
    room.connect();
  });
  return { room, messages, events };
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; !condition(); i++) {
    if (i > 200) throw new Error('waitFor: condition still false');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** What an HTTP server at `url` answers (its status), or the connection error's code once it is gone (a new connection each time). */
async function probe(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    http.get(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    }).on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

describe('start and stop', () => {
  test('start listens on free ports of 127.0.0.1 for the SDK (http) and the chat SDK (ws); stop closes both', async () => {
    // WHEN
    const chat = await start();

    // THEN
    expect(chat.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(chat.messagingUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(new URL(chat.endpoint).port).not.toEqual(new URL(chat.messagingUrl).port);
    expect(chat.region).toBe('us-east-1');
    expect(chat.environment()).toEqual(expect.objectContaining({ AWS_ENDPOINT_URL_IVSCHAT: chat.endpoint, AWS_REGION: 'us-east-1' }));
    const messagingHttp = chat.messagingUrl.replace(/^ws:/, 'http:');
    // the control plane refuses an unsigned request; the messaging endpoint wants an upgrade
    expect([await probe(chat.endpoint), await probe(messagingHttp)]).toEqual([403, 426]);

    // WHEN
    await started.pop()!.stop();

    // THEN
    expect([await probe(chat.endpoint), await probe(messagingHttp)]).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
  });

  test('given ports, region and account, it listens there and mints ARNs in them', async () => {
    // GIVEN two ports known to be free (a first instance had them)
    const first = await LocalIvsChat.start();
    const ports = { port: Number(new URL(first.endpoint).port), messagingPort: Number(new URL(first.messagingUrl).port) };
    await first.stop();

    // WHEN
    const chat = await start({ ...ports, region: 'eu-west-1', accountId: '111122223333' });
    const room = await client(chat).send(new CreateRoomCommand({ name: 'lobby' }));

    // THEN
    expect([chat.endpoint, chat.messagingUrl]).toEqual([`http://127.0.0.1:${ports.port}`, `ws://127.0.0.1:${ports.messagingPort}`]);
    expect(chat.region).toBe('eu-west-1');
    expect(room.arn).toMatch(/^arn:aws:ivschat:eu-west-1:111122223333:room\/[a-zA-Z0-9]{12}$/);
  });

  test('a messaging port already taken makes start reject', async () => {
    const chat = await start();
    const taken = Number(new URL(chat.endpoint).port);
    await expect(LocalIvsChat.start({ messagingPort: taken })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('chatting with the real SDKs', () => {
  test('a message a review handler rewrites, and a back end\'s SendEvent, reach every user; the state records them', async () => {
    // GIVEN
    const reviewed: ReviewEvent[] = [];
    const chat = await start({
      reviewHandlers: {
        [REVIEW_ARN]: async (event) => {
          reviewed.push(event);
          return { ReviewResult: 'ALLOW', Content: event.Content.replace(/darn/g, '****') };
        },
      },
    });
    const sdk = client(chat);
    const { arn } = await sdk.send(new CreateRoomCommand({ name: 'lobby', messageReviewHandler: { uri: REVIEW_ARN } }));
    const ana = await join(chat, arn!, 'ana');
    const bo = await join(chat, arn!, 'bo');

    // WHEN
    await ana.room.sendMessage(new SendMessageRequest('darn it'));
    await sdk.send(new SendEventCommand({ roomIdentifier: arn, eventName: 'app:score', attributes: { home: '2' } }));
    await waitFor(() => bo.messages.length === 1 && ana.events.length === 1 && bo.events.length === 1);

    // THEN what the users received
    expect(bo.messages.map((m) => [m.content, m.sender.userId])).toEqual([['**** it', 'ana']]);
    expect([...ana.events, ...bo.events].map((e) => [e.eventName, e.attributes])).toEqual([['app:score', { home: '2' }], ['app:score', { home: '2' }]]);
    // THEN what a test asserts on
    expect(reviewed.map((e) => [e.Content, e.RoomArn, e.Sender.UserId])).toEqual([['darn it', arn, 'ana']]);
    expect(chat.rooms().map((r) => [r.arn, r.name, r.messageReviewHandler])).toEqual([[arn, 'lobby', { uri: REVIEW_ARN, fallbackResult: 'ALLOW' }]]);
    expect(chat.issuedTokens().map((t) => [t.roomArn, t.userId])).toEqual([[arn, 'ana'], [arn, 'bo']]);
    expect(chat.connections(arn).map((c) => c.userId).sort()).toEqual(['ana', 'bo']);
    expect(chat.messages()).toEqual([expect.objectContaining({
      roomArn: arn, content: '**** it', sender: { userId: 'ana', attributes: {} }, recipients: expect.arrayContaining(['ana', 'bo']),
    })]);
    expect(chat.messages()[0].id).toBe(bo.messages[0].id);
    expect(chat.events(arn)).toEqual([expect.objectContaining({ roomArn: arn, eventName: 'app:score', attributes: { home: '2' } })]);
    expect([...chat.events(arn)[0].recipients].sort()).toEqual(['ana', 'bo']);
    expect(chat.events('arn:aws:ivschat:us-east-1:123456789012:room/AAAAAAAAAAAA')).toEqual([]);
  });

  test('a review handler given as a module path runs with its environment; one registered later is used too', async () => {
    // GIVEN a handler module on disk, as a bundle would be
    const file = path.join(tmp, 'review.js');
    fs.writeFileSync(file, 'exports.handler = async (event) => ({ ReviewResult: "ALLOW", Content: event.Content + process.env.REVIEW_SUFFIX });\n');
    const laterArn = REVIEW_ARN.replace(/review$/, 'later');
    const chat = await start({ reviewHandlers: { [REVIEW_ARN]: { path: file, environment: { REVIEW_SUFFIX: ' (reviewed)' } } } });
    chat.registerReviewHandler(laterArn, async () => ({ ReviewResult: 'DENY' }));
    const sdk = client(chat);
    const reviewedRoom = await sdk.send(new CreateRoomCommand({ messageReviewHandler: { uri: REVIEW_ARN } }));
    const strictRoom = await sdk.send(new CreateRoomCommand({ messageReviewHandler: { uri: laterArn } }));
    const ana = await join(chat, reviewedRoom.arn!, 'ana');
    const bo = await join(chat, strictRoom.arn!, 'bo');

    // WHEN
    await ana.room.sendMessage(new SendMessageRequest('hello'));
    const denied = bo.room.sendMessage(new SendMessageRequest('hello'));

    // THEN
    await expect(denied).rejects.toEqual(expect.objectContaining({ errorCode: 406 }));
    expect(ana.messages.map((m) => m.content)).toEqual(['hello (reviewed)']);
    expect(chat.messages().map((m) => [m.roomArn, m.content])).toEqual([[reviewedRoom.arn, 'hello (reviewed)']]);
  });

  test('a review handler path with no module behind it, or no handler export, fails start', async () => {
    const empty = path.join(tmp, 'empty.js');
    fs.writeFileSync(empty, 'exports.other = 1;\n');
    await expect(LocalIvsChat.start({ reviewHandlers: { [REVIEW_ARN]: path.join(tmp, 'missing.js') } })).rejects.toThrow(/no module at .*missing\.js/);
    await expect(LocalIvsChat.start({ reviewHandlers: { [REVIEW_ARN]: empty } })).rejects.toThrow(/exports no handler function/);
  });

  test('reset forgets rooms, tokens and deliveries but keeps the review handlers given to start', async () => {
    // GIVEN
    const chat = await start({ reviewHandlers: { [REVIEW_ARN]: async () => ({ ReviewResult: 'ALLOW', Content: 'kept' }) } });
    const first = await client(chat).send(new CreateRoomCommand({ messageReviewHandler: { uri: REVIEW_ARN } }));
    await (await join(chat, first.arn!, 'ana')).room.sendMessage(new SendMessageRequest('one'));

    // WHEN
    chat.reset();

    // THEN
    expect([chat.rooms(), chat.issuedTokens(), chat.messages(), chat.connections()]).toEqual([[], [], [], []]);
    const second = await client(chat).send(new CreateRoomCommand({ messageReviewHandler: { uri: REVIEW_ARN } }));
    const bo = await join(chat, second.arn!, 'bo');
    await bo.room.sendMessage(new SendMessageRequest('two'));
    expect(bo.messages.map((m) => m.content)).toEqual(['kept']);
  });
});

describe('rate limits and faults', () => {
  // A clock that stands still: no bucket refills between requests, whatever the machine's speed.
  const clock = () => Date.parse('2030-01-01T00:00:00Z');

  test('off unless asked: 12 CreateRoom requests at once all pass', async () => {
    const chat = await start({ clock });
    const sdk = client(chat);
    await Promise.all(Array.from({ length: 12 }, () => sdk.send(new CreateRoomCommand({}))));
    expect(chat.rooms()).toHaveLength(12);
  });

  test('a per-operation limit throttles that operation only, and wins over its group\'s rate', async () => {
    // GIVEN CreateRoom at 1 TPS; GetRoom keeps the room group's 5 TPS
    const chat = await start({ clock, rateLimits: { CreateRoom: 1 } });
    const sdk = client(chat);
    const { arn } = await sdk.send(new CreateRoomCommand({}));

    // WHEN / THEN
    await expect(sdk.send(new CreateRoomCommand({}))).rejects.toBeInstanceOf(ThrottlingException);
    for (let i = 0; i < 5; i++) await sdk.send(new GetRoomCommand({ identifier: arn }));
    await expect(sdk.send(new GetRoomCommand({ identifier: arn }))).rejects.toBeInstanceOf(ThrottlingException);
    expect(chat.rooms()).toHaveLength(1);
  });

  test('faults are injected through the control plane, and the call log records them', async () => {
    const chat = await start();
    chat.controlPlane.failNext('CreateRoom', 1, 'internal');
    await expect(client(chat).send(new CreateRoomCommand({}))).rejects.toBeInstanceOf(InternalServerException);
    expect(chat.controlPlane.calls('CreateRoom').map((c) => [c.status, c.errorType])).toEqual([[500, 'InternalServerException']]);
    expect(chat.rooms()).toEqual([]);
  });
});

describe('the library\'s token vendor against it', () => {
  test('tokenVendor runs the shipped ChatTokenVendor bundle with the construct\'s environment: its token opens a chat', async () => {
    // GIVEN the vendor configured as the construct configures it, behind a local HTTP API (run `npx projen bundle` first)
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const chat = await start();
    const room = chat.controlPlane.seedRoom({ name: 'lobby' });
    const vendor = chat.tokenVendor(vendorEnvironment({ rooms: [room] }));
    const api = await LocalHttpApi.start(vendor);
    try {
      // WHEN a signed-in user asks for a token
      const res = await fetch(api.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'authorization': 'Bearer ana' },
        body: JSON.stringify({ roomArn: room.arn }),
      });
      const body = await res.json() as { token: string };

      // THEN the local chat issued it, for that room, and it opens a connection
      expect(res.status).toBe(200);
      expect(chat.issuedTokens().map((t) => [t.token, t.roomArn])).toEqual([[body.token, room.arn]]);
      const ws = new WebSocket(chat.messagingUrl, body.token);
      await once(ws, 'open');
      expect(chat.connections(room.arn)).toHaveLength(1);
      ws.close();
    } finally {
      await api.stop();
    }
  });
});
