import { Orientation } from '@vidgen/contracts';
import { loadConfig, UpstreamConfig } from '../../config/app-config';
import { upstreamModel } from '../upstream/model-names';
import { jobDurations, modelsLabel } from './video-models';

function upstream(env: Record<string, string> = {}): UpstreamConfig {
  return loadConfig({
    VIDEO_PROVIDER: 'openai-videos',
    VIDEO_API_BASE_URL: 'http://gateway:8000/v1',
    ...env,
  }).upstream;
}

describe('upstreamModel (openai-videos settings)', () => {
  it('sends VIDEO_MODEL (default sora-2) for both orientations, never the chat-stream names', () => {
    for (const orientation of [Orientation.Portrait, Orientation.Landscape]) {
      expect(upstreamModel(upstream(), orientation, 8)).toBe('sora-2');
      expect(upstreamModel(upstream({ VIDEO_MODEL: 'sora-2-pro' }), orientation, 8)).toBe(
        'sora-2-pro',
      );
    }
  });

  it('sends the model named for the orientation when set', () => {
    const names = upstream({
      VIDEO_MODEL_PORTRAIT: 'sora-2-portrait-10s',
      VIDEO_MODEL_LANDSCAPE: 'sora-2-landscape-10s',
    });
    expect(upstreamModel(names, Orientation.Portrait, 10)).toBe('sora-2-portrait-10s');
    expect(upstreamModel(names, Orientation.Landscape, 10)).toBe('sora-2-landscape-10s');
  });

  it('fills the template with the orientation and the length, over the names', () => {
    const template = upstream({
      VIDEO_MODEL_TEMPLATE: 'sora-2-{orientation}-{duration}s',
      VIDEO_MODEL_PORTRAIT: 'ignored',
    });
    expect(upstreamModel(template, Orientation.Landscape, 15)).toBe('sora-2-landscape-15s');
    expect(upstreamModel(template, Orientation.Portrait, 10)).toBe('sora-2-portrait-10s');
  });
});

describe('jobDurations', () => {
  it.each([
    [{}, [4, 8, 12]],
    [{ VIDEO_SECONDS_OPTIONS: '6,10,12,16,20' }, [6, 10, 12, 16, 20]],
    [{ VIDEO_MODEL_TEMPLATE: 'sora-2-{orientation}-{duration}s' }, [10, 15]],
    [
      {
        VIDEO_MODEL_TEMPLATE: 'sora-2-{orientation}-{duration}s',
        VIDEO_SECONDS_OPTIONS: '10,15,25',
      },
      [10, 15, 25],
    ],
    [{ VIDEO_MODEL_TEMPLATE: 'sora-2-{orientation}-15s' }, [15]],
    [
      {
        VIDEO_MODEL_PORTRAIT: 'sora-2-portrait-10s',
        VIDEO_MODEL_LANDSCAPE: 'sora-2-landscape-10s',
      },
      [10],
    ],
    [
      {
        VIDEO_MODEL_PORTRAIT: 'sora-2-portrait-10s',
        VIDEO_MODEL_LANDSCAPE: 'sora-2-landscape-15s',
      },
      [4, 8, 12],
    ],
    [{ VIDEO_MODEL: 'sora-2-pro' }, [4, 8, 12]],
  ])('offers for %j: %j', (env, durations) => {
    expect(jobDurations(upstream(env))).toEqual(durations);
  });
});

describe('modelsLabel', () => {
  it('names the one model, both models, or the template', () => {
    expect(modelsLabel(upstream())).toBe('sora-2');
    expect(
      modelsLabel(
        upstream({ VIDEO_MODEL_PORTRAIT: 'a-portrait', VIDEO_MODEL_LANDSCAPE: 'a-landscape' }),
      ),
    ).toBe('a-portrait / a-landscape');
    expect(
      modelsLabel(upstream({ VIDEO_MODEL_TEMPLATE: 'sora-2-{orientation}-{duration}s' })),
    ).toBe('sora-2-{orientation}-{duration}s');
  });
});
