import { Test } from '@nestjs/testing';
import { Orientation } from '@vidgen/contracts';
import { ValidationError } from '../common/errors/domain-errors';
import { JobsService } from '../jobs/jobs.service';
import { VIDEO_PROVIDER } from '../providers/video-provider';
import { VideosService } from '../videos/videos.service';
import { OpenAiVideosRepository } from './openai-videos.repository';
import { OpenAiVideosService } from './openai-videos.service';

const created = {
  video: {
    id: '6f1c2a3e-4b5d-4e6f-8a9b-0c1d2e3f4a5b',
    prompt: 'A boat',
    status: 'queued',
    provider: 'chat-stream',
    requestedOrientation: Orientation.Landscape,
    requestedDurationSeconds: 10,
    error: null,
    createdAt: '2025-12-03T10:00:00.000Z',
    completedAt: null,
  },
  job: { progress: 0, finishedAt: null },
};

describe('OpenAiVideosService', () => {
  let service: OpenAiVideosService;
  const videos = { create: jest.fn().mockResolvedValue(created) };

  beforeEach(async () => {
    videos.create.mockClear();
    const module = await Test.createTestingModule({
      providers: [
        OpenAiVideosService,
        { provide: VideosService, useValue: videos },
        { provide: JobsService, useValue: {} },
        { provide: OpenAiVideosRepository, useValue: {} },
        {
          provide: VIDEO_PROVIDER,
          // A gateway with fixed lengths, as the chat-stream adapter has.
          useValue: {
            name: 'chat-stream',
            durationOptions: [10, 15],
            acceptsDuration: (seconds: number) => [10, 15].includes(seconds),
          },
        },
      ],
    }).compile();
    service = module.get(OpenAiVideosService);
  });

  it("asks for the orientation of the size and the provider's nearest length", async () => {
    const video = await service.create('user-1', {
      prompt: 'A boat',
      size: '1280x720',
      seconds: '12',
    });

    expect(videos.create).toHaveBeenCalledWith('user-1', {
      prompt: 'A boat',
      orientation: Orientation.Landscape,
      durationSeconds: 10,
    });
    // Presented back as the nearest of OpenAI's lengths: the provider made 10 s.
    expect(video).toMatchObject({ size: '1280x720', seconds: '8', model: 'chat-stream' });
  });

  it("takes OpenAI's defaults: sora-2, 4 s, portrait", async () => {
    await service.create('user-1', { prompt: 'A boat' });

    expect(videos.create).toHaveBeenCalledWith('user-1', {
      prompt: 'A boat',
      orientation: Orientation.Portrait,
      durationSeconds: 10,
    });
  });

  it('accepts the models it lists and refuses others, naming model', async () => {
    await service.create('user-1', { prompt: 'A boat', model: 'chat-stream' });
    expect(service.models().map((model) => model.id)).toEqual(['chat-stream', 'sora-2']);

    const refused = await service
      .create('user-1', { prompt: 'A boat', model: 'sora-2-pro' })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).details).toEqual([
      { field: 'model', message: expect.stringContaining('chat-stream, sora-2') },
    ]);
    expect(videos.create).toHaveBeenCalledTimes(1);
  });

  it('refuses the spritesheet variant, naming variant', async () => {
    await expect(service.content('v', 'user-1', 'spritesheet')).rejects.toMatchObject({
      details: [{ field: 'variant', message: expect.any(String) }],
    });
  });
});
