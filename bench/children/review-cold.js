// Fresh-process cold path of a message review function: load it (module load reads the configuration file and
// compiles the terms), review one message, exit. argv[2]: the function's index.js (the construct's staged folder,
// or the naive baseline beside it). BENCH_EVENT: the review event. Reports its own phase times (ms since process
// start) on stderr as one JSON line.
const { performance } = require('node:perf_hooks');
const started = performance.now();
const cpu0 = process.cpuUsage();
const { handler } = require(process.argv[2]);
const loaded = performance.now();
console.log = () => {};
handler(JSON.parse(process.env.BENCH_EVENT)).then((res) => {
  if (!res || (res.ReviewResult !== 'ALLOW' && res.ReviewResult !== 'DENY')) throw new Error(`answered ${JSON.stringify(res)}`);
  const done = performance.now();
  const cpu = process.cpuUsage(cpu0);
  // CPU time of load + first review: what the work costs, whatever else the machine runs.
  process.stderr.write(`BENCH ${JSON.stringify({ started, loaded, done, cpu: (cpu.user + cpu.system) / 1000, answer: res })}\n`);
  process.exit(0);
}).catch((err) => {
  process.stderr.write(`${err && err.stack || err}\n`);
  process.exit(1);
});
