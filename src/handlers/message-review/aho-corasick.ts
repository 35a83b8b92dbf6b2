// A small Aho-Corasick automaton over UTF-16 code units: all terms found in one pass over the text. Written here
// rather than taken from modern-ahocorasick, whose Intl.Segmenter start-up and generic builder cost the cold start
// several times what this does (bench table 6); the text it sees is already folded, so code units suffice.

/** One occurrence: which pattern, and where it ends (exclusive) in the scanned text. */
export interface AhoHit {
  readonly pattern: number;
  readonly end: number;
}

export class AhoCorasick {
  /** Children of each node by code unit. */
  private readonly next: Map<number, number>[] = [new Map()];
  /** Failure link of each node. */
  private fail: Int32Array = new Int32Array(0);
  /** Patterns ending at each node (its own). */
  private readonly ends: number[][] = [[]];
  /** Nearest node on the failure chain that ends a pattern, or -1. */
  private dict: Int32Array = new Int32Array(0);
  private readonly lengths: number[] = [];

  constructor(patterns: readonly string[]) {
    patterns.forEach((pattern, index) => {
      let node = 0;
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern.charCodeAt(i);
        let child = this.next[node].get(c);
        if (child === undefined) {
          child = this.next.length;
          this.next.push(new Map());
          this.ends.push([]);
          this.next[node].set(c, child);
        }
        node = child;
      }
      this.ends[node].push(index);
      this.lengths.push(pattern.length);
    });
    this.link();
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
      const c = text.charCodeAt(i);
      let child = this.next[node].get(c);
      while (child === undefined && node !== 0) {
        node = this.fail[node];
        child = this.next[node].get(c);
      }
      node = child ?? 0;
      for (let out = this.ends[node].length > 0 ? node : this.dict[node]; out > 0; out = this.dict[out]) {
        for (const pattern of this.ends[out]) hits.push({ pattern, end: i + 1 });
      }
    }
    return hits;
  }

  /** Failure and dictionary links, breadth first. */
  private link(): void {
    const count = this.next.length;
    this.fail = new Int32Array(count);
    this.dict = new Int32Array(count).fill(-1);
    const queue: number[] = [];
    for (const child of this.next[0].values()) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head];
      for (const [c, child] of this.next[node]) {
        let f = this.fail[node];
        let target = this.next[f].get(c);
        while (target === undefined && f !== 0) {
          f = this.fail[f];
          target = this.next[f].get(c);
        }
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        const via = this.fail[child];
        this.dict[child] = this.ends[via].length > 0 ? via : this.dict[via];
        queue.push(child);
      }
    }
  }
}
