import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

// Every TypeScript snippet in the README must compile against the library as it is.
const ROOT = path.join(__dirname, '..');

/** Declarations the snippets take for granted, under names no snippet imports. */
const FIXTURE_HEADER = `
import * as fx_cdk from 'aws-cdk-lib';
import * as fx_lambda from 'aws-cdk-lib/aws-lambda';
import * as fx_logs from 'aws-cdk-lib/aws-logs';
import * as fx_s3 from 'aws-cdk-lib/aws-s3';
import * as fx_constructs from 'constructs';
import * as fx_lib from 'cdk-ivs-chat';
declare const reviewFn: fx_lambda.IFunction;
declare const bucket: fx_s3.IBucket;
declare const logGroup: fx_logs.ILogGroup;
declare const lobby: fx_lib.Room;
declare const support: fx_lib.IRoom;
declare const backendRole: fx_cdk.aws_iam.IRole;
`;

function readmeSnippets(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** A module for one snippet: its imports first, the rest inside a stack's constructor. */
function fixture(snippet: string): string {
  const lines = snippet.split('\n');
  const imports = lines.filter((l) => l.startsWith('import '));
  const body = lines.filter((l) => !l.startsWith('import '));
  return `${imports.join('\n')}\n${FIXTURE_HEADER}\nexport class Fixture extends fx_cdk.Stack {\n` +
    `  constructor(scope: fx_constructs.Construct, id: string) {\n    super(scope, id);\n${body.join('\n')}\n  }\n}\n`;
}

function compileErrors(files: Record<string, string>): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    baseUrl: ROOT,
    paths: { 'cdk-ivs-chat': ['src/index.ts'], 'cdk-ivs-chat/testing': ['src/testing/index.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError) => (files[name] !== undefined
    ? ts.createSourceFile(name, files[name], version)
    : getSourceFile(name, version, onError));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => files[name] !== undefined || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => files[name] ?? readFile(name);
  const program = ts.createProgram(Object.keys(files), options, host);
  return ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file && files[d.file.fileName] !== undefined)
    .map((d) => `${path.basename(d.file!.fileName)}:${d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` +
      ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

test('the README has TypeScript snippets to check', () => {
  expect(readmeSnippets().length).toBeGreaterThanOrEqual(4);
});

test('every TypeScript snippet in the README compiles, and a broken one would not', () => {
  // GIVEN
  const files: Record<string, string> = {};
  readmeSnippets().forEach((snippet, i) => {
    files[path.join(ROOT, 'test', `readme-snippet-${i + 1}.ts`)] = fixture(snippet);
  });
  // Proves the check is live, in the same program (type-checking aws-cdk-lib is the slow part).
  files[path.join(ROOT, 'test', 'readme-snippet-broken.ts')] =
    fixture("import { Room } from 'cdk-ivs-chat';\nnew Room(this, 'R', { roomNameTypo: 'x' });");

  // WHEN
  const errors = compileErrors(files);

  // THEN
  expect(errors).toEqual([expect.stringMatching(/^readme-snippet-broken\.ts:\d+: .*roomNameTypo/)]);
});
