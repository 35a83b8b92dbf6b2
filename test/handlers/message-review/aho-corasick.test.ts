import { AhoCorasick } from '../../../src/handlers/message-review/aho-corasick';

/** Every (pattern, end) pair, by trying each pattern at each position. */
function bruteForce(patterns: string[], text: string): string[] {
  const hits: string[] = [];
  for (let end = 1; end <= text.length; end++) {
    patterns.forEach((p, i) => {
      if (end >= p.length && text.slice(end - p.length, end) === p) hits.push(`${i}@${end}`);
    });
  }
  return hits.sort();
}

test('the textbook case: he, she, his, hers in "ushers"', () => {
  const ac = new AhoCorasick(['he', 'she', 'his', 'hers']);
  expect(ac.find('ushers').map((h) => `${h.pattern}@${h.end}`).sort()).toEqual(['0@4', '1@4', '3@6']);
});

test('agrees with brute force on random patterns and texts (overlaps, prefixes, duplicates)', () => {
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 48271) % 2147483647;
    return seed % n;
  };
  const word = (max: number) => Array.from({ length: 1 + rnd(max) }, () => 'abc '[rnd(4)]).join('');
  for (let round = 0; round < 200; round++) {
    const patterns = Array.from({ length: 1 + rnd(12) }, () => word(4));
    const text = word(40);
    const ac = new AhoCorasick(patterns);
    expect(ac.find(text).map((h) => `${h.pattern}@${h.end}`).sort()).toEqual(bruteForce(patterns, text));
  }
});

test('no patterns: no hits', () => {
  expect(new AhoCorasick([]).find('anything')).toEqual([]);
});
