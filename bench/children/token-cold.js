// Fresh-process cold path of a token-vendor bundle: load it, answer one HTTP event, exit.
// argv[2]: bundle path. BENCH_EVENT: the event; the vendor's configuration and the stand-in endpoint come from the
// environment. Reports its own phase times (ms since process start) on stderr as one JSON line.
const { performance } = require('node:perf_hooks');
const started = performance.now();
const { handler } = require(process.argv[2]);
const loaded = performance.now();
console.log = console.info = console.warn = () => {};
handler(JSON.parse(process.env.BENCH_EVENT)).then((res) => {
  if (!res || res.statusCode !== 200) throw new Error(`vendor answered ${JSON.stringify(res)}`);
  process.stderr.write(`BENCH ${JSON.stringify({ started, loaded, done: performance.now() })}\n`);
  process.exit(0);
}).catch((err) => {
  process.stderr.write(`${err && err.stack || err}\n`);
  process.exit(1);
});
