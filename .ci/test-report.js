#!/usr/bin/env node
// Reads jest's JUnit report for .ci/run.
//   check   [junit] [allowed]  exits 1 when the run had no tests, or skipped a test .ci/allowed-skips does not list
//   summary [junit] [allowed]  prints "N passed, N failed" (a skip that is not allowed counts as failed)
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const [mode, junitFile = path.join(ROOT, 'test-reports', 'junit.xml'), allowedFile = path.join(__dirname, 'allowed-skips')] =
  process.argv.slice(2);

const decode = (s) => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** "<full test name> | <reason>" lines; a line without a reason is an error. */
function allowedSkips() {
  const allowed = new Map();
  const errors = [];
  if (!fs.existsSync(allowedFile)) return { allowed, errors };
  for (const raw of fs.readFileSync(allowedFile, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const bar = line.lastIndexOf(' | ');
    const name = bar < 0 ? line : line.slice(0, bar).trim();
    const reason = bar < 0 ? '' : line.slice(bar + 3).trim();
    if (!reason) errors.push(`${path.basename(allowedFile)}: "${name}" has no reason`);
    else allowed.set(name, reason);
  }
  return { allowed, errors };
}

function report() {
  const { allowed, errors } = allowedSkips();
  const problems = [...errors];
  if (!fs.existsSync(junitFile)) return { problems: [...problems, `no test report at ${junitFile}`], passed: 0, failed: 1 };
  const xml = fs.readFileSync(junitFile, 'utf8');
  const head = (xml.match(/<testsuites[^>]*>/) || [''])[0];
  const n = (k) => Number((head.match(new RegExp(` ${k}="(\\d+)"`)) || [0, 0])[1]);
  // jest-junit names each test case by its full name (describe blocks and title) in classname; todo tests are skipped too.
  const skipped = [...xml.matchAll(/<testcase [^>]*classname="([^"]*)"[^>]*>\s*<skipped/g)].map((m) => decode(m[1]).trim());
  const notAllowed = skipped.filter((name) => !allowed.has(name));
  for (const name of notAllowed) problems.push(`skipped, and not in .ci/allowed-skips: ${name}`);
  for (const name of skipped.filter((s) => allowed.has(s))) console.error(`skipped as allowed: ${name} (${allowed.get(name)})`);
  if (n('tests') === 0) problems.push('the run found no tests');
  const failed = n('failures') + n('errors') + notAllowed.length + (n('tests') === 0 ? 1 : 0);
  return { problems, passed: n('tests') - n('failures') - n('errors') - skipped.length, failed };
}

const { problems, passed, failed } = report();
if (mode === 'check') {
  for (const p of problems) console.error(`CI: ${p}`);
  process.exit(problems.length ? 1 : 0);
} else if (mode === 'summary') {
  console.log(`${passed} passed, ${failed} failed`);
} else {
  console.error('usage: test-report.js check|summary [junit.xml] [allowed-skips]');
  process.exit(2);
}
