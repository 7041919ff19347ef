import { mkdir, rm } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { checkedKey, StorageKeyError } from './video-storage';

/**
 * Jobs' private folders for partial files, under DATA_DIR/work on the machine that runs the job,
 * whatever holds the finished files: a partial file is never stored where readers could see it.
 */
export class WorkFolders {
  private readonly root: string;

  constructor(dataDir: string) {
    this.root = resolve(dataDir, 'work');
  }

  async create(name: string): Promise<string> {
    const path = join(this.root, checkedKey(name));
    await rm(path, { recursive: true, force: true });
    await mkdir(path, { recursive: true, mode: 0o700 });
    return path;
  }

  async remove(path: string): Promise<void> {
    const rel = relative(this.root, resolve(path));
    if (rel === '' || rel.startsWith('..') || rel.startsWith(sep))
      throw new StorageKeyError(`Not a work folder: ${path}`);
    await rm(path, { recursive: true, force: true });
  }
}
