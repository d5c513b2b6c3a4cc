// The extension keeps each offline queue as a JSON file in the workspace storage; tests keep it in a temp dir
// through the same JsonOutboxStorage, with node:fs doing the file operations vscode.workspace.fs does there.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JsonOutboxStorage, outboxFileName, type FileAccess } from '../../src/core/publish/outboxFile';

/** node:fs on names inside `dir`. */
export function directoryAccess(dir: string): FileAccess {
  return {
    async read(name) {
      try {
        return new Uint8Array(await readFile(join(dir, name)));
      } catch {
        return undefined;
      }
    },
    async write(name, bytes) {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, name), bytes);
    },
    rename: (from, to) => rename(join(dir, from), join(dir, to)),
    remove: (name) => rm(join(dir, name), { force: true }),
  };
}

/** The saved queue of connection `name` in `dir`. */
export function directoryStorage(dir: string, name: string): JsonOutboxStorage {
  return new JsonOutboxStorage(directoryAccess(dir), outboxFileName(name));
}
