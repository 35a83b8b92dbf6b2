import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';

// cdk.json runs the example app: a newcomer's first `npx cdk synth` must be quiet and offline.
const ROOT = path.join(__dirname, '..');
const cdkJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8'));

test('cdk.json sets exactly the feature flags the installed aws-cdk-lib recommends, as `cdk init` writes them', () => {
  // An aws-cdk-lib upgrade that adds, drops or changes a recommended flag fails here until cdk.json follows it.
  expect(cdkJson.context).toEqual(CURRENTLY_RECOMMENDED_FLAGS);
  expect(Object.keys(cdkJson.context)).toEqual(Object.keys(cdkJson.context).sort());
});

test('cdk.json runs the example app without the CLI fetching notices', () => {
  expect(cdkJson.app).toMatch(/ example\/app\.ts$/);
  expect(cdkJson.notices).toBe(false);
});

test('the example synth prints no feature-flag warning', () => {
  // GIVEN the CLI the README's quick start runs, writing to a scratch directory
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ivs-chat-synth-'));
  try {
    // WHEN
    const synth = spawnSync(process.execPath, [require.resolve('aws-cdk/bin/cdk'), 'synth', '--quiet', '--output', outdir], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true', FORCE_COLOR: '0' },
    });

    // THEN
    expect({ status: synth.status, stderr: synth.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    expect(fs.readdirSync(outdir)).toContain('IvsChatExample.template.json');
    expect(`${synth.stdout}\n${synth.stderr}`).not.toMatch(/feature flag/i);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});
