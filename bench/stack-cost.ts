/**
 * Table 1 - stack cost: resources, template bytes and synth time of a stack of `Room`s against the
 * same rooms as `aws_ivschat.CfnRoom`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { App, CustomResource, Stack, Tags, aws_ivschat as ivschat } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { fmt, int, log, median, now, ratio, Section, verdict } from './lib/report';
import { IvsChatProvider } from '../src/private/provider';
import { Room } from '../src/room';

/** CloudFormation's limits for one stack. */
const MAX_RESOURCES = 500;
const MAX_TEMPLATE_BYTES = 1_048_576; // template body via S3 (TemplateURL)
const ENV = { account: '123456789012', region: 'us-east-1' };

/** Room: the L2. Raw: a bare CustomResource on the same provider, same properties (no L2 logic). CfnRoom: the L1. */
type Variant = 'Room' | 'Raw' | 'CfnRoom';
const VARIANTS: Variant[] = ['Room', 'Raw', 'CfnRoom'];

interface Sample {
  readonly constructMs: number;
  /** CPU time (user + system) of the synth: far less sensitive than wall time to other load on the machine. */
  readonly synthMs: number;
  readonly synthWallMs: number;
  readonly resources: number;
  /** JSON.stringify(template). */
  readonly compactBytes: number;
  /** The template file in cdk.out, as the CLI uploads it to S3 (1-space indented JSON). */
  readonly fileBytes: number;
  readonly template: any;
}

/** The same properties for both variants: name, length, rate and one tag. */
function roomProps(i: number) {
  return { name: `room-${i}`, maximumMessageLength: 200, maximumMessageRatePerSecond: 5 };
}

function build(variant: Variant, rooms: number): { app: App; stack: Stack; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ivs-chat-bench-'));
  const app = new App({ outdir });
  const stack = new Stack(app, `Bench${variant}`, { env: ENV });
  for (let i = 0; i < rooms; i++) {
    const p = roomProps(i);
    if (variant === 'Room') {
      const room = new Room(stack, `Room${i}`, {
        roomName: p.name, maximumMessageLength: p.maximumMessageLength, maximumMessageRatePerSecond: p.maximumMessageRatePerSecond,
      });
      Tags.of(room).add('team', 'chat');
    } else if (variant === 'Raw') {
      // What any custom resource on this provider costs, without the L2's validation, Lazy values and TagManager.
      const scope = new Construct(stack, `Room${i}`);
      new CustomResource(scope, 'Resource', {
        serviceToken: IvsChatProvider.of(stack).serviceToken,
        resourceType: 'Custom::IvsChatRoom',
        serviceTimeout: IvsChatProvider.SERVICE_TIMEOUT,
        properties: { Name: p.name, MaximumMessageLength: p.maximumMessageLength, MaximumMessageRatePerSecond: p.maximumMessageRatePerSecond, Tags: { team: 'chat' } },
      });
    } else {
      // Same construct path (Room<i>/Resource) as the L2, so logical ids have the same length.
      const scope = new Construct(stack, `Room${i}`);
      new ivschat.CfnRoom(scope, 'Resource', { ...p, tags: [{ key: 'team', value: 'chat' }] });
    }
  }
  return { app, stack, outdir };
}

/** A full GC, so that one sample's garbage is not collected on the next sample's clock. */
const collectGarbage: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
})();

function sample(variant: Variant, rooms: number): Sample {
  collectGarbage();
  const c0 = process.cpuUsage();
  const { app, stack, outdir } = build(variant, rooms);
  const c1 = process.cpuUsage(c0);
  const constructMs = (c1.user + c1.system) / 1000;
  collectGarbage();
  const t1 = now();
  const cpu0 = process.cpuUsage();
  const assembly = app.synth();
  const cpu = process.cpuUsage(cpu0);
  const t2 = now();
  try {
    const artifact = assembly.getStackByName(stack.stackName);
    const template = artifact.template;
    return {
      constructMs,
      synthMs: (cpu.user + cpu.system) / 1000,
      synthWallMs: t2 - t1,
      resources: Object.keys(template.Resources ?? {}).length,
      compactBytes: Buffer.byteLength(JSON.stringify(template)),
      fileBytes: fs.statSync(path.join(outdir, artifact.templateFile)).size,
      template,
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const ROOM_TYPES = new Set(['Custom::IvsChatRoom', 'AWS::IVSChat::Room']);

/** Bytes of one `"LogicalId":{...}` entry in the compact template. */
function entryBytes(logicalId: string, resource: unknown): number {
  return Buffer.byteLength(JSON.stringify({ [logicalId]: resource })) - 2;
}

function firstRoom(template: any): [string, any] {
  return Object.entries(template.Resources).find(([, r]: [string, any]) => ROOM_TYPES.has(r.Type)) as [string, any];
}

/** What each part of the L2's per-room JSON costs, by removing it and measuring again. */
function perRoomBreakdown(l2: any, l1: any): string[][] {
  const [l2Id, l2Res] = firstRoom(l2);
  const [l1Id, l1Res] = firstRoom(l1);
  const total = entryBytes(l2Id, l2Res);
  const rows: string[][] = [];
  const without = (mutate: (r: any) => void) => {
    const copy = structuredClone(l2Res);
    mutate(copy);
    return total - entryBytes(l2Id, copy);
  };
  rows.push(['`Properties.ServiceToken` (Fn::GetAtt of the provider function)',
    `${without((r) => delete r.Properties.ServiceToken)}`, 'required by every custom resource']);
  rows.push(['`Properties.ServiceTimeout` ("660")',
    `${without((r) => delete r.Properties.ServiceTimeout)}`, 'optional (CloudFormation default 3600 s)']);
  rows.push(['`UpdateReplacePolicy` + `DeletionPolicy` ("Delete")',
    `${without((r) => { delete r.UpdateReplacePolicy; delete r.DeletionPolicy; })}`,
    '"Delete" is CloudFormation\'s default: redundant when removalPolicy is DESTROY']);
  const l1Tags = Buffer.byteLength(JSON.stringify(l1Res.Properties.Tags ?? null));
  const l2Tags = Buffer.byteLength(JSON.stringify(l2Res.Properties.Tags ?? null));
  rows.push(['`Tags` as a map instead of a Key/Value list', `${l2Tags - l1Tags}`, 'the map is smaller']);
  rows.push(['`Type` string', `${l2Res.Type.length - l1Res.Type.length}`, `${l2Res.Type} vs ${l1Res.Type}`]);
  const l1Total = entryBytes(l1Id, l1Res);
  rows.push(['**per-room entry, compact JSON**', `${total} vs ${l1Total} (CfnRoom)`, `${ratio(total, l1Total)}`]);
  const lean = without((r) => { delete r.Properties.ServiceTimeout; delete r.UpdateReplacePolicy; delete r.DeletionPolicy; });
  rows.push(['what-if: without ServiceTimeout and the two default "Delete" policies', `${total - lean} vs ${l1Total}`,
    `${ratio(total - lean, l1Total)}`]);
  const shortToken = structuredClone(l2Res);
  shortToken.Properties.ServiceToken['Fn::GetAtt'][0] = 'IvsChatProviderFn0A1B2C3D';
  delete shortToken.Properties.ServiceTimeout; delete shortToken.UpdateReplacePolicy; delete shortToken.DeletionPolicy;
  rows.push(['what-if: also a shorter provider logical id (e.g. `IvsChatProviderFn0A1B2C3D`)',
    `${entryBytes(l2Id, shortToken)} vs ${l1Total}`, `${ratio(entryBytes(l2Id, shortToken), l1Total)}`]);
  return rows;
}

export interface StackCostOptions {
  readonly sizes: number[];
  /** Synth runs per side for a stack of this many rooms. */
  readonly runs: (rooms: number) => number;
}

export async function stackCost(options: StackCostOptions): Promise<Section> {
  const section = new Section('1. Stack cost: `Room` vs `aws_ivschat.CfnRoom` (same name, length, rate, one tag)');
  // Warm up module loading and the JIT for both variants.
  for (const v of VARIANTS) sample(v, 2);

  const results = new Map<number, Record<Variant, Sample[]>>();
  for (const rooms of options.sizes) {
    const byVariant: Record<Variant, Sample[]> = { Room: [], Raw: [], CfnRoom: [] };
    for (let run = 0; run < options.runs(rooms); run++) {
      // Interleave, alternating which variant goes first.
      const order = VARIANTS.map((_, k) => VARIANTS[(k + run) % VARIANTS.length]);
      for (const variant of order) byVariant[variant].push(sample(variant, rooms));
    }
    results.set(rooms, byVariant);
    log(`stack cost: ${rooms} rooms: synth Room ${fmt(median(byVariant.Room.map((s) => s.synthMs)))} ms, ` +
      `bare CustomResource ${fmt(median(byVariant.Raw.map((s) => s.synthMs)))} ms, CfnRoom ${fmt(median(byVariant.CfnRoom.map((s) => s.synthMs)))} ms`);
  }

  /** Median over runs of run i's Room synth / run i's other synth (the runs of one i are adjacent in time). */
  const pairedSynth = (n: number, a: Variant, b: Variant) => {
    const s = results.get(n)!;
    return median(s[a].map((x, i) => x.synthMs / s[b][i].synthMs));
  };
  const rows: string[][] = [];
  for (const [rooms, s] of results) {
    const l2 = s.Room[0];
    const l1 = s.CfnRoom[0];
    const l2Synth = median(s.Room.map((x) => x.synthMs));
    const l1Synth = median(s.CfnRoom.map((x) => x.synthMs));
    const l2Total = median(s.Room.map((x) => x.synthMs + x.constructMs));
    const l1Total = median(s.CfnRoom.map((x) => x.synthMs + x.constructMs));
    rows.push([
      `${rooms}`,
      `${l2.resources} / ${l1.resources}`,
      `${int(l2.compactBytes)} / ${int(l1.compactBytes)}`,
      ratio(l2.compactBytes, l1.compactBytes),
      `${int(l2.fileBytes)} / ${int(l1.fileBytes)}`,
      `${fmt(l2Synth)} / ${fmt(l1Synth)}`,
      `${fmt(pairedSynth(rooms, 'Room', 'CfnRoom'), 2)}x ${pairedSynth(rooms, 'Room', 'CfnRoom') <= 1.5 ? 'met' : 'missed'}`,
      `${fmt(median(s.Raw.map((x) => x.synthMs)))} (${fmt(pairedSynth(rooms, 'Raw', 'CfnRoom'), 2)}x)`,
      `${fmt(median(s.Room.map((x) => x.synthWallMs)))} / ${fmt(median(s.CfnRoom.map((x) => x.synthWallMs)))}`,
      `${fmt(l2Total)} / ${fmt(l1Total)}`,
      ratio(l2Total, l1Total),
    ]);
  }
  section.table([
    'rooms', 'resources Room / Cfn', 'template bytes Room / Cfn', 'bytes ratio', 'cdk.out file bytes Room / Cfn',
    'synth CPU ms (median) Room / Cfn', 'synth ratio, paired runs (target 1.5x)', 'bare CustomResource synth CPU ms (vs Cfn)',
    'synth wall ms Room / Cfn', 'construct+synth CPU ms Room / Cfn', 'total ratio',
  ], rows);

  // Per-room slope and fixed intercept, from the smallest and largest sizes.
  const sizes = [...results.keys()].sort((a, b) => a - b);
  const lo = sizes[0];
  const hi = sizes[sizes.length - 1];
  const slope = (v: Variant, f: (x: Sample) => number) => (f(results.get(hi)![v][0]) - f(results.get(lo)![v][0])) / (hi - lo);
  const fixed = (v: Variant, f: (x: Sample) => number) => f(results.get(hi)![v][0]) - hi * slope(v, f);
  const res = (x: Sample) => x.resources;
  const bytes = (x: Sample) => x.compactBytes;
  const file = (x: Sample) => x.fileBytes;
  const synthOf = (v: Variant, n: number) => median(results.get(n)![v].map((x) => x.synthMs));
  const synthSlope = (v: Variant) => (synthOf(v, hi) - synthOf(v, lo)) / (hi - lo);

  section.table(['per room / fixed (from ' + lo + ' and ' + hi + ' rooms)', 'Room', 'CfnRoom', 'Room - CfnRoom'], [
    ['resources per room', fmt(slope('Room', res), 2), fmt(slope('CfnRoom', res), 2), fmt(slope('Room', res) - slope('CfnRoom', res), 2)],
    ['fixed resources (provider)', fmt(fixed('Room', res), 0), fmt(fixed('CfnRoom', res), 0), fmt(fixed('Room', res) - fixed('CfnRoom', res), 0)],
    ['template bytes per room (compact)', fmt(slope('Room', bytes), 1), fmt(slope('CfnRoom', bytes), 1),
      fmt(slope('Room', bytes) - slope('CfnRoom', bytes), 1)],
    ['fixed template bytes (compact)', int(fixed('Room', bytes)), int(fixed('CfnRoom', bytes)),
      int(fixed('Room', bytes) - fixed('CfnRoom', bytes))],
    ['cdk.out file bytes per room', fmt(slope('Room', file), 1), fmt(slope('CfnRoom', file), 1), fmt(slope('Room', file) - slope('CfnRoom', file), 1)],
    ['synth CPU ms per room (median)', fmt(synthSlope('Room'), 3), fmt(synthSlope('CfnRoom'), 3), fmt(synthSlope('Room') - synthSlope('CfnRoom'), 3)],
    ['synth CPU ms per room, bare CustomResource on the same provider', fmt(synthSlope('Raw'), 3), '', fmt(synthSlope('Raw') - synthSlope('CfnRoom'), 3)],
  ]);

  const l2Hi = results.get(hi)!.Room[0];
  const perRoomRes = slope('Room', res);
  const fixedRes = fixed('Room', res);
  const bytesRatio = slope('Room', bytes) / slope('CfnRoom', bytes);
  const synthRatioHi = pairedSynth(hi, 'Room', 'CfnRoom');
  const synthSlopeRatio = synthSlope('Room') / synthSlope('CfnRoom');
  const maxByResources = Math.floor((MAX_RESOURCES - fixedRes) / perRoomRes);
  const maxByBytes = Math.floor((MAX_TEMPLATE_BYTES - fixed('Room', file)) / slope('Room', file));
  const has400 = results.has(400);
  const l2At400 = results.get(400)?.Room[0];
  section.targetTable([
    ['one CloudFormation resource per room beyond a fixed provider overhead',
      `${fmt(perRoomRes, 2)} per room + ${fmt(fixedRes, 0)} fixed`, verdict(Math.abs(perRoomRes - 1) < 1e-9)],
    ['template bytes per room within 1.5x of CfnRoom', `${fmt(bytesRatio, 2)}x`, verdict(bytesRatio <= 1.5)],
    [`synth time within 1.5x of CfnRoom (${hi} rooms)`, `${fmt(synthRatioHi, 2)}x paired-run median (per-room slope of medians ${fmt(synthSlopeRatio, 2)}x; ` +
      `a bare CustomResource: ${fmt(pairedSynth(hi, 'Raw', 'CfnRoom'), 2)}x)`,
    verdict(synthRatioHi <= 1.5)],
    ['400 rooms under 500 resources', has400 ? `${l2At400!.resources} resources` : 'not measured: 400 not in sizes',
      has400 ? verdict(l2At400!.resources <= MAX_RESOURCES) : '-'],
    ['400 rooms under 1,048,576 template bytes', has400
      ? `${int(l2At400!.fileBytes)} B cdk.out file (${int(l2At400!.compactBytes)} B compact) = ${fmt(100 * l2At400!.fileBytes / MAX_TEMPLATE_BYTES, 0)}% of the limit`
      : 'not measured: 400 not in sizes', has400 ? verdict(l2At400!.fileBytes <= MAX_TEMPLATE_BYTES) : '-'],
    ['most rooms one stack can hold', `${maxByResources} (resource limit) / ${int(maxByBytes)} (byte limit)`, ''],
  ]);
  void l2Hi;

  section.text('Where the per-room bytes go (compact JSON of the first room, measured by removing each part):');
  section.table(['part of each `Custom::IvsChatRoom`', 'bytes', 'note'], perRoomBreakdown(results.get(lo)!.Room[0].template, results.get(lo)!.CfnRoom[0].template));
  const [id, res0] = firstRoom(results.get(lo)!.Room[0].template);
  const [id1, res1] = firstRoom(results.get(lo)!.CfnRoom[0].template);
  section.text('Rendered per-room JSON:', '```json', JSON.stringify({ [id]: res0 }), JSON.stringify({ [id1]: res1 }), '```');
  section.text(`Synth time is CPU time (process.cpuUsage, user + system) of \`app.synth()\`, less sensitive than wall time to other load; median of ${options.sizes.map((n) => `${options.runs(n)}`).join(' / ')} \`app.synth()\` runs ` +
    `(for ${options.sizes.join(' / ')} rooms), fresh App each, Room, bare CustomResource and CfnRoom interleaved (order rotated); ` +
    'a full GC runs before each timed phase; the Room stack also stages the provider\'s asset (fixed cost). The 1 MB check uses the cdk.out file, which the CLI uploads to S3 as-is.');
  return section;
}
