import { awscdk, javascript, DependencyType } from 'projen';

// Lowest aws-cdk-lib with Runtime.NODEJS_24_X (2.224.0); the Firehose L2 needs 2.178.0.
const MIN_CDK_VERSION = '2.224.0';
// Newest aws-cdk-lib whose cloud-assembly schema integ-runner 2.197.10 reads.
const DEV_CDK_VERSION = '2.257.0';

const project = new awscdk.AwsCdkConstructLibrary({
  author: 'cdk-ivs-chat contributors',
  authorAddress: 'noreply@example.com',
  name: 'cdk-ivs-chat',
  description: 'AWS CDK L2 constructs for Amazon IVS Chat: rooms, logging configurations, grants, review handlers and a token vendor.',
  keywords: ['cdk', 'aws-cdk', 'awscdk', 'ivs', 'ivs-chat', 'ivschat', 'chat'],
  repositoryUrl: 'https://github.com/cdk-ivs-chat/cdk-ivs-chat.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',

  cdkVersion: MIN_CDK_VERSION,
  constructsVersion: '10.5.1',
  peerDependencyOptions: { pinnedDevDependency: false },
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.3',

  // Nothing on these machines can verify a GitHub workflow or a non-JS package.
  github: false,
  release: false,

  devDeps: [
    `aws-cdk-lib@${DEV_CDK_VERSION}`,
    'aws-cdk@^2.1148.1',
    '@aws-sdk/client-ivschat@^3.952.0',
    // The provider reads back what CloudFormation recorded for its resource (provided by the Lambda runtime).
    '@aws-sdk/client-cloudformation@^3.952.0',
    // An offline IAM policy simulator: tests evaluate the provider's rendered policy with it.
    '@cloud-copilot/iam-simulate@^0.1.173',
    'aws-sdk-client-mock@4.1.0',
    'aws-sdk-client-mock-jest@4.1.0',
    'cdk-nag@^2.38.2',
    '@types/node@^20',
    '@types/aws-lambda@^8.10.152',
    // Bundled into the token vendor: verifies Cognito and ALB JWTs (not in the Lambda runtime).
    'aws-jwt-verify@^5.2.1',
    // End-to-end tests: the real chat client, a WebSocket server for the local messaging endpoint, a real browser.
    'amazon-ivs-chat-messaging@^1.1.1',
    'ws@^8.18.3',
    '@types/ws@^8.18.1',
    'playwright-core@^1.56.1',
    // Bundled into the message review function: its look-alike and leet tables.
    'obscenity@^0.4.6',
    // The benchmark's comparison matcher (bench table 6); not bundled.
    'modern-ahocorasick@^3.3.0',
  ],

  // Handlers are bundled below with explicit entries; no generated *-function.ts.
  lambdaAutoDiscover: false,
  experimentalIntegRunner: true,

  // The published lib/*.js carry no source-map references: a trace then points at lib/, which ships, not at src/ (test/package.test.ts).
  tsconfig: { compilerOptions: { inlineSourceMap: false, inlineSources: false } },

  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    // A run that finds no tests fails (.ci/run also fails on any skipped test not listed in .ci/allowed-skips).
    passWithNoTests: false,
    jestConfig: {
      testTimeout: 60_000,
      setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
      // The project's tests import the testing entry point by its public name, as users do.
      moduleNameMapper: { '^cdk-ivs-chat/testing$': '<rootDir>/src/testing/index.ts' },
    },
  },
  gitignore: ['cdk.out/', '/example/cdk.out/', '/test/**/cdk.out/', '/bench/results/', '*.d.ts.map'],
});

// The package holds lib/, assets/, .jsii, API.md, README.md, LICENSE and package.json (test/package.test.ts):
// not the example app or its synth output, the benchmarks, CI, compiled handlers (they ship bundled), source maps or packed tarballs.
for (const p of ['/example/', '/bench/', '/scripts/', '/cdk.json', 'cdk.out/', '/cdk.context.json', '/.ci/', '/lib/handlers/', '/lib/**/*.map', '*.tgz']) {
  project.addPackageIgnore(p);
}

// constructs as a dev dependency too, so jsii compiles against the peer's lowest version.
project.deps.addDependency('constructs@10.5.1', DependencyType.BUILD);

// jsii's JSII6 asks for aws-cdk-lib 2.224.0 (the peer minimum) as the dev version; 2.257.0 stays (integ-tests-alpha
// needs ^2.245.0), and test/consumer-app.test.ts synthesizes an app on 2.224.0 with the packed library instead.
project.compileTask.reset('jsii --silence-warnings=reserved-word --silence-warnings=metadata/missing-dev-dependency');

// integ-runner / integ-tests are added as `latest`; pin the versions that read our assemblies.
project.deps.removeDependency('@aws-cdk/integ-runner');
project.deps.removeDependency('@aws-cdk/integ-tests-alpha');
project.deps.addDependency('@aws-cdk/integ-runner@2.197.10', DependencyType.DEVENV);
project.deps.addDependency('@aws-cdk/integ-tests-alpha@2.245.0-alpha.0', DependencyType.DEVENV);

// unrs-resolver 1.13.0 lists platform binaries the registry lacks, which breaks `npm ci`.
project.package.addPackageResolutions('unrs-resolver@1.12.2');
// No dependency needs its install script (esbuild ships prebuilt platform packages).
project.package.addField('allowScripts', {
  '@parcel/watcher': false,
  'esbuild': false,
  'unrs-resolver': false,
});

// Handlers are bundled at library build time into assets/, which ships in the package,
// so a consumer's synth needs neither esbuild nor Docker. The SDK comes from the runtime.
const bundler = javascript.Bundler.of(project)!;
const bundleFiles: string[] = [];
for (const entry of ['src/handlers/provider/provider.lambda.ts', 'src/handlers/token-vendor/token-vendor.lambda.ts',
  'src/handlers/message-review/message-review.lambda.ts']) {
  const bundle = bundler.addBundle(entry, {
    platform: 'node',
    target: 'node20',
    externals: ['@aws-sdk/*'],
    minify: true,
    watchTask: false,
  });
  bundleFiles.push(bundle.outfile);
}

// `package:js` packs what compile and bundle wrote: on a tree that has neither (a fresh clone) it builds them
// first, rather than fail on a missing .jsii or, worse, pack a library without its handlers.
const packageJs = project.tasks.tryFind('package:js')!;
const unbuilt = `node -e "process.exit(${JSON.stringify(['.jsii', ...bundleFiles]).replace(/"/g, "'")}.every(require('fs').existsSync) ? 1 : 0)"`;
packageJs.prependSpawn(project.compileTask, { condition: unbuilt });
packageJs.prependSpawn(project.preCompileTask, { condition: unbuilt });

// Tests load the bundles and type-check test/ (ts-jest runs transpile-only): bundle, tsc, jest.
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json && tsc --noEmit -p example/tsconfig.json && tsc --noEmit -p bench/tsconfig.json',
  { name: 'type-check tests, example and benchmarks' });
project.testTask.prependSpawn(project.tasks.tryFind('bundle')!);

// Handlers import the SDK the Lambda runtime provides (a dev dependency here, external in the bundle).
project.eslint?.addRules({
  'import/no-extraneous-dependencies': ['error', {
    devDependencies: ['**/test/**', '**/build-tools/**', '.projenrc.ts', 'projenrc/**/*.ts',
      'src/handlers/**', 'src/testing/**', 'example/**', 'bench/**'],
    optionalDependencies: false,
    peerDependencies: true,
  }],
});
// eslint resolves `cdk-ivs-chat/testing` as tsc does (test/tsconfig.json's paths), with or without a built lib/.
project.tryFindObjectFile('.eslintrc.json')?.addOverride('settings.import/resolver.typescript.project', ['./tsconfig.json', './test/tsconfig.json']);
// The example app and the benchmarks are type-checked and linted like the tests (eslint finds their tsconfig).
for (const dir of ['example', 'bench']) {
  new javascript.TypescriptConfig(project, {
    fileName: `${dir}/tsconfig.json`,
    extends: javascript.TypescriptConfigExtends.fromTypescriptConfigs([project.tsconfigDev]),
    include: ['**/*.ts'],
    compilerOptions: {},
  });
  project.eslint?.addLintPattern(dir);
}

project.addTask('bench', {
  description: 'Run the benchmarks (not part of the test suite)',
  exec: 'ts-node --transpile-only bench/run.ts',
  receiveArgs: true,
});

project.tsconfigDev.file.addOverride('compilerOptions.isolatedModules', true);
// Type-checking resolves the testing entry point by its public name to its source, as jest does.
project.tsconfigDev.file.addOverride('compilerOptions.paths', { 'cdk-ivs-chat/testing': ['../src/testing/index.ts'] });

// `cdk-ivs-chat/testing`: a Node.js entry point beside the jsii one (not in the jsii assembly or API.md).
project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/index.js' },
  './testing': { types: './lib/testing/index.d.ts', default: './lib/testing/index.js' },
  './package.json': './package.json',
  './.jsii': './.jsii',
});
// The testing entry point loads `ws` and its types name `@aws-sdk/client-ivschat`: optional peers of its users only.
// In peerDependenciesMeta alone, because jsii resolves every peerDependencies entry as a jsii assembly and fails on
// these; npm skips a meta-only name (the README says to install both), pnpm and yarn take it as an optional peer.
project.package.addField('peerDependenciesMeta', {
  'ws': { optional: true },
  '@aws-sdk/client-ivschat': { optional: true },
});

project.synth();
