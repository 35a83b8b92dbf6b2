import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// .ci/test-report.js: CI fails a run with no tests, or with a skipped test that .ci/allowed-skips does not list.
const SCRIPT = path.join(__dirname, '..', '.ci', 'test-report.js');

/** A jest-junit report (its format: the full test name in classname, a leading space without a describe). */
function junit(cases: Array<{ name: string; result?: 'failure' | 'skipped' }>): string {
  const failures = cases.filter((c) => c.result === 'failure').length;
  const skipped = cases.filter((c) => c.result === 'skipped').length;
  const body = cases.map((c) => {
    const name = c.name.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    const inner = c.result === 'failure' ? '<failure>Error: boom</failure>' : c.result === 'skipped' ? '<skipped/>' : '';
    return `    <testcase classname="${name}" name="${name}" time="0.1">\n      ${inner}\n    </testcase>`;
  }).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="jest tests" tests="${cases.length}" failures="${failures}" errors="0" time="1">\n` +
    `  <testsuite name="undefined" errors="0" failures="${failures}" skipped="${skipped}" tests="${cases.length}">\n${body}\n  </testsuite>\n</testsuites>\n`;
}

function run(mode: 'check' | 'summary', report: string, allowed: string): { status: number | null; stdout: string; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-report-'));
  try {
    fs.writeFileSync(path.join(dir, 'junit.xml'), report);
    fs.writeFileSync(path.join(dir, 'allowed-skips'), allowed);
    const r = spawnSync('node', [SCRIPT, mode, path.join(dir, 'junit.xml'), path.join(dir, 'allowed-skips')], { encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const HEADER = '# Tests CI may skip\n';

test('a run whose tests all pass passes, and the summary is the plain line', () => {
  const report = junit([{ name: ' a' }, { name: 'group "b" c' }]);
  expect(run('check', report, HEADER).status).toBe(0);
  expect(run('summary', report, HEADER).stdout).toBe('2 passed, 0 failed\n');
});

test('a run with no tests fails', () => {
  const report = junit([]);
  expect(run('check', report, HEADER)).toEqual(expect.objectContaining({ status: 1, stderr: expect.stringContaining('no tests') }));
  expect(run('summary', report, HEADER).stdout).toBe('0 passed, 1 failed\n');
});

test('a skipped test fails the run unless the list names it with a reason', () => {
  const report = junit([{ name: ' a' }, { name: 'in headless Chromium loads the "page"', result: 'skipped' }]);

  const unlisted = run('check', report, HEADER);
  expect(unlisted.status).toBe(1);
  expect(unlisted.stderr).toContain('skipped, and not in .ci/allowed-skips: in headless Chromium loads the "page"');
  expect(run('summary', report, HEADER).stdout).toBe('1 passed, 1 failed\n');

  const listed = `${HEADER}in headless Chromium loads the "page" | no display on this runner\n`;
  expect(run('check', report, listed).status).toBe(0);
  expect(run('summary', report, listed).stdout).toBe('1 passed, 0 failed\n');

  const withoutReason = `${HEADER}in headless Chromium loads the "page"\n`;
  expect(run('check', report, withoutReason)).toEqual(expect.objectContaining({ status: 1, stderr: expect.stringContaining('has no reason') }));
});

test('failures count as failed; a missing report is a failure', () => {
  const report = junit([{ name: ' a' }, { name: ' b', result: 'failure' }]);
  expect(run('summary', report, HEADER).stdout).toBe('1 passed, 1 failed\n');
  const r = spawnSync('node', [SCRIPT, 'check', path.join(os.tmpdir(), 'no-such-dir', 'junit.xml')], { encoding: 'utf8' });
  expect(r.status).toBe(1);
});

test('the committed list gives every allowed skip a reason', () => {
  const r = spawnSync('node', [SCRIPT, 'check', path.join(__dirname, 'no-report.xml')], { encoding: 'utf8' });
  expect(r.stderr).not.toContain('has no reason');
});
