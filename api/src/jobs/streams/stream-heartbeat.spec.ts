import { ApiKeysService } from '../../api-keys/api-keys.service';
import { SessionsService } from '../../auth/sessions.service';
import { AppConfig } from '../../config/app-config';
import { BeatingStream, StreamCredential, StreamHeartbeat, StreamReader } from './stream-heartbeat';

const PERIOD_MS = 15_000;
const HOUR_MS = 3_600_000;

const session = (id: string): StreamCredential => ({ via: 'session', id });
const apiKey = (id: string): StreamCredential => ({ via: 'api-key', id });

/** A stream as JobStreams keeps one: a ping is a write, and an ended stream leaves the heartbeat. */
class FakeStream implements BeatingStream {
  lastWriteAt = Date.now();
  readonly pings: number[] = [];
  ended = false;

  constructor(
    private readonly heartbeat: StreamHeartbeat,
    readonly reader: StreamReader,
  ) {}

  write(): void {
    this.lastWriteAt = Date.now();
  }

  ping(at: string): void {
    this.write();
    this.pings.push(Date.parse(at));
  }

  end(): void {
    this.ended = true;
    this.heartbeat.remove(this);
  }
}

describe('StreamHeartbeat', () => {
  let isActive: jest.Mock<Promise<boolean>, [string, string]>;
  let isKeyActive: jest.Mock<Promise<boolean>, [string, string]>;
  let heartbeat: StreamHeartbeat;
  let start: number;

  beforeEach(() => {
    jest.useFakeTimers();
    start = Date.now();
    isActive = jest.fn<Promise<boolean>, [string, string]>(() => Promise.resolve(true));
    isKeyActive = jest.fn<Promise<boolean>, [string, string]>(() => Promise.resolve(true));
    heartbeat = new StreamHeartbeat(
      { isActive } as unknown as SessionsService,
      { isActive: isKeyActive } as unknown as ApiKeysService,
      { sseHeartbeatSeconds: PERIOD_MS / 1000 } as AppConfig,
    );
  });

  afterEach(() => {
    heartbeat.onApplicationShutdown();
    jest.useRealTimers();
  });

  function open(reader: Partial<StreamReader> = {}): FakeStream {
    const stream = new FakeStream(heartbeat, {
      userId: 'user-1',
      credential: session('session-1'),
      expiresAt: Date.now() + HOUR_MS,
      ...reader,
    });
    heartbeat.add(stream);
    return stream;
  }

  it('pings a quiet stream once a period, each time after checking its session', async () => {
    const stream = open();

    await jest.advanceTimersByTimeAsync(4 * PERIOD_MS);

    expect(stream.pings.map((at) => at - start)).toEqual([1, 2, 3, 4].map((n) => n * PERIOD_MS));
    expect(isActive).toHaveBeenCalledTimes(4);
    expect(isActive).toHaveBeenCalledWith('session-1', 'user-1');
  });

  it('pings a stream only after a period without any event, and still checks a busy one', async () => {
    const quiet = open({ credential: session('quiet') });
    const busy = open({ credential: session('busy') });
    const sometimes = open({ credential: session('sometimes') });

    for (let second = 1; second <= 60; second += 1) {
      await jest.advanceTimersByTimeAsync(1000);
      busy.write();
      if (second === 10) sometimes.write();
    }

    expect(quiet.pings).toHaveLength(4);
    expect(busy.pings).toEqual([]);
    // Pinged a whole period after its last event, not at the next round number.
    expect(sometimes.pings.map((at) => at - start)).toEqual([25_000, 40_000, 55_000]);
    const checksOfBusy = isActive.mock.calls.filter(([sessionId]) => sessionId === 'busy').length;
    expect(checksOfBusy).toBeGreaterThanOrEqual(4);
  });

  it('checks the streams of one session that are due together with one query', async () => {
    const streams = Array.from({ length: 50 }, () => open());
    const ofAnother = open({ credential: session('session-2') });

    await jest.advanceTimersByTimeAsync(PERIOD_MS);

    expect(streams.every((stream) => stream.pings.length === 1)).toBe(true);
    expect(ofAnother.pings).toHaveLength(1);
    expect(isActive.mock.calls.map(([sessionId]) => sessionId).sort()).toEqual([
      'session-1',
      'session-2',
    ]);
  });

  it('ends the stream of a session that is over instead of pinging it', async () => {
    isActive.mockImplementation((sessionId) => Promise.resolve(sessionId !== 'logged-out'));
    const active = open();
    const loggedOut = open({ credential: session('logged-out') });
    const expired = open({ credential: session('expired'), expiresAt: Date.now() + PERIOD_MS / 2 });

    await jest.advanceTimersByTimeAsync(PERIOD_MS);

    expect([active.ended, loggedOut.ended, expired.ended]).toEqual([false, true, true]);
    expect(loggedOut.pings).toEqual([]);
    expect(expired.pings).toEqual([]);
    // The expired token ends it before asking the database.
    expect(isActive).not.toHaveBeenCalledWith('expired', expect.anything());
    expect(active.pings).toHaveLength(1);
  });

  it('checks a stream opened with an API key against its key: revoked or expired ends it', async () => {
    isKeyActive.mockImplementation((keyId) => Promise.resolve(keyId !== 'revoked'));
    const lasting = open({ credential: apiKey('key-1'), expiresAt: null });
    const revoked = open({ credential: apiKey('revoked'), expiresAt: null });
    const expired = open({ credential: apiKey('expired'), expiresAt: Date.now() + PERIOD_MS / 2 });

    await jest.advanceTimersByTimeAsync(2 * PERIOD_MS);

    expect([lasting.ended, revoked.ended, expired.ended]).toEqual([false, true, true]);
    expect(lasting.pings).toHaveLength(2);
    expect(isKeyActive).toHaveBeenCalledWith('key-1', 'user-1');
    expect(isKeyActive).not.toHaveBeenCalledWith('expired', expect.anything());
    // A key is never taken for a session of the same id, nor the other way round.
    expect(isActive).not.toHaveBeenCalled();
  });

  it('ends the stream when its session cannot be checked', async () => {
    isActive.mockRejectedValue(new Error('The database is away'));
    const stream = open();

    await jest.advanceTimersByTimeAsync(PERIOD_MS);

    expect(stream.ended).toBe(true);
    expect(stream.pings).toEqual([]);
  });

  it('never checks one stream twice at once, and sends nothing to a stream closed meanwhile', async () => {
    const answers = new Map<string, (active: boolean) => void>();
    isActive.mockImplementation(
      (sessionId) => new Promise((resolve) => answers.set(sessionId, resolve)),
    );
    const slow = open();
    const closed = open({ credential: session('closed') });

    await jest.advanceTimersByTimeAsync(3 * PERIOD_MS);
    expect(isActive.mock.calls.map(([sessionId]) => sessionId)).toEqual(['session-1', 'closed']);

    heartbeat.remove(closed);
    answers.get('closed')?.(true);
    answers.get('session-1')?.(true);
    await jest.advanceTimersByTimeAsync(0);

    expect(closed.pings).toEqual([]);
    expect(closed.ended).toBe(false);
    expect(slow.pings.map((at) => at - start)).toEqual([3 * PERIOD_MS]);
  });

  it('runs one timer whatever the number of streams, and none once they have all closed', async () => {
    expect(jest.getTimerCount()).toBe(0);
    const streams = Array.from({ length: 1000 }, () => open());
    expect(jest.getTimerCount()).toBe(1);

    await jest.advanceTimersByTimeAsync(PERIOD_MS);
    expect(streams.every((stream) => stream.pings.length === 1)).toBe(true);

    streams.forEach((stream) => heartbeat.remove(stream));
    expect(jest.getTimerCount()).toBe(0);
    open();
    expect(jest.getTimerCount()).toBe(1);
  });

  it('stops at shutdown and takes no stream after it', () => {
    open();

    heartbeat.onApplicationShutdown();
    open();

    expect(jest.getTimerCount()).toBe(0);
  });
});
