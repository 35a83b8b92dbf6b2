/**
 * End to end in Node with the real, unmodified chat client: `amazon-ivs-chat-messaging`'s ChatRoom gets its
 * tokens from the BUNDLED ChatTokenVendor through a local HTTP API (standing in for API Gateway with a JWT
 * authorizer), and chats through the messaging stand-in, which shares rooms and tokens with the control
 * plane the vendor called. Every room comes from a `Room` construct: synthesized, and created in the stand-in by the
 * BUNDLED provider from the template (applyTemplate), so its limits and review handler are what the construct
 * rendered. Run `npx projen bundle` first.
 */
import './websocket-global';
import * as path from 'node:path';
import { DisconnectUserCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import { ChatError, DeleteMessageRequest } from 'amazon-ivs-chat-messaging';
import { CfnElement, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { EndToEndWorld } from './harness';
import { chatErrorOf, fetchChatTokenAs, TokenRequest, Viewer } from './node-viewer';
import { ChatTokenCapability, FallbackResult, Room, RoomProps } from '../../src';
import { PROVIDER_TAG_KEYS, ROOM_RESOURCE_TYPE } from '../../src/private/contract';
import { ExternalReference, ReviewFunction, RoomSnapshot } from 'cdk-ivs-chat/testing';

const REVIEW_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:review';
const ROOT = path.join(__dirname, '..', '..');

let world: EndToEndWorld;
const viewers: Viewer[] = [];

beforeAll(async () => {
  // the vendor logs one line per request: keep the test output for failures
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  world = await EndToEndWorld.start();
});
afterEach(() => {
  viewers.splice(0).forEach((v) => v.room.disconnect());
  world.reset();
});
afterAll(() => world.stop());

async function join(user: string, request: TokenRequest = {}): Promise<Viewer> {
  const viewer = new Viewer(world, user, request);
  viewers.push(viewer);
  return viewer.join();
}

/**
 * The room a `Room` construct with `props` describes (in `stack`, beside whatever the test put there), created in the
 * stand-in by the bundled provider from the synthesized template.
 */
async function deployLobby(props: RoomProps = {}, stack: Stack = world.newStack(),
  references: Record<string, ExternalReference> = {}): Promise<RoomSnapshot> {
  new Room(stack, 'Lobby', { roomName: 'lobby', ...props });
  const applied = await world.deploy(stack, references);
  const rooms = Object.values(applied.applied).filter((r) => r.resourceType === ROOM_RESOURCE_TYPE);
  expect(rooms).toHaveLength(1);
  return world.standIn.room(rooms[0].physicalResourceId)!;
}

/** A review handler's module loaded as Lambda loads it, with `env` in its environment. */
function loadReviewHandler(file: string, env: Record<string, string>): ReviewFunction {
  Object.assign(process.env, env);
  let handler: ReviewFunction | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = (require(path.join(ROOT, file)) as { handler: ReviewFunction }).handler;
  });
  return handler!;
}

describe('chatting', () => {
  test('two users join with vendor tokens, exchange messages and see each other\'s UserId and attributes', async () => {
    const room = await deployLobby();
    // The display name comes from the signed-in user's `name` claim, never from the request body.
    world.useVendor({ rooms: [room], attributesFromClaims: { displayName: 'name' } });
    world.api.setClaims('ana', { name: 'Ana' });
    world.api.setClaims('bo', { name: 'Bo' });

    const ana = await join('ana');
    const bo = await join('bo');
    const sent = await ana.send('hi Bo', { mood: 'happy' });
    const reply = await bo.send('hi Ana');

    await Promise.all([ana.until(() => ana.messages.length === 2), bo.until(() => bo.messages.length === 2)]);
    expect(sent).toMatchObject({ content: 'hi Bo', attributes: { mood: 'happy' }, sender: { userId: 'ana', attributes: { displayName: 'Ana' } } });
    expect(bo.messages.map((m) => [m.id, m.sender.userId, m.sender.attributes, m.content]))
      .toEqual([[sent.id, 'ana', { displayName: 'Ana' }, 'hi Bo'], [reply.id, 'bo', { displayName: 'Bo' }, 'hi Ana']]);
    expect(ana.messages.map((m) => m.id)).toEqual([sent.id, reply.id]);
    // the identity came from the JWT authorizer's claims, and each connection used a token the vendor got from CreateChatToken
    expect(world.api.events.map((e) => e.requestContext.authorizer.jwt.claims.sub)).toEqual(['ana', 'bo']);
    expect(world.standIn.issuedTokens().map((t) => [t.userId, t.roomArn])).toEqual([['ana', room.arn], ['bo', room.arn]]);
    expect(ana.errors).toEqual([]);
  });

  test('a view-only token ([] capabilities) receives but cannot send: 403', async () => {
    const room = await deployLobby();
    world.useVendor({ rooms: [room] });
    const viewer = await join('viewer', { capabilities: [] });
    const ana = await join('ana');

    const error = await chatErrorOf(viewer.send('let me talk'));
    await ana.send('only I can');

    expect(error).toMatchObject({ errorCode: 403 });
    await viewer.until(() => viewer.messages.length === 1);
    expect(viewer.messages[0].content).toBe('only I can');
  });

  test('a moderator token deletes a message and both clients see the deletion', async () => {
    const room = await deployLobby();
    world.useVendor({ rooms: [room], capabilities: [ChatTokenCapability.SEND_MESSAGE, ChatTokenCapability.DELETE_MESSAGE] });
    const ana = await join('ana', { capabilities: ['SEND_MESSAGE'] });
    const mod = await join('mod', { capabilities: ['DELETE_MESSAGE'] });
    const message = await ana.send('buy cheap stuff');

    const deletion = await mod.room.deleteMessage(new DeleteMessageRequest(message.id, 'spam'));

    expect(deletion).toMatchObject({ messageId: message.id, reason: 'spam' });
    await Promise.all([ana.until(() => ana.deletions.length === 1), mod.until(() => mod.deletions.length === 1)]);
    expect(ana.deletions[0]).toMatchObject({ messageId: message.id, reason: 'spam' });
    // and a plain user cannot delete
    expect(await chatErrorOf(ana.room.deleteMessage(new DeleteMessageRequest(message.id)))).toMatchObject({ errorCode: 403 });
  });

  test('DisconnectUser from the control plane disconnects that user and tells the room', async () => {
    const room = await deployLobby();
    world.useVendor({ rooms: [room] });
    const ana = await join('ana');
    const troll = await join('troll');
    const backend = new IvschatClient(world.standIn.clientConfig());

    try {
      await backend.send(new DisconnectUserCommand({ roomIdentifier: room.arn, userId: 'troll', reason: 'rude' }));
    } finally {
      backend.destroy();
    }

    await expect(troll.disconnected).resolves.toBe('serverDisconnect');
    await ana.until(() => ana.userDisconnects.length === 1);
    expect(ana.userDisconnects[0]).toMatchObject({ userId: 'troll', reason: 'rude' });
    expect(ana.room.state).toBe('connected');
  });
});

describe('the room\'s limits', () => {
  test('a message over the Room construct\'s maximumMessageLength is refused (400)', async () => {
    const room = await deployLobby({ maximumMessageLength: 10 });
    world.useVendor({ rooms: [room] });
    // the bundled provider made it (its marker and ownership tags), from the construct's template
    expect(Object.keys(room.tags).sort()).toEqual([...PROVIDER_TAG_KEYS].sort());
    const ana = await join('ana');

    await expect(ana.send('0123456789')).resolves.toMatchObject({ content: '0123456789' });
    expect(await chatErrorOf(ana.send('0123456789!'))).toMatchObject({ errorCode: 400 });
  });

  test('the Room construct\'s maximumMessageRatePerSecond answers 429', async () => {
    const room = await deployLobby({ maximumMessageRatePerSecond: 3 });
    world.useVendor({ rooms: [room] });
    const ana = await join('ana');

    const results = await Promise.allSettled(['1', '2', '3', '4', '5'].map((n) => ana.send(n)));

    expect(results.map((r) => (r.status === 'fulfilled' ? 'sent' : (r.reason as ChatError).errorCode))).toEqual(['sent', 'sent', 'sent', 429, 429]);
  });

  test('a session that expires is closed by the server: the client disconnects', async () => {
    const room = await deployLobby();
    world.useVendor({ rooms: [room] });
    world.messaging.setMaxSession(200);
    const ana = await join('ana');

    await expect(ana.disconnected).resolves.toBe('serverDisconnect');
    expect(world.messaging.connections()).toEqual([]);
  });

  test('an expired token is refused: the client cannot connect', async () => {
    const room = await deployLobby();
    world.useVendor({ rooms: [room] });
    // a front end that holds on to its token past its expiration (about a minute)
    const stale = await fetchChatTokenAs(world, 'late', {})();
    world.clockOffsetMs = 61_000;
    const late = new Viewer(world, 'late', {}, async () => stale);
    viewers.push(late);

    await expect(late.join()).rejects.toThrow('late could not connect: socketError');
    expect(world.messaging.refusedUpgrades()).toEqual([{ status: 401, reason: 'Chat token expired' }]);
  });
});

describe('review handlers', () => {
  /**
   * A `Room` construct whose messageReviewHandler is a Lambda function of the same stack; the function's ARN
   * (Fn::GetAtt in the template) is mapped to `fn`, registered in the messaging stand-in under that ARN.
   */
  async function reviewedRoom(fn: ReviewFunction, fallbackResult: FallbackResult = FallbackResult.ALLOW): Promise<RoomSnapshot> {
    world.messaging.registerFunction(REVIEW_ARN, fn);
    const stack = world.newStack();
    const handler = new lambda.Function(stack, 'Review', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('// the stand-in runs the test\'s function under this ARN'),
    });
    const room = await deployLobby({ messageReviewHandler: { handler, fallbackResult } }, stack,
      { [stack.getLogicalId(handler.node.defaultChild as CfnElement)]: { attributes: { Arn: REVIEW_ARN } } });
    world.useVendor({ rooms: [room] });
    return room;
  }

  test('the example\'s handler (example/review-handler) delivers a clean message and denies a blocked word: 406 with its reason', async () => {
    await reviewedRoom(loadReviewHandler('example/review-handler/index.js', { BLOCKED_WORDS: 'spoiler' }));
    const ana = await join('ana');
    const bo = await join('bo');

    await expect(ana.send('nice match')).resolves.toMatchObject({ content: 'nice match' });
    const error = await chatErrorOf(ana.send('SPOILER: they win'));

    expect(error).toMatchObject({ errorCode: 406, errorMessage: expect.stringContaining('This message contains a blocked word') });
    await bo.until(() => bo.messages.length === 1);
    expect(bo.messages.map((m) => m.content)).toEqual(['nice match']);
  });

  test('a handler rewrites a message for everyone, and denies another with a reason the sender sees', async () => {
    await reviewedRoom(loadReviewHandler('test/e2e/review-handler/index.js', { MASKED_WORDS: 'darn', DENIED_WORDS: 'scam' }));
    const ana = await join('ana');
    const bo = await join('bo');

    const rewritten = await ana.send('darn it', { lang: 'en' });
    const error = await chatErrorOf(ana.send('great scam here'));

    expect(rewritten).toMatchObject({ content: '**** it', attributes: { lang: 'en', reviewed: 'true' } });
    expect(error).toMatchObject({ errorCode: 406, errorMessage: expect.stringContaining('"scam" is not allowed here') });
    await bo.until(() => bo.messages.length === 1);
    expect(bo.messages[0]).toMatchObject({ id: rewritten.id, content: '**** it' });
  });

  test.each([
    // never answers: the stand-in's review timeout decides, whatever the machine's load
    ['times out', () => new Promise<never>(() => undefined)],
    ['throws', () => Promise.reject(new Error('handler crashed'))],
  ])('a handler that %s follows fallbackResult both ways', async (_label, fn) => {
    await reviewedRoom(fn, FallbackResult.ALLOW);
    const ana = await join('ana');
    await expect(ana.send('allowed by fallback')).resolves.toMatchObject({ content: 'allowed by fallback' });
    viewers.splice(0).forEach((v) => v.room.disconnect());

    await reviewedRoom(fn, FallbackResult.DENY);
    const bo = await join('bo');
    expect(await chatErrorOf(bo.send('denied by fallback'))).toMatchObject({ errorCode: 406 });
  });
});
