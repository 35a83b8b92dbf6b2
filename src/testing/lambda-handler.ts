import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** A Lambda function's handler as its module exports it (Node.js runtime, async style). */
export type LambdaHandler<TEvent = unknown, TResult = unknown> = (event: TEvent, context?: unknown) => Promise<TResult>;

/** The Lambda functions of this library whose bundles ship in the package (`assets/handlers/<name>/<name>.lambda/index.js`). */
export type LibraryFunction = 'token-vendor' | 'message-review';

export interface LoadHandlerOptions {
  /**
   * Set on `process.env` before the module loads and again before each call, as the function's configuration
   * would set them (so handlers with different environments can take turns). They stay set: the AWS SDK reads
   * `process.env` itself, so they cannot be scoped to the module.
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Load a new instance of the module (its own module-level state and SDK clients, as a new Lambda container has)
   * instead of Node's cached one. Only for self-contained single-file CommonJS bundles such as the library's own:
   * the file's code runs again, with `require` resolving from this package.
   * @default false
   */
  readonly fresh?: boolean;
}

/** The path of one of the library's own handler bundles, as shipped in the package. */
export function libraryBundlePath(name: LibraryFunction): string {
  // From lib/testing (compiled) and src/testing (source) alike, the package root is two levels up.
  return path.join(__dirname, '..', '..', 'assets', 'handlers', name, `${name}.lambda`, 'index.js');
}

/**
 * Loads the `handler` export of the module at `file` (absolute, or relative to the working directory), as the
 * Lambda Node.js runtime would: with `options.environment` in `process.env` first. The returned function calls it
 * with an empty context unless given one.
 */
export function loadHandler<TEvent = unknown, TResult = unknown>(file: string, options: LoadHandlerOptions = {}): LambdaHandler<TEvent, TResult> {
  const resolved = path.resolve(file);
  if (!existsSync(resolved)) throw new Error(`loadHandler: no module at ${resolved}${resolved.includes(`${path.sep}assets${path.sep}`) ? ' (build the bundles: npx projen bundle)' : ''}`);
  const useEnvironment = () => Object.assign(process.env, options.environment ?? {});
  useEnvironment();
  // A path known only at run time: a dynamic require, as the Lambda runtime loads its handler.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = options.fresh ? evaluateBundle(resolved) : require(resolved) as unknown;
  const handler = (loaded as { handler?: unknown } | undefined)?.handler;
  if (typeof handler !== 'function') throw new Error(`loadHandler: ${resolved} exports no handler function`);
  return async (event, context) => {
    useEnvironment();
    return handler(event, context ?? {}) as TResult;
  };
}

/** Runs a single-file CommonJS bundle's code as a new module instance and returns its exports. */
function evaluateBundle(file: string): unknown {
  const module = { exports: {} as unknown };
  // The CommonJS wrapper's parameters; the bundle's externals (the AWS SDK) resolve from this package.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('module', 'exports', 'require', '__filename', '__dirname', readFileSync(file, 'utf8'))(module, module.exports, require, file, path.dirname(file));
  return module.exports;
}
