// Links in chat text: with a scheme or www., or a bare host name under a common top-level domain.
import type { Span } from './terms';

// Bare names count only under these (a word like "node.js" is not a link); with a scheme or www. any host counts.
const COMMON_TLDS = 'com|net|org|io|co|gg|tv|me|ly|xyz|info|biz|app|dev|link|click|top|site|online|shop|live|store|' +
  'ru|cn|de|uk|fr|jp|br|in|it|nl|es|pl|au|ca|us|eu|to|cc|ws|be|at|ch|se|no|tk|ml|ga|cf|gq|gl|bit|club|fun|vip|win|bet';
const LINK = new RegExp(
  '(?:\\b(?:https?|ftp):\\/\\/|\\bwww\\.)[^\\s<>"]+' +
  `|\\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+(?:${COMMON_TLDS})\\b(?::\\d{1,5})?(?:\\/[^\\s<>"]*)?`,
  'giu');
const TRAILING_PUNCTUATION = /[.,;:!?)\]}'"]+$/u;

/** Ranges of the links in `text` whose host is not an allowed domain (or a subdomain of one). */
export function findLinks(text: string, allowedDomains: readonly string[]): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(LINK)) {
    const link = match[0].replace(TRAILING_PUNCTUATION, '');
    if (!link) continue;
    const host = hostOf(link);
    if (host && allowedDomains.some((d) => host === d || host.endsWith(`.${d}`))) continue;
    spans.push({ start: match.index!, end: match.index! + link.length });
  }
  return spans;
}

/** The lower-case host of a link: without scheme, user info, port, path, query or trailing dot. */
export function hostOf(link: string): string {
  let rest = link.replace(/^[a-z][a-z0-9+.-]*:\/\//iu, '');
  rest = rest.split(/[/?#]/u)[0];
  rest = rest.slice(rest.lastIndexOf('@') + 1);
  return rest.replace(/:\d*$/u, '').replace(/\.$/u, '').toLowerCase();
}
