// Fresh-process cold path of the bare SDK: the same CreateRoom call with a fresh IvschatClient,
// then the same kind of PUT to the parent's ResponseURL, then exit.
// BENCH_EVENT: the same event the provider gets (only its properties and ResponseURL are used).
const { performance } = require('node:perf_hooks');
const started = performance.now();
const { IvschatClient, CreateRoomCommand } = require('@aws-sdk/client-ivschat');
const http = require('node:http');
const loaded = performance.now();
const event = JSON.parse(process.env.BENCH_EVENT);
const p = event.ResourceProperties;

function put(url, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end(body);
  });
}

(async () => {
  const client = new IvschatClient({});
  const room = await client.send(new CreateRoomCommand({
    name: p.Name,
    maximumMessageLength: Number(p.MaximumMessageLength),
    maximumMessageRatePerSecond: Number(p.MaximumMessageRatePerSecond),
    tags: p.Tags,
  }));
  await put(event.ResponseURL, JSON.stringify({ Status: 'SUCCESS', PhysicalResourceId: room.arn, Data: { Arn: room.arn, Id: room.id } }));
  process.stderr.write(`BENCH ${JSON.stringify({ started, loaded, done: performance.now() })}\n`);
  process.exit(0);
})().catch((err) => {
  process.stderr.write(`${err && err.stack || err}\n`);
  process.exit(1);
});
