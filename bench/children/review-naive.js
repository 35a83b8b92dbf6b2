// The naive baseline of table 6: the same configuration file, one RegExp per term (case-insensitive, \b word
// boundaries, no look-alike folding), masking every match. Loaded from a folder holding review-config.json.
const fs = require('node:fs');
const path = require('node:path');

const config = JSON.parse(fs.readFileSync(path.join(process.env.BENCH_REVIEW_DIR || __dirname, 'review-config.json'), 'utf8'));
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const regexps = config.blockedTerms.map((term) => new RegExp(`\\b${escape(term)}\\b`, 'giu'));

exports.handler = async (event) => {
  let content = typeof event.Content === 'string' ? event.Content : '';
  let matched = false;
  for (const re of regexps) {
    re.lastIndex = 0;
    if (re.test(content)) {
      matched = true;
      content = content.replace(re, (m) => '*'.repeat([...m].length));
    }
  }
  if (matched && config.onMatch === 'DENY') return { ReviewResult: 'DENY', Attributes: { Reason: config.denyReason } };
  return { ReviewResult: 'ALLOW', Content: content, Attributes: event.Attributes || {} };
};
