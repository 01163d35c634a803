import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { NotFoundError } from './errors';

/**
 * Files the user handed to the app (a native dialog in the desktop app, an upload in the browser
 * mode). The renderer only ever holds an opaque reference, never a path it could choose itself.
 */
export interface FileRef {
  ref: string;
  name: string;
  size: number;
}

export function createFileRegistry() {
  const files = new Map<string, { path: string; name: string; size: number; temp: boolean }>();
  return {
    register(filePath: string, name = path.basename(filePath), temp = false): FileRef {
      const size = fs.statSync(filePath).size;
      const ref = randomUUID();
      files.set(ref, { path: filePath, name, size, temp });
      return { ref, name, size };
    },
    resolve(ref: string): { path: string; name: string; size: number } {
      const f = files.get(ref);
      if (!f) throw new NotFoundError(`The file reference ${ref} (pick the file again)`);
      return f;
    },
    /** Removes uploaded temp copies; paths chosen in a dialog are left alone. */
    dispose(): void {
      for (const f of files.values()) if (f.temp) fs.rmSync(f.path, { force: true });
      files.clear();
    },
  };
}
export type FileRegistry = ReturnType<typeof createFileRegistry>;
