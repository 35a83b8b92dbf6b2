// A small Aho-Corasick automaton over UTF-16 code units: all terms found in one pass over the text. Written here
// rather than taken from modern-ahocorasick, whose Intl.Segmenter start-up and generic builder cost the cold start
// several times what this does (bench table 6); the text it sees is already folded, so code units suffice.

/** One occurrence: which pattern, and where it ends (exclusive) in the scanned text. */
export interface AhoHit {
  readonly pattern: number;
  readonly end: number;
}

/**
 * The automaton as one dense transition table (typed arrays, built breadth first): each text character costs one
 * lookup, and building it for thousands of terms takes milliseconds even before the JIT warms up.
 */
export class AhoCorasick {
  /** Symbol of each code unit the patterns use; other code units match nothing. */
  private readonly symbols = new Map<number, number>();
  /** delta[node * width + symbol]: the next node, failure links already followed. */
  private readonly delta: Int32Array;
  private readonly width: number;
  /** First pattern ending at each node, and the next pattern ending there (pattern-indexed chains). */
  private readonly firstEnd: Int32Array;
  private readonly nextEnd: Int32Array;
  /** Nearest node on the failure chain that ends a pattern, or 0. */
  private readonly dict: Int32Array;
  private readonly lengths: Int32Array;

  constructor(patterns: readonly string[]) {
    let total = 1;
    for (const p of patterns) {
      total += p.length;
      for (let i = 0; i < p.length; i++) {
        const c = p.charCodeAt(i);
        if (!this.symbols.has(c)) this.symbols.set(c, this.symbols.size);
      }
    }
    const width = Math.max(1, this.symbols.size);
    this.width = width;
    // Trie edges first (-1: none), turned into the full transition function below.
    const delta = new Int32Array(total * width).fill(-1);
    this.firstEnd = new Int32Array(total).fill(-1);
    this.nextEnd = new Int32Array(patterns.length).fill(-1);
    this.lengths = new Int32Array(patterns.length);
    let nodes = 1;
    patterns.forEach((p, index) => {
      let node = 0;
      for (let i = 0; i < p.length; i++) {
        const slot = node * width + this.symbols.get(p.charCodeAt(i))!;
        if (delta[slot] < 0) delta[slot] = nodes++;
        node = delta[slot];
      }
      this.nextEnd[index] = this.firstEnd[node];
      this.firstEnd[node] = index;
      this.lengths[index] = p.length;
    });
    const fail = new Int32Array(nodes);
    this.dict = new Int32Array(nodes);
    const queue = new Int32Array(nodes);
    let tail = 0;
    for (let s = 0; s < width; s++) {
      const child = delta[s];
      if (child > 0) queue[tail++] = child;
      else delta[s] = 0;
    }
    for (let head = 0; head < tail; head++) {
      const node = queue[head];
      const f = fail[node];
      this.dict[node] = this.firstEnd[f] >= 0 ? f : this.dict[f];
      for (let s = 0; s < width; s++) {
        const slot = node * width + s;
        const child = delta[slot];
        if (child > 0) {
          fail[child] = delta[f * width + s];
          queue[tail++] = child;
        } else {
          delta[slot] = delta[f * width + s];
        }
      }
    }
    this.delta = delta;
  }

  /** Length of pattern `index`, in code units. */
  length(index: number): number {
    return this.lengths[index];
  }

  /** Every occurrence of every pattern, overlaps included, in order of their end. */
  find(text: string): AhoHit[] {
    const hits: AhoHit[] = [];
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const s = this.symbols.get(text.charCodeAt(i));
      node = s === undefined ? 0 : this.delta[node * this.width + s];
      for (let out = this.firstEnd[node] >= 0 ? node : this.dict[node]; out > 0; out = this.dict[out]) {
        for (let p = this.firstEnd[out]; p >= 0; p = this.nextEnd[p]) hits.push({ pattern: p, end: i + 1 });
      }
    }
    return hits;
  }
}
