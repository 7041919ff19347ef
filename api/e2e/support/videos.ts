import {
  ApiRoutes,
  CreateVideoResponse,
  JobStatus,
  Orientation,
  TERMINAL_JOB_STATUSES,
  Video,
  VideoJob,
  VideoStatus,
} from '@vidgen/contracts';
import { Response, Test } from 'supertest';
import { TestApp } from './app';
import { Session, withBearer } from './http';

/** What the app finishes in the background after answering (removing a work folder, say). */
export { eventually } from '../../src/testing/eventually';

type Auth = Pick<Session, 'accessToken'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A UUID that names nothing. */
export const UNKNOWN_ID = '00000000-4000-8000-8000-000000000000';

/** What a test posts; anything, so bad input can be sent too. */
export type VideoBody = Record<string, unknown>;

/** A short clip unless the test says otherwise: real renders take real time. */
export const SHORT_CLIP: VideoBody = {
  prompt: 'A paper boat drifting down a rainy street',
  durationSeconds: 1,
};

/** POST /api/videos, which must answer 202; the body is sent as given (merged onto SHORT_CLIP). */
export async function createVideo(
  api: TestApp,
  session: Auth,
  body: VideoBody = {},
  headers: Record<string, string> = {},
): Promise<CreateVideoResponse> {
  const response = await postVideo(api, session, { ...SHORT_CLIP, ...body }, headers);
  if (response.status !== 202) {
    throw new Error(
      `createVideo: expected 202, got ${response.status}: ${JSON.stringify(response.body)}`,
    );
  }
  return response.body as CreateVideoResponse;
}

/** POST /api/videos with exactly this body, whatever the answer. */
export function postVideo(
  api: TestApp,
  session: Auth,
  body: unknown,
  headers: Record<string, string> = {},
): Test {
  return withBearer(api, session)
    .post(ApiRoutes.videos)
    .set(headers)
    .send(body as object);
}

export async function getJob(api: TestApp, session: Auth, jobId: string): Promise<VideoJob> {
  const response = await withBearer(api, session).get(ApiRoutes.job(jobId));
  if (response.status !== 200)
    throw new Error(`getJob: ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.job as VideoJob;
}

export async function getVideo(api: TestApp, session: Auth, videoId: string): Promise<Video> {
  const response = await withBearer(api, session).get(ApiRoutes.video(videoId));
  if (response.status !== 200)
    throw new Error(`getVideo: ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.video as Video;
}

export async function listVideos(api: TestApp, session: Auth, query = ''): Promise<Video[]> {
  const response = await withBearer(api, session).get(`${ApiRoutes.videos}${query}`);
  if (response.status !== 200)
    throw new Error(`listVideos: ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.items as Video[];
}

/** Polls GET /api/jobs/:id until the job matches (by default: until it has finished). */
export async function waitForJob(
  api: TestApp,
  session: Auth,
  jobId: string,
  until: readonly JobStatus[] | ((job: VideoJob) => boolean) = TERMINAL_JOB_STATUSES,
  timeoutMs = 90_000,
): Promise<VideoJob> {
  const matches =
    typeof until === 'function' ? until : (job: VideoJob) => until.includes(job.status);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await getJob(api, session, jobId);
    if (matches(job)) return job;
    if (Date.now() > deadline)
      throw new Error(`waitForJob: gave up after ${timeoutMs} ms at ${JSON.stringify(job)}`);
    await sleep(100);
  }
}

/** Waits until the job runs and its renderer has reported progress: ffmpeg is at work. */
export function waitForRendering(api: TestApp, session: Auth, jobId: string): Promise<VideoJob> {
  return waitForJob(api, session, jobId, (job) => {
    if (job.status !== JobStatus.Running && job.status !== JobStatus.Queued) {
      throw new Error(`waitForRendering: the job is already ${job.status}: ${JSON.stringify(job)}`);
    }
    return job.status === JobStatus.Running && job.progress > 0;
  });
}

/** Posts a video and waits for it to be ready; fails with the job's error otherwise. */
export async function generateVideo(
  api: TestApp,
  session: Auth,
  body: VideoBody = {},
): Promise<{ video: Video; job: VideoJob }> {
  const created = await createVideo(api, session, body);
  const job = await waitForJob(api, session, created.job.id);
  if (job.status !== JobStatus.Succeeded)
    throw new Error(`generateVideo: the job ended ${JSON.stringify(job)}`);
  return { video: await getVideo(api, session, created.video.id), job };
}

/** Cancels a job, ignoring a job that has finished meanwhile (for clean-ups). */
export async function cancelQuietly(api: TestApp, session: Auth, jobId: string): Promise<void> {
  await withBearer(api, session).post(ApiRoutes.jobCancel(jobId));
}

/** Makes supertest collect the body as bytes, whatever its type. */
export function asBytes(test: Test): Test {
  return test.buffer(true).parse((response, callback) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
    response.on('end', () => callback(null, Buffer.concat(chunks)));
  });
}

export function bytesOf(response: Response): Buffer {
  return response.body as Buffer;
}

/** Asserts the contract's video object: exactly its fields, with the right types. */
export function expectVideoShape(video: Video): void {
  expect(Object.keys(video).sort()).toEqual(
    [
      'id',
      'prompt',
      'title',
      'orientation',
      'requestedOrientation',
      'status',
      'provider',
      'model',
      'width',
      'height',
      'durationSeconds',
      'requestedDurationSeconds',
      'sizeBytes',
      'contentUrl',
      'thumbnailUrl',
      'favorite',
      'error',
      'jobId',
      'createdAt',
      'completedAt',
    ].sort(),
  );
  expect(video).toMatchObject({
    id: expect.stringMatching(UUID),
    jobId: expect.stringMatching(UUID),
    orientation: expect.stringMatching(`^(${Object.values(Orientation).join('|')})$`),
    requestedOrientation: expect.stringMatching(`^(${Object.values(Orientation).join('|')})$`),
    status: expect.stringMatching(`^(${Object.values(VideoStatus).join('|')})$`),
    createdAt: expect.stringMatching(ISO),
    favorite: expect.any(Boolean),
    durationSeconds: expect.any(Number),
    requestedDurationSeconds: expect.any(Number),
  });
}

/** Asserts the contract's job object: exactly its fields, with the right types. */
export function expectJobShape(job: VideoJob): void {
  expect(Object.keys(job).sort()).toEqual(
    [
      'id',
      'videoId',
      'status',
      'progress',
      'stage',
      'queuePosition',
      'attempt',
      'error',
      'createdAt',
      'startedAt',
      'finishedAt',
    ].sort(),
  );
  expect(job).toMatchObject({
    id: expect.stringMatching(UUID),
    videoId: expect.stringMatching(UUID),
    status: expect.stringMatching(`^(${Object.values(JobStatus).join('|')})$`),
    progress: expect.any(Number),
    stage: expect.any(String),
    attempt: expect.any(Number),
    createdAt: expect.stringMatching(ISO),
  });
  expect(job.progress).toBeGreaterThanOrEqual(0);
  expect(job.progress).toBeLessThanOrEqual(100);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
