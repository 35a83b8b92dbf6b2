import * as fs from 'node:fs';
import * as path from 'node:path';
import { SRC, sourceFiles } from './source-files';

// One folder per Lambda function under src/handlers: a reader sees which code runs where.
const HANDLERS = path.join(SRC, 'handlers');
const FUNCTIONS = ['provider', 'token-vendor', 'message-review'];

/** Relative module specifiers a file imports or requires. */
function relativeImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import|require\()\s*'(\.[^']+)'/g)].map((m) => path.resolve(path.dirname(file), m[1]));
}

test('no file lies loose in src/handlers: each is in one function folder or shared/', () => {
  const entries = fs.readdirSync(HANDLERS, { withFileTypes: true });
  expect(entries.filter((e) => !e.isDirectory()).map((e) => e.name)).toEqual([]);
  const folders = entries.map((e) => e.name).sort();
  expect(folders.filter((f) => f !== 'shared' && !FUNCTIONS.includes(f))).toEqual([]);
  expect(folders).toEqual(expect.arrayContaining(FUNCTIONS));
});

test.each(FUNCTIONS)('%s has its own *.lambda.ts entry point', (fn) => {
  expect(fs.readdirSync(path.join(HANDLERS, fn)).filter((f) => f.endsWith('.lambda.ts'))).toEqual([`${fn}.lambda.ts`]);
});

test.each(FUNCTIONS)('%s imports no other function folder and no construct code', (fn) => {
  const dir = path.join(HANDLERS, fn);
  const offending = sourceFiles(dir).flatMap((file) => relativeImports(file)
    .filter((target) => {
      if (target.startsWith(dir + path.sep)) return false;
      if (target.startsWith(path.join(HANDLERS, 'shared') + path.sep)) return false;
      // The contracts in src/private are written once and read by construct and handler alike.
      if (/[\\/]private[\\/][a-z-]*contract$|[\\/]private[\\/](arn|constants)$/.test(target)) return false;
      // A type-only import of a public enum carries no code into the bundle.
      return !target.endsWith(`${path.sep}chat-token-capability`);
    })
    .map((target) => `${path.relative(SRC, file)} -> ${path.relative(SRC, target)}`));
  expect(offending).toEqual([]);
});
