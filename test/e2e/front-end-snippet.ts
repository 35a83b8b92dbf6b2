/**
 * The README's front-end snippet (the `js` block of "Token vendor") and the browser page's copy of it
 * (test/e2e/browser/front-end.js). The page's copy may differ only in the URLs: the chat endpoint
 * (`regionOrUrl`) is the page's `CHAT_URL` instead of a region, and one last line exports what the test
 * drives. Not a test file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
export const PAGE_DIR = path.join(__dirname, 'browser');
export const PAGE_MODULE = path.join(PAGE_DIR, 'front-end.js');

/** In the README: `regionOrUrl: '<region>'`; in the page: `regionOrUrl: CHAT_URL`. */
const README_REGION = /regionOrUrl: '[a-z0-9-]+'/;
const PAGE_URL = 'regionOrUrl: CHAT_URL';
/** The page module's last line, which the README's snippet does not have. */
export const PAGE_EXPORT_LINE = 'export { room, SendMessageRequest };';

/** The first `js` block of the README's "Token vendor" section. */
export function readmeFrontEndSnippet(readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')): string {
  const section = /\n## Token vendor\n([\s\S]*?)(?=\n## )/.exec(readme)?.[1];
  if (section === undefined) throw new Error('README.md has no "## Token vendor" section');
  const block = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error('README.md\'s "Token vendor" section has no ```js block');
  return block;
}

/** The page's module turned back into what the README should show: URLs put back, the export line removed. */
export function pageCodeAsReadme(page = fs.readFileSync(PAGE_MODULE, 'utf8'), readmeSnippet = readmeFrontEndSnippet()): string {
  const region = README_REGION.exec(readmeSnippet)?.[0];
  if (region === undefined) throw new Error('the README snippet no longer passes a region as regionOrUrl');
  const lines = page.trimEnd().split('\n');
  if (lines[lines.length - 1] !== PAGE_EXPORT_LINE) throw new Error(`the page module must end with "${PAGE_EXPORT_LINE}"`);
  return `${lines.slice(0, -1).join('\n')}\n`.replace(PAGE_URL, region);
}
