import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer, text } from 'node:stream/consumers';
import { startS3Server, TestS3Server } from '../testing/s3-server';
import { S3VideoStorage } from './s3-video-storage';
import { StorageKeyError } from './video-storage';

jest.setTimeout(30_000);

/** S3's smallest part (5 MiB), so the multipart test uploads what real S3 would accept. */
const PART_SIZE = 5 * 1024 * 1024;

describe('S3VideoStorage (against s3rver)', () => {
  let s3: TestS3Server;
  let dataDir: string;
  let storage: S3VideoStorage;
  /** Each test's keys under a user folder of its own. */
  let user: string;

  beforeAll(async () => {
    s3 = await startS3Server();
  });

  afterAll(() => s3?.close());

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'vidgen-s3-storage-'));
    storage = new S3VideoStorage(s3.config, dataDir, PART_SIZE);
    user = randomUUID();
  });

  afterEach(() => storage.onApplicationShutdown());

  async function stored(key: string, content: string | Buffer): Promise<string> {
    const work = await storage.createWorkDir(`job-${randomUUID()}`);
    const file = join(work, 'file');
    writeFileSync(file, content);
    await storage.put(key, file);
    return file;
  }

  it('uploads a finished file and reads it back whole or by range', async () => {
    const source = await stored(`${user}/v/j.mp4`, '0123456789');

    expect(await storage.size(`${user}/v/j.mp4`)).toBe(10);
    expect(await text(storage.read(`${user}/v/j.mp4`))).toBe('0123456789');
    expect(await text(storage.read(`${user}/v/j.mp4`, { start: 2, end: 4 }))).toBe('234');
    expect(await text(storage.read(`${user}/v/j.mp4`, { start: 9, end: 9 }))).toBe('9');
    expect(await s3.keys(`${user}/`)).toEqual([`${user}/v/j.mp4`]);
    // Moved, as on the local disk: the work folder no longer holds it.
    expect(existsSync(source)).toBe(false);
  });

  it('uploads a file larger than a part in parts, byte for byte', async () => {
    const content = randomBytes(2 * PART_SIZE + 12345);
    await stored(`${user}/v/big.mp4`, content);

    expect(await storage.size(`${user}/v/big.mp4`)).toBe(content.length);
    expect((await buffer(storage.read(`${user}/v/big.mp4`))).equals(content)).toBe(true);
    const start = PART_SIZE - 10;
    const end = PART_SIZE + 10;
    expect(
      (await buffer(storage.read(`${user}/v/big.mp4`, { start, end }))).equals(
        content.subarray(start, end + 1),
      ),
    ).toBe(true);
  });

  it('lets a reader stop early, before or after the first bytes, and read again', async () => {
    const content = randomBytes(PART_SIZE);
    await stored(`${user}/v/j.mp4`, content);

    const before = storage.read(`${user}/v/j.mp4`);
    before.destroy();
    await once(before, 'close');
    const after = storage.read(`${user}/v/j.mp4`);
    await once(after, 'data');
    after.destroy();
    await once(after, 'close');

    expect((await buffer(storage.read(`${user}/v/j.mp4`))).equals(content)).toBe(true);
  });

  it('replaces an existing object', async () => {
    await stored(`${user}/v.mp4`, 'old');
    await stored(`${user}/v.mp4`, 'new content');

    expect(await text(storage.read(`${user}/v.mp4`))).toBe('new content');
    expect(await s3.keys(`${user}/`)).toEqual([`${user}/v.mp4`]);
  });

  it('fails size and read of a missing key with ENOENT, as the local disk does', async () => {
    await expect(storage.size(`${user}/none.mp4`)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(text(storage.read(`${user}/none.mp4`))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('deletes one object, tolerates a missing one, and deletes all of a user', async () => {
    const other = randomUUID();
    await stored(`${user}/a/1.mp4`, 'a');
    await stored(`${user}/a/1.jpg`, 'b');
    await stored(`${user}/b/2.mp4`, 'c');
    await stored(`${other}/c/3.mp4`, 'd');
    // A user whose id starts like this one's is not under its prefix.
    await stored(`${user}x/d/4.mp4`, 'e');

    await storage.delete(`${user}/a/1.mp4`);
    await expect(storage.delete(`${user}/a/1.mp4`)).resolves.toBeUndefined();
    expect(await s3.keys(`${user}/`)).toEqual([`${user}/a/1.jpg`, `${user}/b/2.mp4`]);

    await storage.deleteAll(user);
    expect(await s3.keys(`${user}/`)).toEqual([]);
    expect(await storage.size(`${other}/c/3.mp4`)).toBe(1);
    expect(await storage.size(`${user}x/d/4.mp4`)).toBe(1);
    await expect(storage.deleteAll(user)).resolves.toBeUndefined();
  });

  it('deletes more objects than one listing page holds (1000)', async () => {
    const work = await storage.createWorkDir('many');
    const names = Array.from({ length: 1005 }, (_, i) => `${i}.jpg`);
    for (let i = 0; i < names.length; i += 50) {
      await Promise.all(
        names.slice(i, i + 50).map((name) => {
          writeFileSync(join(work, name), 'x');
          return storage.put(`${user}/v/${name}`, join(work, name));
        }),
      );
    }
    expect((await s3.keys(`${user}/`)).length).toBe(1005);

    await storage.deleteAll(user);

    expect(await s3.keys(`${user}/`)).toEqual([]);
  });

  it('refuses keys that could leave a folder', async () => {
    for (const key of ['../secret', 'u/../../x', '/etc/passwd', 'u//v', '.hidden', '']) {
      expect(() => storage.read(key)).toThrow(StorageKeyError);
      await expect(storage.size(key)).rejects.toThrow(StorageKeyError);
      await expect(storage.deleteAll(key)).rejects.toThrow(StorageKeyError);
    }
    await expect(storage.removeWorkDir(dataDir)).rejects.toThrow(StorageKeyError);
  });

  it('keeps work folders on the local disk, under DATA_DIR/work', async () => {
    const work = await storage.createWorkDir('job-2');
    expect(work).toBe(join(dataDir, 'work', 'job-2'));
    writeFileSync(join(work, 'partial.mp4'), 'x');
    expect(readdirSync(await storage.createWorkDir('job-2'))).toEqual([]);
    await storage.removeWorkDir(work);
    expect(existsSync(work)).toBe(false);
  });

  it('passes its health check when the bucket can be written, leaving nothing behind', async () => {
    const before = await s3.keys();
    await expect(storage.check()).resolves.toBeUndefined();
    expect(await s3.keys()).toEqual(before);
  });

  // s3rver checks which key signs a request, but not the signature itself.
  it('fails its health check for a bucket that does not exist, or a key it does not know', async () => {
    const elsewhere = [
      { ...s3.config, bucket: 'no-such-bucket' },
      { ...s3.config, accessKeyId: 'UNKNOWN' },
    ].map((config) => new S3VideoStorage(config, dataDir));
    try {
      for (const other of elsewhere) await expect(other.check()).rejects.toThrow();
    } finally {
      for (const other of elsewhere) other.onApplicationShutdown();
    }
  });

  it('fails its health check, and reads, while the server is down; both work again after', async () => {
    await stored(`${user}/v.mp4`, 'still here');
    await s3.stop();
    try {
      await expect(storage.check()).rejects.toThrow();
      await expect(text(storage.read(`${user}/v.mp4`))).rejects.toThrow();
    } finally {
      await s3.start();
    }
    await expect(storage.check()).resolves.toBeUndefined();
    expect(await text(storage.read(`${user}/v.mp4`))).toBe('still here');
  });
});
