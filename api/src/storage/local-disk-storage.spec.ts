import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { loadConfig } from '../config/app-config';
import { LocalDiskStorage } from './local-disk-storage';
import { StorageKeyError } from './video-storage';

describe('LocalDiskStorage', () => {
  let dataDir: string;
  let storage: LocalDiskStorage;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'vidgen-storage-'));
    storage = new LocalDiskStorage(loadConfig({ DATA_DIR: dataDir }));
  });

  async function stored(key: string, content: string): Promise<void> {
    const work = await storage.createWorkDir('job-1');
    writeFileSync(join(work, 'file'), content);
    await storage.put(key, join(work, 'file'));
  }

  it('moves a finished file into place and reads it back whole or by range', async () => {
    await stored('user-1/video-1.mp4', '0123456789');
    expect(await storage.size('user-1/video-1.mp4')).toBe(10);
    expect(await text(storage.read('user-1/video-1.mp4'))).toBe('0123456789');
    expect(await text(storage.read('user-1/video-1.mp4', { start: 2, end: 4 }))).toBe('234');
    expect(readdirSync(join(dataDir, 'videos', 'user-1'))).toEqual(['video-1.mp4']);
  });

  it('replaces an existing file atomically, leaving no partial files', async () => {
    await stored('u/v.mp4', 'old');
    await stored('u/v.mp4', 'new content');
    expect(readFileSync(join(dataDir, 'videos', 'u', 'v.mp4'), 'utf8')).toBe('new content');
    expect(readdirSync(join(dataDir, 'videos', 'u'))).toEqual(['v.mp4']);
  });

  it('fails size and read of a missing key with ENOENT', async () => {
    await expect(storage.size('u/none.mp4')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(text(storage.read('u/none.mp4'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('deletes one file, tolerates a missing one, and deletes all of a user', async () => {
    await stored('u1/a.mp4', 'a');
    await stored('u1/a.jpg', 'b');
    await stored('u2/c.mp4', 'c');
    await storage.delete('u1/a.mp4');
    await expect(storage.delete('u1/a.mp4')).resolves.toBeUndefined();
    await storage.deleteAll('u1');
    expect(existsSync(join(dataDir, 'videos', 'u1'))).toBe(false);
    expect(await storage.size('u2/c.mp4')).toBe(1);
  });

  it('refuses keys that could leave the storage folder', async () => {
    for (const key of ['../secret', 'u/../../x', '/etc/passwd', 'u//v', '.hidden', '']) {
      expect(() => storage.read(key)).toThrow(StorageKeyError);
    }
    await expect(storage.removeWorkDir(dataDir)).rejects.toThrow(StorageKeyError);
  });

  it('gives each job a fresh, empty work folder and removes it', async () => {
    const work = await storage.createWorkDir('job-2');
    writeFileSync(join(work, 'partial.mp4'), 'x');
    expect(readdirSync(await storage.createWorkDir('job-2'))).toEqual([]);
    await storage.removeWorkDir(work);
    expect(existsSync(work)).toBe(false);
  });

  it('passes its health check when writable', async () => {
    await expect(storage.check()).resolves.toBeUndefined();
  });
});
