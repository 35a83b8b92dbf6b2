import { errorDecision, Reviewer, truncate } from '../../../src/handlers/message-review/review';
import { ReviewConfig } from '../../../src/private/message-review-contract';

const BASE: ReviewConfig = {
  version: 1,
  blockedTerms: ['scam', 'badword', 'ass', 'bad word', 'crème'],
  blockedPatterns: [],
  blockLinks: false,
  allowedLinkDomains: [],
  onMatch: 'MASK',
  denyReason: 'Not here, please.',
};

const review = (content: string, config: Partial<ReviewConfig> = {}) =>
  new Reviewer({ ...BASE, ...config }).review({ Content: content, MessageId: 'm1', Attributes: { lang: 'en' } });
const masked = (content: string, config: Partial<ReviewConfig> = {}) => {
  const decision = review(content, config);
  expect(decision.response.ReviewResult).toBe('ALLOW');
  return decision.response.Content;
};

describe('blocked terms: whole words, any disguise', () => {
  test.each([
    // case
    ['what a SCAM!', 'what a ****!'],
    ['Scam', '****'],
    // look-alikes: leet digits and symbols, Cyrillic, fullwidth, accents, combining marks
    ['b4dw0rd here', '******* here'],
    ['$c@m', '****'],
    ['\u0455\u0441\u0430m alert', '**** alert'],
    ['\uff33\uff23\uff21\uff2d', '****'],
    ['sc\u00e0m', '****'],
    ['sca\u0301m today', '**** today'],
    ['creme and cr\u00e8me', '***** and *****'],
    // repeated and spaced letters
    ['baaaadwooord', '************'],
    ['B A D W O R D', '* * * * * * *'],
    ['s.c.a.m', '*******'],
    ['asssss', '******'],
    // phrases: any run of separators between the words
    ['a bad  word indeed', 'a ***  **** indeed'],
    // the rest of the text is kept, emoji and all
    ['\ud83d\ude00 scam \ud83d\ude00 e\u0301!', '\ud83d\ude00 **** \ud83d\ude00 e\u0301!'],
    ['scam, scam and scam.', '****, **** and ****.'],
  ])('%j -> %j', (content, expected) => {
    expect(masked(content)).toBe(expected);
  });

  test.each([
    'scamper is fine',
    'no scams? no: "scams" is another word',
    'as you like',
    'pass the class',
    'a bad day, a word',
    'b a d',
    'badwordy',
    '1 2 3 4',
    'node.js and 42',
    '',
  ])('%j is clean and comes back unchanged', (content) => {
    expect(review(content)).toEqual({ outcome: 'allowed', response: { ReviewResult: 'ALLOW', Content: content, Attributes: { lang: 'en' } } });
  });

  test('thousands of terms', () => {
    const terms = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}x`.replace(/[0-9]/g, 'q'));
    const reviewer = new Reviewer({ ...BASE, blockedTerms: terms });
    expect(reviewer.review({ Content: `hello ${terms[4321]} there` }).response.Content).toBe(`hello ${'*'.repeat(terms[4321].length)} there`);
  });
});

describe('onMatch DENY', () => {
  test('answers DENY with the reason, and no content', () => {
    expect(review('what a scam', { onMatch: 'DENY' })).toEqual({
      outcome: 'denied', response: { ReviewResult: 'DENY', Attributes: { Reason: 'Not here, please.' } },
    });
  });
  test('clean text is still allowed unchanged', () => {
    expect(review('scamper', { onMatch: 'DENY' }).response).toEqual({ ReviewResult: 'ALLOW', Content: 'scamper', Attributes: { lang: 'en' } });
  });
});

describe('blocked patterns', () => {
  const config = { blockedTerms: [], blockedPatterns: [{ source: '\\bfree\\s+v-?bucks\\b', flags: 'giu' }, { source: '\\d{3}-\\d{4}', flags: 'giu' }] };
  test.each([
    ['FREE vbucks here', '**** ****** here'],
    ['call 555-1234 now', 'call ******** now'],
    ['freedom', 'freedom'],
  ])('%j -> %j', (content, expected) => {
    expect(masked(content, config)).toBe(expected);
  });
});

describe('links', () => {
  const links = { blockedTerms: [], blockLinks: true, allowedLinkDomains: ['example.com'] };
  test.each([
    ['go to https://evil.io/x. now', `go to ${'*'.repeat('https://evil.io/x'.length)}. now`],
    ['www.bad.net rocks', '*********** rocks'],
    ['see bad.com/path?q=1', 'see ****************'],
    ['HTTP://EVIL.IO', '**************'],
    // in an e-mail address, the host
    ['user@evil.io', 'user@*******'],
    // allowed domains and their subdomains stay; a look-alike domain does not
    ['docs at https://example.com/a and docs.example.com', 'docs at https://example.com/a and docs.example.com'],
    ['not example.com.evil.io', `not ${'*'.repeat('example.com.evil.io'.length)}`],
    ['not notexample.com', 'not **************'],
    // no link
    ['node.js and e.g. this', 'node.js and e.g. this'],
    ['3.14 is pi', '3.14 is pi'],
  ])('%j -> %j', (content, expected) => {
    expect(masked(content, links)).toBe(expected);
  });

  test('blockLinks off: links stay', () => {
    expect(masked('https://evil.io', { blockLinks: false })).toBe('https://evil.io');
  });

  test('DENY on a link', () => {
    expect(review('https://evil.io', { ...links, onMatch: 'DENY' }).response.ReviewResult).toBe('DENY');
  });
});

describe('answers IVS Chat accepts', () => {
  test('content over 500 code points is cut at 500, never inside a surrogate pair', () => {
    const emoji = '\ud83d\ude00';
    const long = 'a'.repeat(499) + emoji + emoji;
    expect([...truncate(long)].length).toBe(500);
    expect(truncate(long).endsWith(emoji)).toBe(true);
    expect([...review(emoji.repeat(600)).response.Content!].length).toBe(500);
  });

  test('500 code points of emoji pass whole', () => {
    const text = '\ud83d\udc4d'.repeat(500);
    expect(review(text).response.Content).toBe(text);
  });

  test('masking never makes the message longer', () => {
    const text = 'sca\u0301m '.repeat(80).trim();
    const out = masked(text)!;
    expect([...out].length).toBeLessThanOrEqual([...text].length);
    expect(out).not.toMatch(/scam/);
  });

  test('attributes: only string values are kept', () => {
    const decision = new Reviewer(BASE).review({ Content: 'hi', Attributes: { a: '1', b: 2, c: null, d: { e: 'f' } } });
    expect(decision.response.Attributes).toEqual({ a: '1' });
  });

  test.each([
    ['no content', {}],
    ['content not a string', { Content: 42 }],
    ['attributes not an object', { Content: 'hi', Attributes: 'x' }],
  ])('%s: a valid ALLOW', (_label, event) => {
    const response = new Reviewer(BASE).review(event as never).response;
    expect(response.ReviewResult).toBe('ALLOW');
    expect(typeof response.Content).toBe('string');
  });
});

describe('the error answer', () => {
  test('ALLOW (default) delivers the message unchanged', () => {
    expect(errorDecision({ Content: 'hi', Attributes: { a: '1' } }, undefined))
      .toEqual({ outcome: 'error', response: { ReviewResult: 'ALLOW', Content: 'hi', Attributes: { a: '1' } } });
  });
  test('DENY refuses it with a reason', () => {
    expect(errorDecision({ Content: 'hi' }, 'DENY').response).toEqual({ ReviewResult: 'DENY', Attributes: { Reason: expect.any(String) } });
  });
  test('an unreadable event still gets a valid answer', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('boom'); } });
    expect(errorDecision(hostile, 'ALLOW').response).toEqual({ ReviewResult: 'ALLOW', Content: '', Attributes: {} });
  });
  test('an unknown configuration version is refused when loading', () => {
    expect(() => new Reviewer({ ...BASE, version: 2 as never })).toThrow('unsupported review configuration version 2');
  });
});
