/**
 * The bundled handler as the construct ships it (assets/handlers/message-review + the configuration file the
 * construct writes): answers, metrics, logs, and the never-throws promise. Run `npx projen bundle` first.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadReviewFolder, loadReviewFunction, stageReviewFunction } from './bundle';
import { FallbackResult, ReviewAction } from '../../../src';

let lines: string[];
beforeEach(() => {
  lines = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => { lines.push(line); });
});
afterEach(() => jest.restoreAllMocks());

const EVENT = {
  Content: 'what a scam',
  MessageId: 'msg-1',
  RoomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/abcdEFGH1234',
  Attributes: { lang: 'en' },
  Sender: { UserId: 'ana', Attributes: { displayName: 'Ana' }, Ip: '192.0.2.1' },
};

function metrics(): Record<string, unknown>[] {
  return lines.map((l) => JSON.parse(l)).filter((l) => l._aws);
}

describe('answers', () => {
  test('MASK: ALLOW with the match masked and the attributes kept', async () => {
    const handler = loadReviewFunction({ blockedTerms: ['scam'] });
    await expect(handler(EVENT)).resolves.toEqual({ ReviewResult: 'ALLOW', Content: 'what a ****', Attributes: { lang: 'en' } });
  });

  test('DENY: the reason', async () => {
    const handler = loadReviewFunction({ blockedTerms: ['scam'], onMatch: ReviewAction.DENY, denyReason: 'No scams here.' });
    await expect(handler(EVENT)).resolves.toEqual({ ReviewResult: 'DENY', Attributes: { Reason: 'No scams here.' } });
  });

  test('clean text comes back unchanged', async () => {
    const handler = loadReviewFunction({ blockedTerms: ['scam'], onMatch: ReviewAction.DENY });
    await expect(handler({ ...EVENT, Content: 'scamper off' })).resolves.toEqual({ ReviewResult: 'ALLOW', Content: 'scamper off', Attributes: { lang: 'en' } });
  });

  test('thousands of terms from the file', async () => {
    const terms = Array.from({ length: 4000 }, (_, i) => `blk${i}word`.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]));
    const handler = loadReviewFunction({ blockedTerms: terms });
    await expect(handler({ ...EVENT, Content: `hi ${terms[3999]}!` })).resolves.toMatchObject({ Content: `hi ${'*'.repeat(terms[3999].length)}!` });
  });
});

describe('metrics: one embedded-metric line per message', () => {
  test.each([
    ['MessagesAllowed', 'fine words', ReviewAction.MASK],
    ['MessagesMasked', 'a scam', ReviewAction.MASK],
    ['MessagesDenied', 'a scam', ReviewAction.DENY],
  ])('%s', async (metric, content, onMatch) => {
    const handler = loadReviewFunction({ blockedTerms: ['scam'], onMatch }, { AWS_LAMBDA_FUNCTION_NAME: 'review-fn' });
    await handler({ ...EVENT, Content: content });
    const [line] = metrics();
    expect(line).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'CdkIvsChat/MessageReview', Dimensions: [['FunctionName']] }] },
      FunctionName: 'review-fn',
    });
    const counts = Object.fromEntries(['MessagesAllowed', 'MessagesMasked', 'MessagesDenied', 'ReviewErrors'].map((m) => [m, line[m]]));
    expect(counts).toEqual({ MessagesAllowed: 0, MessagesMasked: 0, MessagesDenied: 0, ReviewErrors: 0, [metric]: 1 });
    expect(metrics()).toHaveLength(1);
  });

  test('no log line carries the message text', async () => {
    const handler = loadReviewFunction({ blockedTerms: ['scam'] });
    await handler({ ...EVENT, Content: 'secret scam text' });
    await handler(null);
    expect(lines.join('\n')).not.toMatch(/secret|text/);
  });
});

describe('never throws: the error answer', () => {
  function brokenFolder(config: string): string {
    const { dir } = stageReviewFunction({ blockedTerms: ['scam'] });
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'review-broken-'));
    fs.copyFileSync(path.join(dir, 'index.js'), path.join(copy, 'index.js'));
    if (config) fs.writeFileSync(path.join(copy, 'review-config.json'), config);
    return copy;
  }

  test.each([
    ['no configuration file', ''],
    ['a configuration that is not JSON', '{oops'],
    ['a configuration of another version', JSON.stringify({ version: 9 })],
  ])('%s: ALLOW unchanged by default, an error logged without the text, ReviewErrors counted', async (_label, config) => {
    const handler = loadReviewFolder(brokenFolder(config), {});
    await expect(handler(EVENT)).resolves.toEqual({ ReviewResult: 'ALLOW', Content: 'what a scam', Attributes: { lang: 'en' } });
    const error = lines.map((l) => JSON.parse(l)).find((l) => l.level === 'ERROR');
    expect(error).toMatchObject({ messageId: 'msg-1', message: expect.stringContaining('review failed') });
    expect(JSON.stringify(error)).not.toContain('what a scam');
    expect(metrics()[0]).toMatchObject({ ReviewErrors: 1, MessagesAllowed: 0 });
  });

  test('onError DENY: DENY with a reason', async () => {
    const { environment } = stageReviewFunction({ onError: FallbackResult.DENY });
    const handler = loadReviewFolder(brokenFolder('{oops'), environment);
    await expect(handler(EVENT)).resolves.toEqual({ ReviewResult: 'DENY', Attributes: { Reason: expect.any(String) } });
  });

  test.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'hello'],
    ['an array', [1, 2]],
    ['content a number', { Content: 5 }],
    ['a hostile object', new Proxy({}, { get: () => { throw new Error('boom'); } })],
  ])('an odd event (%s) gets a valid answer', async (_label, event) => {
    const handler = loadReviewFunction({ blockedTerms: ['scam'], blockLinks: true, blockedPatterns: ['x{3}'] });
    const answer = await handler(event);
    expect(['ALLOW', 'DENY']).toContain(answer.ReviewResult);
    if (answer.ReviewResult === 'ALLOW') expect(typeof answer.Content).toBe('string');
    for (const v of Object.values(answer.Attributes ?? {})) expect(typeof v).toBe('string');
  });
});
