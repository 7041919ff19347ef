import { FfmpegProgressParser, renderedFraction } from './ffmpeg-progress';

// A block as ffmpeg 4.1 writes it with `-progress pipe:1`.
const block = (outTimeUs: string, progress = 'continue') =>
  [
    'frame=30',
    'fps=18.32',
    'stream_0_0_q=28.0',
    'bitrate=5242.8kbits/s',
    'total_size=262192',
    `out_time_us=${outTimeUs}`,
    `out_time_ms=${outTimeUs}`,
    'out_time=00:00:00.400078',
    'dup_frames=0',
    'drop_frames=0',
    'speed=0.244x',
    `progress=${progress}`,
    '',
  ].join('\n');

describe('FfmpegProgressParser', () => {
  it('reads the media time of each finished block', () => {
    const parser = new FfmpegProgressParser();
    const samples = parser.push(block('400078') + block('1480000'));
    expect(samples).toEqual([
      { outTimeSeconds: 0.400078, frame: 30, done: false },
      { outTimeSeconds: 1.48, frame: 30, done: false },
    ]);
  });

  it('keeps a line split across chunks until its end arrives', () => {
    const parser = new FfmpegProgressParser();
    const text = block('2500000');
    const cut = text.indexOf('out_time_us=25') + 'out_time_us=25'.length;
    expect(parser.push(text.slice(0, cut))).toEqual([]);
    expect(parser.push(text.slice(cut, -3))).toEqual([]);
    expect(parser.push(text.slice(-3))).toEqual([{ outTimeSeconds: 2.5, frame: 30, done: false }]);
  });

  it('handles one character at a time and CRLF line ends', () => {
    const parser = new FfmpegProgressParser();
    const samples = Array.from(block('1000000').replace(/\n/g, '\r\n')).flatMap((char) =>
      parser.push(char),
    );
    expect(samples).toEqual([{ outTimeSeconds: 1, frame: 30, done: false }]);
  });

  it('marks progress=end as done', () => {
    const parser = new FfmpegProgressParser();
    expect(parser.push(block('5000000', 'end'))).toEqual([
      { outTimeSeconds: 5, frame: 30, done: true },
    ]);
  });

  it('reports N/A and the negative start value as no time yet', () => {
    const parser = new FfmpegProgressParser();
    const samples = parser.push(
      'frame=0\nout_time_us=N/A\nout_time_ms=N/A\nout_time=N/A\nprogress=continue\n' +
        'out_time_us=-9223372036854775807\nout_time_ms=-9223372036854775807\nout_time=-2562047788:00:54.775807\nprogress=continue\n',
    );
    expect(samples).toEqual([
      { outTimeSeconds: null, frame: 0, done: false },
      { outTimeSeconds: null, frame: null, done: false },
    ]);
  });

  it('reads out_time_ms as microseconds, the way ffmpeg 4.x writes it', () => {
    const parser = new FfmpegProgressParser();
    // Older builds print no out_time_us; out_time_ms=2000000 then means 2 s, not 2000 s.
    expect(
      parser.push('out_time_ms=2000000\nout_time=00:00:02.000000\nprogress=continue\n'),
    ).toEqual([{ outTimeSeconds: 2, frame: null, done: false }]);
  });

  it('prefers out_time_us when both are present', () => {
    const parser = new FfmpegProgressParser();
    const samples = parser.push('out_time_ms=999\nout_time_us=3000000\nprogress=continue\n');
    expect(samples[0].outTimeSeconds).toBe(3);
  });

  it('falls back to the out_time clock', () => {
    const parser = new FfmpegProgressParser();
    expect(parser.push('out_time=01:02:03.500000\nprogress=continue\n')[0].outTimeSeconds).toBe(
      3723.5,
    );
  });

  it('does not carry fields from one block into the next', () => {
    const parser = new FfmpegProgressParser();
    parser.push(block('1000000'));
    expect(parser.push('frame=40\nprogress=continue\n')).toEqual([
      { outTimeSeconds: null, frame: 40, done: false },
    ]);
  });

  it('ignores lines that are not key=value', () => {
    const parser = new FfmpegProgressParser();
    expect(parser.push('garbage\n=x\n\nout_time_us=1000000\nprogress=continue\n')).toHaveLength(1);
  });
});

describe('renderedFraction', () => {
  it('is the share of the clip written, clamped to 0..1', () => {
    expect(renderedFraction(1, 4)).toBe(0.25);
    expect(renderedFraction(5.04, 5)).toBe(1);
    expect(renderedFraction(null, 5)).toBe(0);
    expect(renderedFraction(1, 0)).toBe(0);
  });
});
