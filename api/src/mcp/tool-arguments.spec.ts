import { Orientation } from '@vidgen/contracts';
import { ValidationError } from '../common/errors/domain-errors';
import { createVideoBody, inToolTerms } from './tool-arguments';

describe('createVideoBody', () => {
  it('maps duration to durationSeconds, and stores the prompt as the REST API does', async () => {
    const body = await createVideoBody({
      prompt: '  Cafe\u0301 at night \r\n',
      orientation: Orientation.Landscape,
      duration: 10,
    });

    expect(body).toEqual({
      prompt: 'Caf\u00e9 at night',
      orientation: Orientation.Landscape,
      durationSeconds: 10,
    });
  });

  it('leaves the length to the provider when none is given', async () => {
    const body = await createVideoBody({ prompt: 'A fox', orientation: Orientation.Portrait });

    expect(body.durationSeconds).toBeUndefined();
  });

  it('refuses a prompt by the same rules as POST /api/videos', async () => {
    await expect(
      createVideoBody({ prompt: 'A \u202Efox', orientation: Orientation.Portrait }),
    ).rejects.toThrow(/prompt must not contain text-direction controls/);
    await expect(
      createVideoBody({ prompt: '   ', orientation: Orientation.Portrait }),
    ).rejects.toThrow(ValidationError);
  });
});

describe('inToolTerms', () => {
  it("names the tool's duration argument where the rules name durationSeconds", () => {
    const error = inToolTerms(
      ValidationError.field('durationSeconds', 'durationSeconds must be one of 5, 10, 15.'),
    );

    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      message: 'duration: duration must be one of 5, 10, 15.',
      details: [{ field: 'duration', message: 'duration must be one of 5, 10, 15.' }],
    });
  });

  it('returns other errors as they are', () => {
    const other = new Error('durationSeconds');

    expect(inToolTerms(other)).toBe(other);
  });
});
