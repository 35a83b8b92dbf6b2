// Fresh-process cost of one matcher: load it, build it over the terms in BENCH_REVIEW_DIR/review-config.json, find
// the terms in one line. argv[2]: a bundle exporting build(terms) -> { find(text) }. Reports CPU and wall ms.
const { performance } = require('node:perf_hooks');
const fs = require('node:fs');
const path = require('node:path');
const terms = JSON.parse(fs.readFileSync(path.join(process.env.BENCH_REVIEW_DIR, 'review-config.json'), 'utf8')).blockedTerms;
const t0 = performance.now();
const c0 = process.cpuUsage();
const { build } = require(process.argv[2]);
const matcher = build(terms);
const hits = matcher.find(`hello ${terms[17]} there`);
const cpu = process.cpuUsage(c0);
if (hits < 1) throw new Error('the matcher found nothing');
process.stderr.write(`BENCH ${JSON.stringify({ wall: performance.now() - t0, cpu: (cpu.user + cpu.system) / 1000 })}\n`);
