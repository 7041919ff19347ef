import { Logger } from '@nestjs/common';
import { ErrorCode } from '@vidgen/contracts';
import {
  DomainError,
  StreamsUnavailableError,
  TooManyStreamsError,
} from '../../common/errors/domain-errors';
import { AppConfig } from '../../config/app-config';
import { StreamLimits } from './stream-limits';

function limitsOf(sseMaxStreamsPerUser: number, sseMaxStreams: number): StreamLimits {
  return new StreamLimits({ sseMaxStreamsPerUser, sseMaxStreams } as AppConfig);
}

/** The refusal `admit` throws, or undefined when it admitted the stream. */
function refusal(admit: () => void): DomainError | undefined {
  try {
    admit();
    return undefined;
  } catch (error) {
    return error as DomainError;
  }
}

describe('StreamLimits', () => {
  let warn: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    warn.mockRestore();
    jest.useRealTimers();
  });

  it("refuses a user's stream beyond their limit with 429 TOO_MANY_STREAMS, while others still get theirs", () => {
    const limits = limitsOf(2, 100);
    const alice = [new AbortController(), new AbortController()];
    alice.forEach((response) => limits.admit('alice', response.signal));

    const refused = refusal(() => limits.admit('alice', new AbortController().signal));

    expect(refused).toBeInstanceOf(TooManyStreamsError);
    expect(refused).toMatchObject({
      status: 429,
      code: ErrorCode.TooManyStreams,
      retryAfterSeconds: 30,
      message:
        'This account already has 2 live updates open, the most it may hold at once. ' +
        'Close this site in other tabs or windows, then try again.',
    });
    expect(refusal(() => limits.admit('bob', new AbortController().signal))).toBeUndefined();
    expect(limits.size).toBe(3);
  });

  it('refuses any stream beyond the limit of the process with 503 and Retry-After', () => {
    const limits = limitsOf(5, 3);
    ['alice', 'bob', 'carol'].forEach((user) => limits.admit(user, new AbortController().signal));

    const refused = refusal(() => limits.admit('dave', new AbortController().signal));

    expect(refused).toBeInstanceOf(StreamsUnavailableError);
    expect(refused).toMatchObject({
      status: 503,
      code: ErrorCode.ServiceUnavailable,
      retryAfterSeconds: 10,
    });
    expect(refused?.message).toMatch(/^The server is already sending as many live updates/);
    expect(limits.size).toBe(3);
  });

  it('says in the log that the process is full, once a minute while it refuses streams', () => {
    jest.useFakeTimers();
    const limits = limitsOf(5, 1);
    limits.admit('alice', new AbortController().signal);

    for (let second = 0; second < 150; second += 1) {
      refusal(() => limits.admit('bob', new AbortController().signal));
      jest.advanceTimersByTime(1000);
    }

    expect(warn).toHaveBeenCalledTimes(3);
    expect(warn).toHaveBeenCalledWith({
      msg: 'Refusing new streams: this process holds SSE_MAX_STREAMS already',
      limit: 1,
    });
  });

  it('tells a user at their own limit so, even when the process is full too: it is theirs to fix', () => {
    const limits = limitsOf(1, 1);
    limits.admit('alice', new AbortController().signal);

    expect(refusal(() => limits.admit('alice', new AbortController().signal))).toBeInstanceOf(
      TooManyStreamsError,
    );
  });

  it('frees the place when the response ends, once, however often it is told', () => {
    const limits = limitsOf(1, 10);
    const first = new AbortController();
    limits.admit('alice', first.signal);

    first.abort();
    first.abort();

    expect(limits.size).toBe(0);
    expect(limits.users).toBe(0);
    const second = new AbortController();
    expect(refusal(() => limits.admit('alice', second.signal))).toBeUndefined();
    expect(limits.size).toBe(1);
  });

  it('takes no place for a response over before the stream was admitted', () => {
    const limits = limitsOf(1, 10);
    const gone = new AbortController();
    gone.abort();

    limits.admit('alice', gone.signal);

    expect(limits.size).toBe(0);
    expect(refusal(() => limits.admit('alice', new AbortController().signal))).toBeUndefined();
  });

  it('counts nothing for a refused stream, so refusals never use up places', () => {
    const limits = limitsOf(1, 2);
    const held = new AbortController();
    limits.admit('alice', held.signal);
    for (let attempt = 0; attempt < 100; attempt += 1) {
      refusal(() => limits.admit('alice', new AbortController().signal));
    }

    held.abort();

    expect(limits.size).toBe(0);
    expect(refusal(() => limits.admit('alice', new AbortController().signal))).toBeUndefined();
  });

  it('is empty again after 10,000 streams of 100 users opened and closed in any order', () => {
    const limits = limitsOf(20, 1000);
    const open: AbortController[] = [];
    for (let index = 0; index < 10_000; index += 1) {
      const response = new AbortController();
      limits.admit(`user-${index % 100}`, response.signal);
      open.push(response);
      // Closed in batches, the latest first, as pages come and go.
      if (open.length === 500)
        open
          .splice(0)
          .reverse()
          .forEach((ended) => ended.abort());
    }
    open.forEach((ended) => ended.abort());

    expect(limits.size).toBe(0);
    expect(limits.users).toBe(0);
  });
});
