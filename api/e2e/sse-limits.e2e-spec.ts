import { ApiRoutes, ErrorCode, JobStatus } from '@vidgen/contracts';
import { StreamLimits } from '../src/jobs/streams/stream-limits';
import { startApp, TestApp } from './support/app';
import { expectApiError } from './support/errors';
import { bearerHeaders, Session, withBearer } from './support/http';
import { FakeFfmpeg, HANG, scriptedFfmpeg } from './support/media';
import { documentCheck } from './support/openapi';
import { connectTo } from './support/raw-http';
import { openSse, SseConnection } from './support/sse';
import { createUser, CreatedUser } from './support/users';
import { createVideo, eventually, sleep, waitForJob } from './support/videos';

jest.setTimeout(60_000);

const PER_USER = 2;
const PER_PROCESS = 4;

let ffmpeg: FakeFfmpeg;
let api: TestApp;
let limits: StreamLimits;
const open: SseConnection[] = [];

beforeAll(async () => {
  ffmpeg = await scriptedFfmpeg();
  api = await startApp({
    FFMPEG_PATH: ffmpeg.path,
    SSE_MAX_STREAMS_PER_USER: String(PER_USER),
    SSE_MAX_STREAMS: String(PER_PROCESS),
    // A stream of a user without jobs gets its first event, a ping, within a second.
    SSE_HEARTBEAT_SECONDS: '1',
  });
  limits = api.app.get(StreamLimits);
});

// Each test starts on an empty process, and ends showing that its streams gave their places back.
afterEach(async () => {
  open.splice(0).forEach((stream) => stream.close());
  await eventually(() => expect(limits.size).toBe(0));
});

afterAll(async () => {
  await api?.close();
  await ffmpeg?.remove();
});

async function stream(session: Session, path: string = ApiRoutes.jobsStream) {
  const connection = await openSse(api, path, bearerHeaders(session));
  open.push(connection);
  return connection;
}

/** Opens a stream the test expects to be refused, and reads the whole answer. */
async function refusedStream(session: Session, path: string = ApiRoutes.jobsStream) {
  const connection = await stream(session, path);
  await connection.waitForEnd(10_000);
  return connection;
}

/** The `field: value` lines of each event block of the raw stream, heartbeats included. */
function rawBlocks(connection: SseConnection): string[][] {
  return connection.text
    .split('\n\n')
    .map((block) => block.split('\n').filter((line) => line !== '' && !line.startsWith(':')))
    .filter((lines) => lines.length > 0);
}

/** Sends a stream's request on a socket of its own, and drops it after `when`. */
async function leaveEarly(session: Session, path: string, when: number | 'at the headers') {
  const socket = connectTo(api);
  socket.on('error', () => undefined);
  const headersIn = new Promise((resolve) => socket.once('data', resolve));
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n` +
      `Authorization: ${bearerHeaders(session).Authorization}\r\n\r\n`,
  );
  await (when === 'at the headers' ? headersIn : sleep(when));
  socket.destroy();
}

function retryOf(lines: string[]): number | undefined {
  const line = lines.find((field) => field.startsWith('retry:'));
  return line === undefined ? undefined : Number(line.slice('retry:'.length));
}

describe('a user beyond SSE_MAX_STREAMS_PER_USER', () => {
  it('is refused one more stream: 429 TOO_MANY_STREAMS with Retry-After, before any event; another user still gets theirs', async () => {
    const alice = await createUser(api);
    const bob = await createUser(api);
    const held = [await stream(alice), await stream(alice)];
    expect(held.map((connection) => connection.status)).toEqual([200, 200]);

    const refused = await refusedStream(alice);

    const body = expectApiError(refused.asResponse(), 429, ErrorCode.TooManyStreams);
    expect(body.message).toBe(
      'This account already has 2 live updates open, the most it may hold at once. ' +
        'Close this site in other tabs or windows, then try again.',
    );
    expect(refused.headers['retry-after']).toBe('30');
    expect(refused.events).toEqual([]);
    expect((await stream(bob)).status).toBe(200);
    expect(held.every((connection) => !connection.ended)).toBe(true);
  });

  it("counts the streams of one job with the user's others, and refuses them the same way", async () => {
    const alice = await createUser(api);
    const { job } = await createVideo(api, alice, { prompt: `${HANG} watched twice` });
    await waitForJob(api, alice, job.id, [JobStatus.Running]);
    await stream(alice, ApiRoutes.jobStream(job.id));
    await stream(alice);

    const refused = await refusedStream(alice, ApiRoutes.jobStream(job.id));

    expectApiError(refused.asResponse(), 429, ErrorCode.TooManyStreams);
    expect(refused.headers['retry-after']).toBe('30');
    await withBearer(api, alice).post(ApiRoutes.jobCancel(job.id)).expect(200);
  });

  it('gets a stream again once one of theirs has closed', async () => {
    const alice = await createUser(api);
    const [first] = [await stream(alice), await stream(alice)];
    expect((await refusedStream(alice)).status).toBe(429);

    first.close();

    // The server learns of the closed connection a moment later.
    await eventually(async () => {
      const again = await stream(alice);
      if (again.status !== 200) again.close();
      expect(again.status).toBe(200);
    });
  });

  it('keeps no place for clients that left before their first event, whenever they left', async () => {
    const alice = await createUser(api);
    const { job } = await createVideo(api, alice, { prompt: `${HANG} left early` });
    await waitForJob(api, alice, job.id, [JobStatus.Running]);
    for (const path of [ApiRoutes.jobsStream, ApiRoutes.jobStream(job.id)]) {
      // Over the first milliseconds of the request, and as the headers arrive, before any event.
      for (let delayMs = 0; delayMs <= 12; delayMs += 1) await leaveEarly(alice, path, delayMs);
      await leaveEarly(alice, path, 'at the headers');
    }

    await eventually(() => expect(limits.size).toBe(0));
    const streams = [await stream(alice), await stream(alice, ApiRoutes.jobStream(job.id))];
    expect(streams.map((connection) => connection.status)).toEqual([200, 200]);
    await withBearer(api, alice).post(ApiRoutes.jobCancel(job.id)).expect(200);
  });
});

describe('a process holding SSE_MAX_STREAMS', () => {
  let users: CreatedUser[];

  beforeAll(async () => {
    users = [];
    for (let index = 0; index < PER_PROCESS + 1; index += 1) users.push(await createUser(api));
  });

  it('refuses any further stream, of a new user or of one below their own limit: 503 with Retry-After', async () => {
    const held: SseConnection[] = [];
    for (const user of users.slice(0, PER_PROCESS)) held.push(await stream(user));
    expect(held.map((connection) => connection.status)).toEqual(Array(PER_PROCESS).fill(200));

    for (const user of [users[PER_PROCESS], users[0]]) {
      const refused = await refusedStream(user);

      const body = expectApiError(refused.asResponse(), 503, ErrorCode.ServiceUnavailable);
      expect(body.message).toBe(
        'The server is already sending as many live updates as it can. Try again in a few seconds.',
      );
      expect(refused.headers['retry-after']).toBe('10');
      expect(refused.events).toEqual([]);
    }

    held[1].close();
    await eventually(async () => {
      const again = await stream(users[PER_PROCESS]);
      if (again.status !== 200) again.close();
      expect(again.status).toBe(200);
    });
  });
});

describe('the first event of a stream', () => {
  it('carries a `retry:` of 2 to 7 seconds, and no later event does', async () => {
    const alice = await createUser(api);
    const { job } = await createVideo(api, alice, { prompt: `${HANG} reconnected` });
    await waitForJob(api, alice, job.id, [JobStatus.Running]);
    const ofJob = await stream(alice, ApiRoutes.jobStream(job.id));
    // Alice's stream starts with the job's snapshot; Bob has no job, his starts with a ping.
    const ofUser = await stream(alice);
    const bob = await createUser(api);
    const idle = await stream(bob);

    for (const connection of [ofJob, ofUser, idle]) {
      await connection.waitForCount(() => true, 2, 10_000);
      const [first, ...later] = rawBlocks(connection);

      expect(first).toContainEqual(expect.stringMatching(/^data: /));
      expect(retryOf(first)).toBeGreaterThanOrEqual(2000);
      expect(retryOf(first)).toBeLessThan(7000);
      expect(later.map(retryOf).filter((retry) => retry !== undefined)).toEqual([]);
    }
    expect(ofJob.events[0].event).toBe('snapshot');
    expect(idle.events[0].event).toBe('ping');
    await withBearer(api, alice).post(ApiRoutes.jobCancel(job.id)).expect(200);
  });
});

describe('the API document', () => {
  it.each(['/api/jobs/stream', '/api/jobs/{id}/stream'])(
    'gives %s its refusals: 429 and 503 with the error body',
    async (path) => {
      const { document } = await documentCheck(api.url);
      const { responses } = document.paths[path]['get'];

      for (const status of ['429', '503']) {
        expect(responses[status].content).toEqual({
          'application/json': { schema: { $ref: '#/components/schemas/ApiErrorView' } },
        });
        expect(responses[status].description).toContain('Retry-After');
      }
      expect(responses['429'].description).toContain('TOO_MANY_STREAMS');
    },
  );
});
