/** Starts the local IVS Chat stand-in from src/testing (loaded lazily: the bench entry loads it only for the tables that need it). */
import type { IvsChatStandIn, StandInOptions } from '../../src/testing';

export async function startStandIn(options: StandInOptions = {}): Promise<IvsChatStandIn> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('../../src/testing') as typeof import('../../src/testing');
  return mod.IvsChatStandIn.start(options);
}
