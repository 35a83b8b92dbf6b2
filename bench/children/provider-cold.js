// Fresh-process cold path of a provider bundle: load it, serve one event, exit.
// argv[2]: bundle path. BENCH_EVENT: the CloudFormation event (ResponseURL points at the parent).
// Reports its own phase times (ms since process start) on stderr as one JSON line.
const { performance } = require('node:perf_hooks');
const started = performance.now();
const { handler } = require(process.argv[2]);
const loaded = performance.now();
const event = JSON.parse(process.env.BENCH_EVENT);
handler(event, { getRemainingTimeInMillis: () => 600_000 }).then(() => {
  process.stderr.write(`BENCH ${JSON.stringify({ started, loaded, done: performance.now() })}\n`);
  process.exit(0);
}, (err) => {
  process.stderr.write(`${err && err.stack || err}\n`);
  process.exit(1);
});
