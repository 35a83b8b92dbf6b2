import { CreateChatTokenCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import { startStandIn } from './lib/standin';
import { loadFresh, quietly } from './lib/load';
import { bundlePath } from './lib/bundles';
import { median, now, percentile } from './lib/report';
(async () => {
  const s = await startStandIn();
  const room = s.seedRoom({ name: 'b' });
  const env = { CHAT_ROOM_ARNS: JSON.stringify([room.arn]), CHAT_CAPABILITIES: '["SEND_MESSAGE"]', CHAT_MAX_SESSION_MINUTES: '60', CHAT_ALLOW_UNAUTHENTICATED_USERS: 'false', CHAT_ALLOWED_ORIGINS: '["https://x"]' };
  const v: any = loadFresh(bundlePath('token-vendor.lambda'), { ...s.environment(), ...env });
  const client = new IvschatClient({});
  const ev = { version: '2.0', headers: { origin: 'https://x' }, requestContext: { http: { method: 'POST' }, authorizer: { jwt: { claims: { sub: 'u1' } } } }, body: JSON.stringify({ attributes: { displayName: 'Ana' }, capabilities: ['SEND_MESSAGE'], sessionDurationInMinutes: 60 }) };
  const input = { roomIdentifier: room.arn, userId: 'u1', capabilities: ['SEND_MESSAGE'] as any, sessionDurationInMinutes: 60, attributes: { displayName: 'Ana' } };
  let noLog = false;
  const sides: Record<string, () => Promise<any>> = {
    sdk: () => client.send(new CreateChatTokenCommand(input)),
    sdkPlusToISO: async () => { const r = await client.send(new CreateChatTokenCommand(input)); return JSON.stringify({ token: r.token, a: r.tokenExpirationTime?.toISOString(), b: r.sessionExpirationTime?.toISOString() }); },
    vendor: () => v.handler(ev),
    vendorNoLog: async () => { noLog = true; try { return await v.handler(ev); } finally { noLog = false; } },
  };
  const lat: Record<string, number[]> = {};
  await quietly(async () => {
    const orig = console.log; console.log = (...a: any[]) => { if (!noLog) orig(...a); };
    for (const k of Object.keys(sides)) for (let i = 0; i < 300; i++) await sides[k]();
    for (let b = 0; b < 16; b++) {
      const keys = Object.keys(sides); const order = keys.map((_, i) => keys[(i + b) % keys.length]);
      for (const k of order) { for (let i = 0; i < 300; i++) { const t = now(); await sides[k](); (lat[k] ??= []).push(now() - t); } }
    }
  });
  for (const k of Object.keys(sides)) { const l = lat[k]; const mean = l.reduce((a, b) => a + b, 0) / l.length;
    console.log(k.padEnd(14), 'mean', mean.toFixed(3), 'p50', median(l).toFixed(3), 'p90', percentile(l, 90).toFixed(3), 'p99', percentile(l, 99).toFixed(3), 'max', Math.max(...l).toFixed(1)); }
  await s.stop();
})();
