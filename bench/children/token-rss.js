// Peak memory of a token-vending process: load the vendor bundle (or the bare SDK) and serve
// BENCH_REQUESTS requests against the stand-in, then report RSS figures on stderr as one JSON line.
// argv[2]: 'vendor' <bundle path> | 'sdk'. BENCH_EVENT: the HTTP event; BENCH_TOKEN_INPUT: CreateChatToken input.
const mode = process.argv[2];
const requests = Number(process.env.BENCH_REQUESTS || '1000');
const baseline = process.memoryUsage().rss;
let serve;
if (mode === 'vendor') {
  const { handler } = require(process.argv[3]);
  const event = JSON.parse(process.env.BENCH_EVENT);
  // Lambda's console goes to a pipe; keep the formatting cost, drop the output.
  console.log = console.info = console.warn = () => {};
  serve = async () => {
    const res = await handler(JSON.parse(JSON.stringify(event)), { getRemainingTimeInMillis: () => 10_000 });
    if (!res || res.statusCode !== 200) throw new Error(`vendor answered ${JSON.stringify(res)}`);
  };
} else {
  const { IvschatClient, CreateChatTokenCommand } = require('@aws-sdk/client-ivschat');
  const client = new IvschatClient({});
  const input = JSON.parse(process.env.BENCH_TOKEN_INPUT);
  serve = () => client.send(new CreateChatTokenCommand(input));
}
const loaded = process.memoryUsage().rss;
(async () => {
  for (let i = 0; i < requests; i++) await serve();
  const usage = process.resourceUsage();
  process.stderr.write(`BENCH ${JSON.stringify({ baseline, loaded, end: process.memoryUsage().rss, maxRss: usage.maxRSS * 1024, heap: process.memoryUsage().heapUsed })}\n`);
  process.exit(0);
})().catch((err) => {
  process.stderr.write(`${err && err.stack || err}\n`);
  process.exit(1);
});
