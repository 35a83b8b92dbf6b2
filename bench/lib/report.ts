/** Small statistics and table helpers shared by the benchmark sections. */

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100) of the values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Fixed decimals, or '-' for NaN / undefined. */
export function fmt(value: number | undefined, digits = 1): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  return value.toFixed(digits);
}

/** Integer with thousands separators. */
export function int(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  return Math.round(value).toLocaleString('en-US');
}

export function ratio(a: number, b: number, digits = 2): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '-';
  return `${(a / b).toFixed(digits)}x`;
}

export function verdict(met: boolean): string {
  return met ? 'MET' : 'MISSED';
}

/** A markdown table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** One section of the report: a heading, tables and notes, as markdown. */
export class Section {
  private readonly parts: string[] = [];
  /** [target, figure, verdict] rows, also collected into the summary. */
  public readonly targets: string[][] = [];

  constructor(public readonly title: string) {}

  table(header: readonly string[], rows: readonly (readonly string[])[]): this {
    this.parts.push(table(header, rows));
    return this;
  }

  /** The section's targets as a table; run.ts repeats them in the summary. */
  targetTable(rows: string[][]): this {
    this.targets.push(...rows.filter((r) => r[2] === 'MET' || r[2] === 'MISSED' || r[2] === 'info' || r[1].startsWith('not measured')));
    return this.table(['target', 'figure', 'verdict'], rows);
  }

  text(...lines: string[]): this {
    this.parts.push(lines.join('\n'));
    return this;
  }

  bullets(lines: readonly string[]): this {
    if (lines.length > 0) this.parts.push(lines.map((l) => `- ${l}`).join('\n'));
    return this;
  }

  render(): string {
    return [`## ${this.title}`, ...this.parts].join('\n\n');
  }
}

/** Milliseconds since an origin, with sub-millisecond resolution. */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
