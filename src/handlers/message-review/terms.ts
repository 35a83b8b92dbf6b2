// Blocked terms matched all at once (Aho-Corasick over the folded, collapsed text), whole words only.
import { AhoCorasick } from './aho-corasick';
import { collapse, fold } from './normalize';

/** A range of the original text, UTF-16 offsets, end exclusive. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

interface Term {
  /** Run lengths of the collapsed term: "ass" -> [1, 2], so "as" is no hit but "asss" is. */
  readonly runs: number[];
}

export class TermMatcher {
  private readonly matcher: AhoCorasick;
  private readonly terms: Term[];
  /** How many terms folded to something matchable. */
  public readonly size: number;

  constructor(terms: readonly string[]) {
    const patterns: string[] = [];
    this.terms = [];
    for (const term of terms) {
      const folded = fold(term).text.trim();
      if (!folded) continue;
      const c = collapse(folded);
      patterns.push(c.text);
      this.terms.push({ runs: c.runs });
    }
    this.size = patterns.length;
    this.matcher = new AhoCorasick(patterns);
  }

  /** Ranges of the original text where a term stands as a whole word. */
  find(text: string): Span[] {
    if (this.size === 0) return [];
    const folded = fold(text);
    const c = collapse(folded.text);
    const spans: Span[] = [];
    for (const hit of this.matcher.find(c.text)) {
      const start = hit.end - this.matcher.length(hit.pattern);
      // Whole words: the folded text has a separator (or nothing) on both sides.
      if (start > 0 && c.text[start - 1] !== ' ') continue;
      if (hit.end < c.text.length && c.text[hit.end] !== ' ') continue;
      // Each letter repeated at least as often as in the term.
      const runs = this.terms[hit.pattern].runs;
      let ok = true;
      for (let k = 0; k < runs.length; k++) {
        if (c.runs[start + k] < runs[k]) { ok = false; break; }
      }
      if (!ok) continue;
      const first = c.at[start];
      const last = c.at[hit.end - 1] + c.runs[hit.end - 1] - 1;
      spans.push({ start: folded.start[first], end: folded.end[last] });
    }
    return spans;
  }
}
