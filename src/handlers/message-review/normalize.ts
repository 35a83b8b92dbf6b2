// Folds text to what a reader sees, keeping where each folded character came from, so matches mask the original.
import { resolveConfusablesTransformer, resolveLeetSpeakTransformer } from 'obscenity';

/** Folded text: one entry per folded character, with the original UTF-16 range it came from. */
export interface Folded {
  /** Lower-case letters and digits; every run of other characters is one space. */
  readonly text: string;
  readonly start: number[];
  readonly end: number[];
}

const SEPARATOR = ' ';
const COMBINING = /\p{M}/u;
const WORD = /[\p{L}\p{N}]/u;
// Leet digits and symbols read as letters only: punctuation such as "!" or "(" stays a word boundary.
const LEET_CHARACTERS = new Set([...'4@3106$57'].map((c) => c.codePointAt(0)!));

const confusables = resolveConfusablesTransformer();
const leet = resolveLeetSpeakTransformer();
const cache = new Map<number, string>();

/** What one code point reads as: lower-case letters or digits, or SEPARATOR. */
function foldCodePoint(cp: number): string {
  const cached = cache.get(cp);
  if (cached !== undefined) return cached;
  let result: string;
  if (LEET_CHARACTERS.has(cp)) {
    result = String.fromCodePoint(leet.transform(cp) ?? cp);
  } else {
    const resolved = cp < 128 ? cp : (confusables.transform(cp) ?? cp);
    // NFKD splits accents off (é -> e + U+0301) and unfolds compatibility forms (ﬁ -> fi, fullwidth -> ASCII).
    result = String.fromCodePoint(resolved).normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
    if (!WORD.test(result)) result = SEPARATOR;
    else result = [...result].filter((c) => WORD.test(c)).join('');
  }
  if (cache.size < 4096) cache.set(cp, result);
  return result;
}

/** ASCII, folded once at load: most chat text never leaves this table. */
const ASCII: readonly string[] = Array.from({ length: 128 }, (_, cp) => foldCodePoint(cp));

/**
 * Folds `text`: case, accents, combining marks, look-alike characters and leet digits; runs of separators become
 * one space; three or more single letters split by single separators ("b a d", "b.a.d") are joined into one word.
 */
export function fold(text: string): Folded {
  const chars: string[] = [];
  const start: number[] = [];
  const end: number[] = [];
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    if (cp >= 0x300 && chars.length > 0 && COMBINING.test(String.fromCodePoint(cp))) {
      // A combining mark belongs to the character before it.
      end[end.length - 1] = i + width;
    } else {
      const folded = cp < 128 ? ASCII[cp] : foldCodePoint(cp);
      if (folded === SEPARATOR) {
        if (chars.length > 0 && chars[chars.length - 1] === SEPARATOR) {
          end[end.length - 1] = i + width;
        } else {
          chars.push(SEPARATOR); start.push(i); end.push(i + width);
        }
      } else {
        for (const c of folded) {
          chars.push(c); start.push(i); end.push(i + width);
        }
      }
    }
    i += width;
  }
  joinSpacedLetters(chars, start, end);
  return { text: chars.join(''), start, end };
}

/** Removes the separators inside runs of 3+ single-letter words, in place. */
function joinSpacedLetters(chars: string[], start: number[], end: number[]): void {
  const single = (k: number) => chars[k] !== SEPARATOR && (k === 0 || chars[k - 1] === SEPARATOR)
    && (k === chars.length - 1 || chars[k + 1] === SEPARATOR);
  let k = 0;
  while (k < chars.length) {
    if (!single(k)) { k++; continue; }
    let last = k;
    let count = 1;
    // The separator between two letters must be one character of the original ("b a d", not "b   a   d").
    while (last + 2 < chars.length && chars[last + 1] === SEPARATOR && end[last + 1] - start[last + 1] === 1 && single(last + 2)) {
      last += 2;
      count++;
    }
    if (count >= 3) {
      for (let s = last - 1; s > k; s -= 2) {
        chars.splice(s, 1); start.splice(s, 1); end.splice(s, 1);
      }
      k = k + count;
    } else {
      k = last + 1;
    }
  }
}

/** Folded text with runs of one character collapsed: "baaad" -> "bad" with run lengths [1, 3, 1]. */
export interface Collapsed {
  readonly text: string;
  /** Length of each character's run. */
  readonly runs: number[];
  /** Index in the folded text where each run starts. */
  readonly at: number[];
}

export function collapse(folded: string): Collapsed {
  let text = '';
  const runs: number[] = [];
  const at: number[] = [];
  for (let k = 0; k < folded.length; k++) {
    if (k > 0 && folded[k] === folded[k - 1]) {
      runs[runs.length - 1]++;
    } else {
      text += folded[k]; runs.push(1); at.push(k);
    }
  }
  return { text, runs, at };
}
