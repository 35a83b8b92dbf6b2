/**
 * End to end with the ready-made MessageReviewFunction: the unmodified `amazon-ivs-chat-messaging` client chats
 * through the messaging stand-in, whose rooms call the REAL bundled review handler (assets/handlers/message-review,
 * staged with its configuration file by the construct, loaded as Lambda loads it). One room masks, one denies.
 * Run `npx projen bundle` first.
 */
import './websocket-global';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EndToEndWorld } from './harness';
import { chatErrorOf, Viewer } from './node-viewer';
import { FallbackResult, MessageReviewFunctionProps, ReviewAction } from '../../src';
import { loadReviewFolder, stageReviewFunction } from '../handlers/message-review/bundle';
import { RoomSnapshot } from 'cdk-ivs-chat/testing';

const MASKING_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:review-mask';
const DENYING_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:review-deny';
const SHIPPED_BUNDLE = path.join(__dirname, '..', '..', 'assets', 'handlers', 'message-review', 'message-review.lambda', 'index.js');

let world: EndToEndWorld;
const viewers: Viewer[] = [];

beforeAll(async () => {
  // the vendor and the review function log one line per request: keep the test output for failures
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  world = await EndToEndWorld.start();
});
afterEach(() => {
  viewers.splice(0).forEach((v) => v.room.disconnect());
  world.reset();
});
afterAll(() => world.stop());

async function join(user: string, room: RoomSnapshot): Promise<Viewer> {
  const viewer = new Viewer(world, user, { roomArn: room.arn });
  viewers.push(viewer);
  return viewer.join();
}

/** A room reviewed by a MessageReviewFunction with these props: the construct's staged code, loaded fresh. */
function reviewedRoom(name: string, arn: string, props: MessageReviewFunctionProps): RoomSnapshot {
  const { dir, environment } = stageReviewFunction(props);
  // the staged code is the shipped bundle, unmodified
  expect(fs.readFileSync(path.join(dir, 'index.js'))).toEqual(fs.readFileSync(SHIPPED_BUNDLE));
  world.messaging.registerFunction(arn, loadReviewFolder(dir, environment));
  return world.standIn.seedRoom({ name, messageReviewHandler: { uri: arn, fallbackResult: FallbackResult.DENY } });
}

test('one room masks blocked terms and links for everyone; another refuses them with a 406 the sender sees', async () => {
  // GIVEN two rooms with the ready-made function, masking in one and denying in the other
  const terms = ['scam', 'badword'];
  const masking = reviewedRoom('masking', MASKING_ARN, { blockedTerms: terms, blockLinks: true, allowedLinkDomains: ['example.com'] });
  const denying = reviewedRoom('denying', DENYING_ARN, { blockedTerms: terms, onMatch: ReviewAction.DENY, denyReason: 'Please keep it friendly.' });
  world.useVendor({ rooms: [masking, denying] });
  const ana = await join('ana', masking);
  const bo = await join('bo', masking);
  const cy = await join('cy', denying);
  const di = await join('di', denying);

  // WHEN
  const sent = await ana.send('what a SC4M, see https://evil.io and https://example.com', { lang: 'en' });
  const clean = await ana.send('scamper along');
  const refused = await chatErrorOf(cy.send('b a d w o r d'));
  const allowed = await cy.send('good game');

  // THEN the masking room delivers the masked text to everyone, the rest of the text and attributes kept
  const masked = `what a ****, see ${'*'.repeat('https://evil.io'.length)} and https://example.com`;
  expect(sent).toMatchObject({ content: masked, attributes: { lang: 'en' } });
  expect(clean.content).toBe('scamper along');
  await bo.until(() => bo.messages.length === 2);
  expect(bo.messages.map((m) => m.content)).toEqual([masked, 'scamper along']);
  // and the denying room refuses with the reason, delivering only the clean message
  expect(refused).toMatchObject({ errorCode: 406, errorMessage: expect.stringContaining('Please keep it friendly.') });
  await di.until(() => di.messages.length === 1);
  expect(di.messages.map((m) => m.content)).toEqual(['good game']);
  expect(allowed.content).toBe('good game');
});
