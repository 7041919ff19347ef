import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { AppConfig } from '../config/app-config';
import { checkedKey, VideoStorage } from './video-storage';
import { WorkFolders } from './work-folders';

/** Files under DATA_DIR/videos; job work folders under DATA_DIR/work. */
@Injectable()
export class LocalDiskStorage extends VideoStorage {
  private readonly root: string;
  private readonly work: WorkFolders;

  constructor(config: AppConfig) {
    super();
    this.root = resolve(config.dataDir, 'videos');
    this.work = new WorkFolders(config.dataDir);
  }

  async put(key: string, sourcePath: string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    // Copy beside the target, then rename: rename is atomic within one file system.
    const temporary = `${target}.${randomUUID()}.partial`;
    try {
      await rename(sourcePath, temporary).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EXDEV') throw error;
        await copyFile(sourcePath, temporary);
      });
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  read(key: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.pathOf(key), range);
  }

  async size(key: string): Promise<number> {
    return (await stat(this.pathOf(key))).size;
  }

  async delete(key: string): Promise<void> {
    await unlink(this.pathOf(key)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  async deleteAll(prefix: string): Promise<void> {
    await rm(this.pathOf(prefix), { recursive: true, force: true });
  }

  createWorkDir(name: string): Promise<string> {
    return this.work.create(name);
  }

  removeWorkDir(path: string): Promise<void> {
    return this.work.remove(path);
  }

  async check(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    const probe = join(this.root, `.health-${randomUUID()}`);
    await writeFile(probe, 'ok');
    await unlink(probe);
  }

  private pathOf(key: string): string {
    return join(this.root, checkedKey(key));
  }
}
