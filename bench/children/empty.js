// Reference: a fresh node process that does nothing but report to the parent like the others.
const { performance } = require('node:perf_hooks');
const started = performance.now();
const http = require('node:http');
const event = JSON.parse(process.env.BENCH_EVENT);
const req = http.request(event.ResponseURL, { method: 'PUT', headers: { 'content-length': 2 } }, (res) => {
  res.resume();
  res.on('end', () => {
    process.stderr.write(`BENCH ${JSON.stringify({ started, loaded: started, done: performance.now() })}\n`);
    process.exit(0);
  });
});
req.end('{}');
