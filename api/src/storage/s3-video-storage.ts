import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { open, rm, stat } from 'node:fs/promises';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { S3Config } from '../config/app-config';
import { checkedKey, StoredFileMissingError, VideoStorage } from './video-storage';
import { WorkFolders } from './work-folders';

/** Files of this size or less go up in one PutObject; larger ones in parts of this size. */
const PART_SIZE_BYTES = 64 * 1024 * 1024;
const CONNECT_TIMEOUT_MS = 5_000;
const MAX_CONNECTIONS = 1024;
const CHECK_TIMEOUT_MS = 10_000;
/** One upload request (a whole small file, or one part) that takes longer has stalled. */
const WRITE_TIMEOUT_MS = 10 * 60_000;
/** Outside any user's folder: user ids are UUIDs. */
const PROBE_PREFIX = 'health-check';

const CONTENT_TYPES: Record<string, string> = { mp4: 'video/mp4', jpg: 'image/jpeg' };

/**
 * Finished files as objects of one bucket, under the same keys as on disk; work folders stay on
 * the local disk of the process that runs the job. Videos are streamed through the API (the
 * ownership check is there), never handed out as presigned URLs.
 */
export class S3VideoStorage extends VideoStorage implements OnApplicationShutdown {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly work: WorkFolders;

  constructor(
    config: S3Config,
    dataDir: string,
    private readonly partSizeBytes = PART_SIZE_BYTES,
  ) {
    super();
    this.bucket = config.bucket;
    this.work = new WorkFolders(dataDir);
    this.client = new S3Client({
      endpoint: config.endpoint,
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      credentials: {
        accessKeyId: config.accessKeyId,
        secretAccessKey: config.secretAccessKey,
      },
      // The SDK's default checksums send a streamed body aws-chunked with a trailer, which
      // S3-compatible services that predate them (s3rver among them) store as the object's bytes,
      // framing and all.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // Every video being watched holds a connection for as long as its player reads (a paused
      // one too, so no request timeout): the SDK's 50 would queue the 51st viewer, and health.
      requestHandler: {
        connectionTimeout: CONNECT_TIMEOUT_MS,
        httpAgent: { maxSockets: MAX_CONNECTIONS },
        httpsAgent: { maxSockets: MAX_CONNECTIONS },
      },
    });
  }

  onApplicationShutdown(): void {
    this.client.destroy();
  }

  /** An object appears whole or not at all, so there is nothing to rename. */
  async put(key: string, sourcePath: string): Promise<void> {
    const Key = checkedKey(key);
    const { size } = await stat(sourcePath);
    const ContentType = CONTENT_TYPES[Key.slice(Key.lastIndexOf('.') + 1)];
    if (size <= this.partSizeBytes) {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key,
          Body: await readSlice(sourcePath, 0, size),
          ContentLength: size,
          ContentType,
        }),
        { abortSignal: AbortSignal.timeout(WRITE_TIMEOUT_MS) },
      );
    } else {
      await this.putInParts(Key, sourcePath, size, ContentType);
    }
    // As the local disk does: the file has moved into the storage.
    await rm(sourcePath, { force: true });
  }

  read(key: string, range?: { start: number; end: number }): Readable {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: checkedKey(key),
      Range: range && `bytes=${range.start}-${range.end}`,
    });
    // The port hands out a stream at once; the object's bytes flow in when S3 answers.
    const body = new PassThrough();
    const abort = new AbortController();
    body.once('close', () => abort.abort());
    this.client
      .send(command, { abortSignal: abort.signal })
      .then((object) => pipeline(object.Body as Readable, body))
      .catch((error: unknown) => body.destroy(missingAsEnoent(error, key)));
    return body;
  }

  async size(key: string): Promise<number> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: checkedKey(key) }),
      );
      return head.ContentLength ?? 0;
    } catch (error) {
      throw missingAsEnoent(error, key);
    }
  }

  /** S3 answers a delete of a missing key with success too. */
  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: checkedKey(key) }));
  }

  async deleteAll(prefix: string): Promise<void> {
    const Prefix = `${checkedKey(prefix)}/`;
    let ContinuationToken: string | undefined;
    do {
      // A page holds at most 1000 keys, as many as one DeleteObjects takes.
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix, ContinuationToken }),
      );
      const objects = (page.Contents ?? []).map(({ Key }) => ({ Key }));
      if (objects.length > 0) {
        const { Errors } = await this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: objects, Quiet: true },
          }),
        );
        if (Errors?.length) {
          const [first] = Errors;
          throw new Error(
            `Could not delete ${Errors.length} objects under ${Prefix}, e.g. ${first.Key}: ${first.Code} ${first.Message}`,
          );
        }
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  createWorkDir(name: string): Promise<string> {
    return this.work.create(name);
  }

  removeWorkDir(path: string): Promise<void> {
    return this.work.remove(path);
  }

  /** A write and a delete, as the local disk's check: HeadBucket alone passes with read-only keys. */
  async check(): Promise<void> {
    const Key = `${PROBE_PREFIX}/${randomUUID()}`;
    const abortSignal = AbortSignal.timeout(CHECK_TIMEOUT_MS);
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: 'ok' }), {
      abortSignal,
    });
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }), { abortSignal });
  }

  /** S3 keeps an upload's parts out of sight until it is completed, and drops them on abort. */
  private async putInParts(
    Key: string,
    sourcePath: string,
    size: number,
    ContentType: string | undefined,
  ): Promise<void> {
    const { UploadId } = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key, ContentType }),
    );
    try {
      const Parts: { ETag?: string; PartNumber: number }[] = [];
      for (let start = 0; start < size; start += this.partSizeBytes) {
        const end = Math.min(start + this.partSizeBytes, size) - 1;
        const PartNumber = Parts.length + 1;
        const { ETag } = await this.client.send(
          new UploadPartCommand({
            Bucket: this.bucket,
            Key,
            UploadId,
            PartNumber,
            Body: await readSlice(sourcePath, start, end - start + 1),
            ContentLength: end - start + 1,
          }),
          { abortSignal: AbortSignal.timeout(WRITE_TIMEOUT_MS) },
        );
        Parts.push({ ETag, PartNumber });
      }
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key,
          UploadId,
          MultipartUpload: { Parts },
        }),
      );
    } catch (error) {
      await this.client
        .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId }))
        .catch(() => undefined);
      throw error;
    }
  }
}

/**
 * A body the SDK can send again: it retries a failed request (a 503 SlowDown, a reset) with the
 * same body, and a file stream it has already read would send nothing and hang.
 */
async function readSlice(path: string, start: number, length: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await file.read(buffer, filled, length - filled, start + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await file.close();
  }
}

/** NotFound is HeadObject's name for it (a HEAD answer has no body), NoSuchKey GetObject's. */
function missingAsEnoent(error: unknown, key: string): Error {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'NotFound' || name === 'NoSuchKey') return new StoredFileMissingError(key);
  return error instanceof Error ? error : new Error(String(error));
}
