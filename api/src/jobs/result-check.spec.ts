import { isLengthFarFromRequest, Orientation, orientationOfSize } from '@vidgen/contracts';
import { checkResult } from './result-check';

const portrait = { orientation: Orientation.Portrait, durationSeconds: 10 };
const landscape = { orientation: Orientation.Landscape, durationSeconds: 10 };

describe('orientationOfSize', () => {
  it('calls taller than wide portrait, wider than tall landscape, and a square neither', () => {
    expect(orientationOfSize(720, 1280)).toBe(Orientation.Portrait);
    expect(orientationOfSize(704, 1280)).toBe(Orientation.Portrait);
    expect(orientationOfSize(1280, 720)).toBe(Orientation.Landscape);
    expect(orientationOfSize(1024, 1024)).toBeNull();
  });
});

describe('isLengthFarFromRequest', () => {
  it.each([
    [10, 10.04, false],
    [10, 8, false], // 2 s: not more than 2 s
    [10, 7.4, true], // 2.6 s and 26 %
    [10, 6, true],
    [15, 25, true],
    [20, 16, false], // 4 s but only 20 %
    [20, 14.9, true],
    [4, 2, false], // half, but only 2 s
    [4, 6.5, true],
    [1, 2, false],
  ])('asked %d s, got %d s: far = %s', (requested, actual, far) => {
    expect(isLengthFarFromRequest(requested, actual)).toBe(far);
  });
});

describe('checkResult', () => {
  it('accepts a file of the requested orientation, with no sentence', () => {
    expect(checkResult(portrait, { width: 720, height: 1280, durationSeconds: 10 }, 'm')).toEqual({
      orientation: Orientation.Portrait,
      wrongOrientation: null,
      lengthFar: false,
    });
    expect(checkResult(landscape, { width: 1280, height: 720, durationSeconds: 10 }, 'm')).toEqual({
      orientation: Orientation.Landscape,
      wrongOrientation: null,
      lengthFar: false,
    });
  });

  it('names the real shape, the size, the model and the setting to check when portrait comes back for landscape', () => {
    const check = checkResult(
      landscape,
      { width: 720, height: 1280, durationSeconds: 10 },
      'sora2-portrait-15s',
    );

    expect(check.orientation).toBe(Orientation.Portrait);
    expect(check.wrongOrientation).toBe(
      'The video service made a portrait video (720x1280) with the model "sora2-portrait-15s" ' +
        'although landscape was asked for; check the model settings (VIDEO_MODEL_LANDSCAPE, ' +
        'VIDEO_MODEL_TEMPLATE).',
    );
  });

  it('names the portrait setting when landscape comes back for portrait, and leaves out an unknown model', () => {
    const check = checkResult(portrait, { width: 1280, height: 720, durationSeconds: 10 }, null);

    expect(check.orientation).toBe(Orientation.Landscape);
    expect(check.wrongOrientation).toBe(
      'The video service made a landscape video (1280x720) although portrait was asked for; ' +
        'check the model settings (VIDEO_MODEL_PORTRAIT, VIDEO_MODEL_TEMPLATE).',
    );
  });

  it('refuses a square file for either request, keeping the requested orientation to store', () => {
    for (const requested of [portrait, landscape]) {
      const check = checkResult(requested, { width: 1024, height: 1024, durationSeconds: 10 }, 'g');
      expect(check.orientation).toBe(requested.orientation);
      expect(check.wrongOrientation).toContain('made a square video (1024x1024)');
      expect(check.wrongOrientation).toContain(`although ${requested.orientation} was asked for`);
    }
  });

  it('tells a length far from the request apart from rounding', () => {
    const file = (durationSeconds: number) => ({ width: 720, height: 1280, durationSeconds });
    expect(checkResult(portrait, file(6), 'm').lengthFar).toBe(true);
    expect(checkResult(portrait, file(10.04), 'm').lengthFar).toBe(false);
    // The length never decides the orientation.
    expect(checkResult(portrait, file(6), 'm').wrongOrientation).toBeNull();
  });
});
