import { JobStatus, VideoStatus } from '@vidgen/contracts';
import { aJob, aLocalProvider, anAiProvider, aVideo } from '../../testing/videos';
import { failureMessage } from './video-failure';
import { formatElapsed, jobElapsedMs, providerLabel, statusLabel } from './video-labels';

describe('video labels', () => {
  it('never lets the local renderer pass for AI', () => {
    expect(providerLabel('local')).toBe('Local preview (not AI)');
    expect(providerLabel('local', aLocalProvider({ label: 'Local renderer' }))).toBe(
      'Local preview (not AI)',
    );
    expect(providerLabel('openai-videos')).toBe('openai-videos');
  });

  it("uses the active provider's label only for the videos it made", () => {
    expect(providerLabel('chat-stream', anAiProvider())).toBe('Sora (chat-stream gateway)');
    expect(providerLabel('openai-videos', anAiProvider())).toBe('openai-videos');
  });

  it('names statuses in words', () => {
    expect(statusLabel(VideoStatus.Running)).toBe('Generating');
    expect(statusLabel(VideoStatus.Ready)).toBe('Ready');
  });

  it.each([
    [0, '00:00'],
    [999, '00:00'],
    [65_000, '01:05'],
    [3_723_000, '1:02:03'],
    [-5_000, '00:00'],
  ])('writes %p ms as %p', (ms, text) => {
    expect(formatElapsed(ms)).toBe(text);
  });

  it('counts elapsed time from the request until the job finished', () => {
    const job = aJob({
      createdAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:12.000Z',
    });
    expect(jobElapsedMs(job, Date.parse('2026-01-01T01:00:00Z'))).toBe(12_000);
    expect(jobElapsedMs({ ...job, finishedAt: null }, Date.parse('2026-01-01T00:00:30Z'))).toBe(
      30_000,
    );
  });
});

describe('failureMessage', () => {
  it("uses the server's reason", () => {
    expect(
      failureMessage(
        aJob({
          status: JobStatus.Failed,
          error: { code: 'X', message: 'Timed out after 10 minutes.' },
        }),
        null,
      ),
    ).toBe('Timed out after 10 minutes.');
  });

  it('says a cancelled video was cancelled, not that it failed', () => {
    expect(failureMessage(null, aVideo({ status: VideoStatus.Cancelled }))).toBe(
      'The generation was cancelled before it finished.',
    );
  });
});
