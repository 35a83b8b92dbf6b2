import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChatTokenCapability as SdkCapability } from '@aws-sdk/client-ivschat';
import { ChatTokenCapability } from '../src';
import { SRC, sourceFiles } from './source-files';
import { TOKEN_CAPABILITIES, TOKEN_VENDOR_ENV } from '../src/private/token-vendor-contract';


/** The library's files under src/ holding `literal` in quotes (src/testing models the service on its own, from the API reference). */
function filesQuoting(literal: string): string[] {
  const quoted = new RegExp(`['"\`]${literal}['"\`]`);
  const testing = path.join(SRC, 'testing') + path.sep;
  return sourceFiles(SRC).filter((file) => !file.startsWith(testing)).filter((file) => quoted.test(fs.readFileSync(file, 'utf8'))).map((file) => path.relative(SRC, file));
}

describe('token vendor contract', () => {
  test('the public enum, the contract and the service model name the same capabilities', () => {
    // type-level: every contract capability is an enum member and the reverse
    const fromContract: readonly ChatTokenCapability[] = TOKEN_CAPABILITIES;
    expect([...fromContract].sort()).toEqual(Object.values(ChatTokenCapability).sort());
    // the SDK's enum comes from the IVS Chat service model
    expect([...fromContract].sort()).toEqual(Object.values(SdkCapability).sort());
  });

  test.each(Object.values(TOKEN_VENDOR_ENV))('environment name %s is written in one file under src/', (name) => {
    expect(filesQuoting(name)).toEqual(['private/token-vendor-contract.ts']);
  });

  test.each(Object.values(ChatTokenCapability))('capability %s is written in one file under src/', (capability) => {
    expect(filesQuoting(capability)).toEqual(['chat-token-capability.ts']);
  });
});
