import { ApiRoutes, JobStatus, Video, VideoStatus } from '@vidgen/contracts';
import { startApp, TestApp } from './support/app';
import { expectValidationError } from './support/errors';
import { withBearer } from './support/http';
import { FAIL, FakeFfmpeg, HANG, scriptedFfmpeg } from './support/media';
import { createUser, CreatedUser } from './support/users';
import { createVideo, expectVideoShape, listVideos, waitForJob } from './support/videos';

jest.setTimeout(120_000);

let ffmpeg: FakeFfmpeg;
let api: TestApp;
let alice: CreatedUser;
let bob: CreatedUser;
/** Alice's videos by name, one in each state. */
const v: Record<'ready' | 'failed' | 'cancelled' | 'running' | 'queued', Video> = {} as never;
let bobsVideo: Video;

// One worker and a renderer that obeys the prompt: a [hang] job runs until cancelled, so the
// states below stay put while the tests look at them.
beforeAll(async () => {
  ffmpeg = await scriptedFfmpeg();
  api = await startApp({
    FFMPEG_PATH: ffmpeg.path,
    JOB_CONCURRENCY: '1',
    MAX_ACTIVE_JOBS_PER_USER: '100',
  });
  alice = await createUser(api);
  bob = await createUser(api);
  const settle = async (body: Record<string, unknown>, until: JobStatus[]) => {
    const created = await createVideo(api, alice, body);
    await waitForJob(api, alice, created.job.id, until);
    return created;
  };
  v.ready = (
    await settle({ prompt: 'Sunset over the SEA', orientation: 'landscape' }, [JobStatus.Succeeded])
  ).video;
  v.failed = (
    await settle({ prompt: `${FAIL} Storm_cloud over a harbour` }, [JobStatus.Failed])
  ).video;
  const cancelled = await settle({ prompt: `${HANG} 100% pure mountain water` }, [
    JobStatus.Running,
  ]);
  await withBearer(api, alice).post(ApiRoutes.jobCancel(cancelled.job.id)).expect(200);
  v.cancelled = cancelled.video;
  v.running = (
    await settle({ prompt: `${HANG} A seagull circling`, orientation: 'landscape' }, [
      JobStatus.Running,
    ])
  ).video;
  v.queued = (
    await createVideo(api, alice, { prompt: `${HANG} 100 percent rainy afternoon` })
  ).video;
  bobsVideo = (await createVideo(api, bob, { prompt: 'Bob: sunset over the sea as well' })).video;
  await withBearer(api, alice)
    .patch(ApiRoutes.video(v.ready.id))
    .send({ favorite: true })
    .expect(200);
  await withBearer(api, alice)
    .patch(ApiRoutes.video(v.cancelled.id))
    .send({ title: 'Holiday reel' })
    .expect(200);
});

afterAll(async () => {
  await api?.close();
  await ffmpeg?.remove();
});

const ids = (videos: Video[]) => videos.map((video) => video.id);
const names = (...keys: (keyof typeof v)[]) => keys.map((key) => v[key].id);

describe('GET /api/videos', () => {
  it('lists only the caller’s videos, newest first, each in the contract’s shape with its state', async () => {
    const response = await withBearer(api, alice).get(ApiRoutes.videos);

    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual(['items', 'nextCursor']);
    expect(response.body.nextCursor).toBeNull();
    const items = response.body.items as Video[];
    expect(ids(items)).toEqual(names('queued', 'running', 'cancelled', 'failed', 'ready'));
    items.forEach(expectVideoShape);
    expect(items.map((video) => video.status)).toEqual([
      VideoStatus.Queued,
      VideoStatus.Running,
      VideoStatus.Cancelled,
      VideoStatus.Failed,
      VideoStatus.Ready,
    ]);
    expect(ids(await listVideos(api, bob))).toEqual([bobsVideo.id]);
  });

  it.each([
    ['status=ready', ['ready']],
    ['status=failed', ['failed']],
    ['status=cancelled', ['cancelled']],
    ['status=running', ['running']],
    ['status=queued', ['queued']],
    ['status=queued,running', ['queued', 'running']],
    ['status=queued&status=running', ['queued', 'running']],
    ['status=ready, failed', ['failed', 'ready']],
    ['orientation=landscape', ['running', 'ready']],
    ['orientation=portrait', ['queued', 'cancelled', 'failed']],
    ['favorite=true', ['ready']],
    ['favorite=false', ['queued', 'running', 'cancelled', 'failed']],
    ['orientation=portrait&status=failed,cancelled', ['cancelled', 'failed']],
    ['orientation=landscape&favorite=true&status=ready', ['ready']],
  ] as [string, (keyof typeof v)[]][])('filters with %s', async (query, expected) => {
    expect(ids(await listVideos(api, alice, `?${query.replace(' ', '%20')}`))).toEqual(
      names(...expected),
    );
  });

  it.each([
    ['sea', 'case-insensitive: SEA and seagull', ['running', 'ready']],
    ['SEA', 'upper case finds lower case', ['running', 'ready']],
    ['%', '% is a character, not a wildcard', ['cancelled']],
    ['100%', 'not "100 percent"', ['cancelled']],
    ['_', '_ is a character, not a wildcard', ['failed']],
    ['s_a', 'not "sea" either', []],
    ['holiday', 'titles are searched too', ['cancelled']],
    ['  harbour  ', 'spaces around are ignored', ['failed']],
    ['nothing like this', 'no match', []],
  ] as [string, string, (keyof typeof v)[]][])('searches q=%j (%s)', async (q, _why, expected) => {
    expect(ids(await listVideos(api, alice, `?q=${encodeURIComponent(q)}`))).toEqual(
      names(...expected),
    );
  });

  it('never finds another user’s videos, even by their words', async () => {
    expect(ids(await listVideos(api, alice, '?q=Bob'))).toEqual([]);
  });
});

describe('GET /api/videos pagination', () => {
  let carol: CreatedUser;
  let all: string[];

  beforeAll(async () => {
    carol = await createUser(api);
    // Seven at once, so several may share a creation time: the cursor must still be exact.
    await Promise.all(
      Array.from({ length: 7 }, (_, i) => createVideo(api, carol, { prompt: `${HANG} clip ${i}` })),
    );
    all = ids(await listVideos(api, carol, '?limit=100'));
  });

  const pages = async (query: string) => {
    const result: string[][] = [];
    let cursor: string | null = null;
    do {
      const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const response = await withBearer(api, carol).get(`${ApiRoutes.videos}?${query}${suffix}`);
      expect(response.status).toBe(200);
      result.push(ids(response.body.items));
      cursor = response.body.nextCursor;
      expect(result.length).toBeLessThan(10);
    } while (cursor);
    return result;
  };

  it('walks all videos in pages of `limit`, newest first, without overlap, nextCursor null at the end', async () => {
    expect(all).toHaveLength(7);

    const walked = await pages('limit=3');

    expect(walked.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(walked.flat()).toEqual(all);
    expect(new Set(walked.flat()).size).toBe(7);
  });

  it('ends with nextCursor null when the last page is full', async () => {
    expect((await pages('limit=7')).map((page) => page.length)).toEqual([7]);
  });

  it('keeps the filters across pages', async () => {
    const walked = await pages('limit=2&status=queued,running&q=clip');

    expect(walked.map((page) => page.length)).toEqual([2, 2, 2, 1]);
    expect(walked.flat()).toEqual(all);
  });

  it.each(
    [
      ['cursor=garbage', 'cursor'],
      [
        `cursor=${Buffer.from('2025-01-01T00:00:00.000Z|not-an-id').toString('base64url')}`,
        'cursor',
      ],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=1.5', 'limit'],
      ['limit=ten', 'limit'],
      ['status=bogus', 'status'],
      ['status=queued,bogus', 'status'],
      ['status=READY', 'status'],
      ['orientation=square', 'orientation'],
      ['favorite=maybe', 'favorite'],
      [`q=${'q'.repeat(201)}`, 'q'],
      ['sort=oldest', 'sort'],
    ].map(([query, field]) => [
      query.length > 60 ? `${query.slice(0, 12)}…(${query.length - 2} characters)` : query,
      query,
      field,
    ]),
  )('refuses %s: 400 VALIDATION_FAILED naming the parameter', async (_label, query, field) => {
    expectValidationError(await withBearer(api, carol).get(`${ApiRoutes.videos}?${query}`), field);
  });

  it('accepts limit=1 and limit=100', async () => {
    expect(await listVideos(api, carol, '?limit=1')).toHaveLength(1);
    expect(await listVideos(api, carol, '?limit=100')).toHaveLength(7);
  });
});
