import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { AppConfig } from '../config/app-config';
import { StorageKeyError, VideoStorage } from './video-storage';

// Segments start with a letter or digit, so `.` and `..` can never appear.
const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** Files under DATA_DIR/videos; job work folders under DATA_DIR/work. */
@Injectable()
export class LocalDiskStorage extends VideoStorage {
  private readonly root: string;
  private readonly workRoot: string;

  constructor(config: AppConfig) {
    super();
    this.root = resolve(config.dataDir, 'videos');
    this.workRoot = resolve(config.dataDir, 'work');
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

  async createWorkDir(name: string): Promise<string> {
    const path = join(this.workRoot, this.checkedKey(name));
    await rm(path, { recursive: true, force: true });
    await mkdir(path, { recursive: true, mode: 0o700 });
    return path;
  }

  async removeWorkDir(path: string): Promise<void> {
    if (!this.isInside(this.workRoot, path))
      throw new StorageKeyError(`Not a work folder: ${path}`);
    await rm(path, { recursive: true, force: true });
  }

  async check(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    const probe = join(this.root, `.health-${randomUUID()}`);
    await writeFile(probe, 'ok');
    await unlink(probe);
  }

  private pathOf(key: string): string {
    return join(this.root, this.checkedKey(key));
  }

  /** Keys come from our own ids, but one that could escape the root is refused regardless. */
  private checkedKey(key: string): string {
    if (!KEY.test(key)) {
      throw new StorageKeyError(`Invalid storage key: ${key}`);
    }
    return key;
  }

  private isInside(root: string, path: string): boolean {
    const rel = relative(root, resolve(path));
    return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep);
  }
}
