// The review itself: a pure function of the configuration and the event, answering what IVS Chat accepts.
import { findLinks } from './links';
import { Span, TermMatcher } from './terms';
import {
  ERROR_DENY_REASON, MASK_CHARACTER, REVIEW_CONTENT_MAX_CODE_POINTS, ReviewConfig,
} from '../../private/message-review-contract';

/** What IVS Chat sends for each message (chat message review handler page). */
export interface ReviewEvent {
  readonly Content?: unknown;
  readonly MessageId?: unknown;
  readonly RoomArn?: unknown;
  readonly Attributes?: unknown;
  readonly Sender?: unknown;
}

/** What the function answers. */
export interface ReviewResponse {
  readonly ReviewResult: 'ALLOW' | 'DENY';
  readonly Content?: string;
  readonly Attributes?: Record<string, string>;
}

/** How one message was decided, for the metrics. */
export type Outcome = 'allowed' | 'masked' | 'denied' | 'error';

export interface Decision {
  readonly response: ReviewResponse;
  readonly outcome: Outcome;
}

/** A configuration made ready to review: terms compiled into one matcher, patterns into RegExps. */
export class Reviewer {
  private readonly terms: TermMatcher;
  private readonly patterns: RegExp[];

  constructor(private readonly config: ReviewConfig) {
    if (config.version !== 1) throw new Error(`unsupported review configuration version ${String(config.version)}`);
    this.terms = new TermMatcher(config.blockedTerms);
    this.patterns = config.blockedPatterns.map((p) => new RegExp(p.source, p.flags));
  }

  review(event: ReviewEvent): Decision {
    const content = truncate(typeof event.Content === 'string' ? event.Content : '');
    const attributes = stringAttributes(event.Attributes);
    const spans = merge([
      ...this.terms.find(content),
      ...this.patterns.flatMap((pattern) => [...content.matchAll(pattern)]
        .filter((m) => m[0].length > 0).map((m) => ({ start: m.index!, end: m.index! + m[0].length }))),
      ...(this.config.blockLinks ? findLinks(content, this.config.allowedLinkDomains) : []),
    ]);
    if (spans.length === 0) {
      return { outcome: 'allowed', response: { ReviewResult: 'ALLOW', Content: content, Attributes: attributes } };
    }
    if (this.config.onMatch === 'DENY') {
      return { outcome: 'denied', response: { ReviewResult: 'DENY', Attributes: { Reason: this.config.denyReason } } };
    }
    return { outcome: 'masked', response: { ReviewResult: 'ALLOW', Content: mask(content, spans), Attributes: attributes } };
  }
}

/** The answer to a message that could not be reviewed: the user's choice, still a valid answer. */
export function errorDecision(event: ReviewEvent, onError: string | undefined): Decision {
  if (onError === 'DENY') {
    return { outcome: 'error', response: { ReviewResult: 'DENY', Attributes: { Reason: ERROR_DENY_REASON } } };
  }
  let content = '';
  let attributes: Record<string, string> = {};
  try {
    content = truncate(typeof event?.Content === 'string' ? event.Content : '');
    attributes = stringAttributes(event?.Attributes);
  } catch {
    // an event too odd to read: deliver nothing rather than fail
  }
  return { outcome: 'error', response: { ReviewResult: 'ALLOW', Content: content, Attributes: attributes } };
}

/** At most REVIEW_CONTENT_MAX_CODE_POINTS code points, never splitting a surrogate pair. */
export function truncate(text: string): string {
  if (text.length <= REVIEW_CONTENT_MAX_CODE_POINTS) return text;
  let count = 0;
  let i = 0;
  while (i < text.length && count < REVIEW_CONTENT_MAX_CODE_POINTS) {
    i += text.codePointAt(i)! > 0xffff ? 2 : 1;
    count++;
  }
  return text.slice(0, i);
}

/** The message's attributes with string values only (what the answer may carry). */
function stringAttributes(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string') out[k] = v;
    }
  }
  return out;
}

/** Sorted ranges with overlapping and touching ones joined. */
function merge(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, s.end) };
    else out.push(s);
  }
  return out;
}

/** Each code point inside a range becomes MASK_CHARACTER (whitespace stays, combining marks go); the rest is kept. */
function mask(text: string, spans: Span[]): string {
  let out = '';
  let pos = 0;
  for (const { start, end } of spans) {
    out += text.slice(pos, start);
    for (const ch of text.slice(start, end)) {
      if (/\s/u.test(ch)) out += ch;
      else if (!/\p{M}/u.test(ch)) out += MASK_CHARACTER;
    }
    pos = end;
  }
  return out + text.slice(pos);
}
