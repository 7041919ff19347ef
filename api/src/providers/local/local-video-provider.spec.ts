import { Test } from '@nestjs/testing';
import { Orientation } from '@vidgen/contracts';
import { mkdir, mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/app-config';
import { ConfigModule } from '../../config/config.module';
import { MediaModule } from '../../media/media.module';
import { MediaTool } from '../../media/media-tool';
import { ProvidersModule } from '../providers.module';
import {
  GenerationProgress,
  GenerationRequest,
  ProviderError,
  VIDEO_PROVIDER,
  VideoProvider,
} from '../video-provider';
import { LocalVideoProvider } from './local-video-provider';

// Real renders with the bundled ffmpeg, kept short: the CI machine has two cores.
jest.setTimeout(60_000);

let provider: VideoProvider;
let media: MediaTool;
let root: string;
let jobs = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vidgen-local-'));
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(loadConfig({ LOG_LEVEL: 'silent' })),
      ProvidersModule,
      MediaModule,
    ],
  }).compile();
  provider = moduleRef.get(VIDEO_PROVIDER);
  media = moduleRef.get(MediaTool);
});

afterAll(() => rm(root, { recursive: true, force: true }));

function request(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  jobs += 1;
  return {
    jobId: `job-${jobs}`,
    prompt: 'A paper boat sailing across a puddle at sunset',
    orientation: Orientation.Portrait,
    durationSeconds: 1,
    workDir: join(root, `job-${jobs}`),
    ...overrides,
  };
}

/** Processes whose working folder is `dir`: ffmpeg runs in the job's folder, and nothing else does. */
async function processesIn(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => '');
    if (cwd === dir) pids.push(Number(entry));
  }
  return pids;
}

it('is the registered provider for VIDEO_PROVIDER=local, labelled as not AI', () => {
  expect(provider).toBeInstanceOf(LocalVideoProvider);
  expect(provider.name).toBe('local');
  expect(provider.label).toBe('Local preview (not AI)');
});

describe.each([
  [Orientation.Portrait, 720, 1280],
  [Orientation.Landscape, 1280, 720],
])('a %s clip', (orientation, width, height) => {
  it(`is an H.264 MP4 of ${width}x${height}, exactly as long as asked, with progress up to 100`, async () => {
    const progress: GenerationProgress[] = [];
    // Long enough that ffmpeg 4.1, which reports every 0.5 s, reports mid-render even on an idle machine.
    const job = request({ orientation, durationSeconds: 4 });
    const result = await provider.generate(
      job,
      (p) => progress.push(p),
      new AbortController().signal,
    );

    expect(result).toEqual({
      kind: 'file',
      path: join(job.workDir, 'output.mp4'),
      model: 'local-preview',
    });
    const info = await media.probe(join(job.workDir, 'output.mp4'));
    expect(info).toMatchObject({ width, height, videoCodec: 'h264' });
    expect(Math.abs(info.durationSeconds - 4)).toBeLessThanOrEqual(0.2);

    const percents = progress.map((p) => p.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    // A repeated percentage is only ever a change of stage.
    const repeats = progress.slice(1).filter((p, i) => p.percent === progress[i].percent);
    expect(repeats.every((p) => p.stage !== progress[progress.indexOf(p) - 1].stage)).toBe(true);
    expect(progress[0]).toEqual({ percent: 0, stage: 'Preparing' });
    expect(progress.some((p) => p.stage === 'Rendering frames')).toBe(true);
    expect(progress[progress.length - 1]).toEqual({ percent: 100, stage: 'Finishing' });
  });
});

it('renders a prompt full of characters that mean something to ffmpeg and shells', async () => {
  const nasty = `He said: "it's 100% \\done\\" — 50%{pts} ; [out] , 'quote' \`id\` $(whoami) 🎬🌅 Привет 東京\n\t`;
  const job = request({
    prompt: (nasty + ' ').repeat(60).slice(0, 4000),
    orientation: Orientation.Landscape,
  });
  expect(job.prompt).toHaveLength(4000);
  await provider.generate(job, () => undefined, new AbortController().signal);
  const info = await media.probe(join(job.workDir, 'output.mp4'));
  expect(info).toMatchObject({ width: 1280, height: 720, videoCodec: 'h264' });
});

it('stops ffmpeg at once when aborted, rejecting with the reason', async () => {
  const controller = new AbortController();
  const reason = new Error('Cancelled by the user');
  const job = request({ durationSeconds: 20 });
  let abortedAt = 0;
  const run = provider.generate(
    job,
    (p) => {
      if (p.stage === 'Rendering frames' && !abortedAt) {
        abortedAt = Date.now();
        controller.abort(reason);
      }
    },
    controller.signal,
  );
  await expect(run).rejects.toBe(reason);
  expect(abortedAt).toBeGreaterThan(0);
  expect(Date.now() - abortedAt).toBeLessThan(1000);
  expect(await processesIn(job.workDir)).toEqual([]);
});

it('does not start when the job is already cancelled', async () => {
  const controller = new AbortController();
  controller.abort(new Error('gone'));
  await expect(provider.generate(request(), () => undefined, controller.signal)).rejects.toThrow(
    'gone',
  );
});

it('fails with RENDER_FAILED and ffmpeg’s own words when ffmpeg fails', async () => {
  const job = request();
  // A folder where the output file should go: ffmpeg itself refuses to write it.
  await mkdir(join(job.workDir, 'output.mp4'), { recursive: true });
  const run = provider.generate(job, () => undefined, new AbortController().signal);
  await expect(run).rejects.toBeInstanceOf(ProviderError);
  await expect(run).rejects.toMatchObject({
    code: 'RENDER_FAILED',
    message: expect.stringMatching(
      /^The local preview could not be rendered: ffmpeg exited with code 1: .*output\.mp4.*Is a directory/,
    ),
  });
});
