/** Starts the local IVS Chat stand-in from test/standin (loaded lazily: it is still being written). */
import type { IvsChatStandIn, StandInOptions } from '../../test/standin/ivschat-standin';

export async function startStandIn(options: StandInOptions = {}): Promise<IvsChatStandIn> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('../../test/standin/ivschat-standin') as typeof import('../../test/standin/ivschat-standin');
  return mod.IvsChatStandIn.start(options);
}
