import * as fs from 'node:fs';
import * as path from 'node:path';

/** The library's source directory. */
export const SRC = path.join(__dirname, '..', 'src');

/** Every TypeScript source file below `dir` (declaration files left out), for tests that read the source. */
export function sourceFiles(dir: string = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}
