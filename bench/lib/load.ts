/** Loads a handler bundle in this process, fresh, with the given environment (its module-level client reads it). */
import { Console } from 'node:console';
import * as fs from 'node:fs';
import { Writable } from 'node:stream';

export function loadFresh<T>(file: string, env: Record<string, string>): T {
  Object.assign(process.env, env);
  delete require.cache[require.resolve(file)];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as T;
}

let devNull: number | undefined;

/**
 * Runs `fn` with console.log / info / warn / error writing synchronously to /dev/null (Lambda's Node runtime
 * writes each log line synchronously to its log fd): the handlers' log lines keep their formatting and write
 * cost without mixing into the report on stdout.
 */
export async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  devNull ??= fs.openSync('/dev/null', 'w');
  const fd = devNull;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      fs.writeSync(fd, chunk);
      callback();
    },
  });
  const sink = new Console(stream, stream);
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  Object.assign(console, { log: sink.log.bind(sink), info: sink.info.bind(sink), warn: sink.warn.bind(sink), error: sink.error.bind(sink) });
  try {
    return await fn();
  } finally {
    Object.assign(console, saved);
  }
}
