/** The shipped handler bundles (assets/handlers/<name>/index.js), rebuilt first when older than src/. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { log } from './report';

export const ROOT = path.join(__dirname, '..', '..');
export type BundleName = 'provider/provider.lambda' | 'token-vendor/token-vendor.lambda' | 'message-review/message-review.lambda';

export function bundlePath(name: BundleName): string {
  return path.join(ROOT, 'assets', 'handlers', name, 'index.js');
}

function newestSource(): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  walk(path.join(ROOT, 'src', 'handlers'));
  walk(path.join(ROOT, 'src', 'private'));
  return newest;
}

let checked: string | undefined;

/**
 * Rebuilds the bundles with `npx projen bundle` (what `npm test` runs first) when one is missing or older
 * than a handler source. Returns a note for the report.
 */
export function ensureBundles(): string {
  if (checked !== undefined) return checked;
  const names: BundleName[] = ['provider/provider.lambda', 'token-vendor/token-vendor.lambda', 'message-review/message-review.lambda'];
  const stale = names.filter((n) => !fs.existsSync(bundlePath(n)) || fs.statSync(bundlePath(n)).mtimeMs < newestSource());
  if (stale.length === 0) {
    checked = 'bundles in assets/ were up to date with src/handlers';
    return checked;
  }
  log(`bundles ${stale.join(', ')} missing or older than src/handlers: running npx projen bundle`);
  const result = spawnSync('npx', ['projen', 'bundle'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) {
    checked = `npx projen bundle failed (${(result.stderr || result.stdout).trim().split('\n').pop()}); measured the bundles as found`;
  } else {
    checked = 'bundles rebuilt with `npx projen bundle` before measuring (they were older than src/handlers)';
  }
  log(checked);
  return checked;
}

export interface Size {
  readonly bytes: number;
  readonly gzip: number;
}

export function sizeOf(file: string): Size {
  const data = fs.readFileSync(file);
  return { bytes: data.length, gzip: zlib.gzipSync(data, { level: 9 }).length };
}

/**
 * Builds a variant of a handler with esbuild (a dev dependency) into a temporary directory, e.g. with the SDK
 * bundled in, to compare with the shipped bundle. Returns the output file, or throws.
 */
export function buildVariant(entry: string, options: { external: string[]; minify: boolean }): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ivs-chat-bench-bundle-'));
  const outfile = path.join(outdir, 'index.js');
  esbuild.buildSync({
    entryPoints: [path.join(ROOT, entry)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile,
    external: options.external,
    minify: options.minify,
    logLevel: 'silent',
  });
  return outfile;
}

/**
 * The token vendor built as shipped, but with aws-jwt-verify replaced by a stub that throws when used: the same
 * handler without the library, to measure what bundling it costs. Returns the output file, or throws.
 */
export async function buildVendorWithoutJwtVerify(): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ivs-chat-bench-vendor-'));
  const outfile = path.join(outdir, 'index.js');
  const stub = path.join(ROOT, 'bench', 'lib', 'no-jwt-verify.ts');
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'src', 'handlers', 'token-vendor', 'token-vendor.lambda.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile,
    external: ['@aws-sdk/*'],
    minify: true,
    logLevel: 'silent',
    plugins: [{
      name: 'no-jwt-verify',
      setup(build) {
        build.onResolve({ filter: /^aws-jwt-verify(\/.*)?$/ }, () => ({ path: stub }));
      },
    }],
  });
  return outfile;
}
