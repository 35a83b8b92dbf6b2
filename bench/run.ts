/**
 * Benchmarks of cdk-ivs-chat (not part of the test suite):
 *   1. stack cost: Room vs aws_ivschat.CfnRoom
 *   2. provider bundle size and cold start vs a bare SDK call in a fresh process
 *   3. deployment wait (poll interval cost) and Lambda invocations per lifecycle event
 *   4. token vending throughput / latency vs a bare CreateChatToken call
 *   5. deploy at scale: N = 50, 200, 400 concurrent room creates and deletes against a 5-TPS bucket
 *   6. join storm: 1,000 and 10,000 viewers asking the token vendor at once against the 200-TPS CreateChatToken bucket
 *
 *   npm run bench                 # full run, a few minutes
 *   npm run bench -- --quick      # smaller run
 *   npm run bench -- --only=1,3   # some sections
 *
 * Prints markdown tables and writes them to bench/results/latest.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { log, Section } from './lib/report';

interface Args {
  readonly quick: boolean;
  readonly only?: Set<string>;
}

function parseArgs(argv: string[]): Args {
  let quick = false;
  let only: Set<string> | undefined;
  for (const arg of argv) {
    if (arg === '--quick') {
      quick = true;
    } else if (arg.startsWith('--only=')) {
      only = new Set(arg.slice('--only='.length).split(','));
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write('usage: npm run bench -- [--quick] [--only=1,2,3,4,5,6]\n');
      process.exit(0);
    } else {
      throw new Error(`Unknown argument ${arg}`);
    }
  }
  return { quick, only };
}

/** A section that could not run prints why instead of numbers. */
function notMeasured(title: string, err: unknown): Section {
  const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return new Section(title).targetTable([['all targets of this table', `not measured: ${why}`, '-']]);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const want = (n: string) => !args.only || args.only.has(n);
  const started = Date.now();
  const sections: Section[] = [];

  const run = async (n: string, title: string, fn: () => Promise<Section>) => {
    if (!want(n)) return;
    log(`section ${n}: ${title}`);
    try {
      sections.push(await fn());
    } catch (err) {
      log(`section ${n} failed: ${err instanceof Error ? err.stack : String(err)}`);
      sections.push(notMeasured(title, err));
    }
  };

  // Sections load lazily (require), so one whose code under test is broken or missing reports "not measured".
  /* eslint-disable @typescript-eslint/no-require-imports */
  await run('1', '1. Stack cost', async () => (require('./stack-cost') as typeof import('./stack-cost')).stackCost({
    sizes: [1, 10, 100, 400],
    runs: (n) => (args.quick ? (n <= 10 ? 5 : 3) : (n <= 10 ? 15 : n <= 100 ? 9 : 7)),
  }));
  await run('2', '2. Provider bundle and cold start', async () => (require('./cold-start') as typeof import('./cold-start')).coldStart({
    runs: args.quick ? 5 : 15,
  }));
  await run('3', '3. Deployment wait and Lambda invocations', async () => (require('./deploy-wait') as typeof import('./deploy-wait')).deployWait({
    activeAfterSeconds: args.quick ? [1, 3] : [1, 3, 5],
  }));
  await run('4', '4. Token vending', async () => (require('./token-vending') as typeof import('./token-vending')).tokenVending({
    blocks: args.quick ? 4 : 10,
    requestsPerBlock: args.quick ? 200 : 500,
  }));
  await run('5', '5. Deploy at scale', async () => (require('./deploy-at-scale') as typeof import('./deploy-at-scale')).deployAtScale({
    sizes: args.quick ? [50, 200] : [50, 200, 400],
    tps: 5,
    runs: (n) => (n <= 50 && !args.quick ? 3 : 1),
  }));
  await run('6', '6. Join storm', async () => (require('./join-storm') as typeof import('./join-storm')).joinStorm({
    viewers: args.quick ? [1_000] : [1_000, 10_000],
  }));
  /* eslint-enable @typescript-eslint/no-require-imports */

  const header = [
    '# cdk-ivs-chat benchmarks',
    '',
    `${new Date().toISOString()} - node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ` +
    `${Math.round(os.totalmem() / 2 ** 30)} GiB, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}` +
    `${args.quick ? ', --quick' : ''}; took ${Math.round((Date.now() - started) / 1000)} s.`,
    'Absolute times are noisy on a shared machine: each comparison interleaves both sides in the same run; read the ratios.',
  ].join('\n');
  const summary = new Section('Summary of targets');
  const targetRows = sections.flatMap((s) => s.targets.map((t) => [s.title.split(' ')[0].replace(/\.$/, ''), ...t]));
  summary.table(['table', 'target', 'figure', 'verdict'], targetRows);
  const markdown = [header, ...sections.map((s) => s.render()), summary.render()].join('\n\n') + '\n';
  process.stdout.write(markdown);
  const out = path.join(__dirname, 'results', 'latest.md');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, markdown);
  log(`written to ${path.relative(process.cwd(), out)}`);
}

main().then(() => process.exit(0), (err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
