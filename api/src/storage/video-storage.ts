import { Readable } from 'node:stream';

/**
 * The port for stored video files and thumbnails, addressed by keys such as
 * `<userId>/<videoId>/<jobId>.mp4` (one folder per video, one name per attempt). `put` moves a
 * finished file into place atomically: a reader sees the whole file or nothing. A key that is not
 * stored fails `size`, and the stream `read` returns, with an error whose `code` is `ENOENT`.
 */
export abstract class VideoStorage {
  abstract put(key: string, sourcePath: string): Promise<void>;
  /** Bytes `start`..`end` inclusive, or the whole file. */
  abstract read(key: string, range?: { start: number; end: number }): Readable;
  abstract size(key: string): Promise<number>;
  /** Removes the file; a missing file is not an error. */
  abstract delete(key: string): Promise<void>;
  /** Removes everything under `<prefix>/`, e.g. all files of one user. */
  abstract deleteAll(prefix: string): Promise<void>;
  /** Creates an empty private folder for one job's partial files. */
  abstract createWorkDir(name: string): Promise<string>;
  abstract removeWorkDir(path: string): Promise<void>;
  /** Throws when the storage cannot be written. */
  abstract check(): Promise<void>;
}

export class StorageKeyError extends Error {}

/** What a storage without files says of a missing key: the file system's ENOENT. */
export class StoredFileMissingError extends Error {
  readonly code = 'ENOENT';

  constructor(key: string) {
    super(`No stored file: ${key}`);
    this.name = 'StoredFileMissingError';
  }
}

// Segments start with a letter or digit, so `.` and `..` can never appear.
const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** Keys come from our own ids, but one that could escape a folder or prefix is refused regardless. */
export function checkedKey(key: string): string {
  if (!KEY.test(key)) {
    throw new StorageKeyError(`Invalid storage key: ${key}`);
  }
  return key;
}
