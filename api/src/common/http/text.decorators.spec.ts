import { ArgumentMetadata } from '@nestjs/common';
import { FieldError } from '@vidgen/contracts';
import { IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';
import { ValidationError } from '../errors/domain-errors';
import { IsWellFormed, MultiLineText, SingleLineText } from './text.decorators';
import { NormalizeEmail } from './trim.decorator';
import { createValidationPipe } from './validation';

class Sample {
  @IsOptional()
  @MaxLength(10, { message: 'name must be at most 10 characters.' })
  @SingleLineText()
  @IsString({ message: 'name must be text.' })
  name?: string;

  @IsOptional()
  @MultiLineText()
  @IsString({ message: 'prompt must be text.' })
  prompt?: string;

  @IsOptional()
  @NormalizeEmail()
  @IsEmail({}, { message: 'email must be a valid email address.' })
  @IsWellFormed()
  @IsString({ message: 'email must be text.' })
  email?: string;
}

const metadata: ArgumentMetadata = { type: 'body', metatype: Sample };

/** What the app's validation pipe makes of this body: the DTO, or the fields it refuses. */
async function validate(body: object): Promise<Sample | FieldError[]> {
  try {
    return (await createValidationPipe().transform(body, metadata)) as Sample;
  } catch (error) {
    if (error instanceof ValidationError) return error.details ?? [];
    throw error;
  }
}

describe('text decorators', () => {
  describe.each([
    ['NUL', '\u0000'],
    ['BEL', '\u0007'],
    ['ESC', '\u001b'],
    ['DEL', '\u007f'],
    ['a C1 control (NEL)', '\u0085'],
    ['a right-to-left override', '\u202e'],
    ['a left-to-right embedding', '\u202a'],
    ['a first-strong isolate', '\u2068'],
    ['a pop-directional isolate', '\u2069'],
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate', '\udc00'],
  ])('refuse %s', (_name, character) => {
    it.each(['name', 'prompt'])('in %s, naming the field with a sentence', async (field) => {
      expect(await validate({ [field]: `a${character}b` })).toEqual([
        { field, message: expect.stringMatching(new RegExp(`^${field} .+\\.$`)) },
      ]);
    });
  });

  it('says which rule the text broke', async () => {
    expect(await validate({ prompt: 'a\u0000' })).toEqual([
      expect.objectContaining({ message: expect.stringContaining('control characters') }),
    ]);
    expect(await validate({ prompt: 'a\u202eb' })).toEqual([
      expect.objectContaining({ message: expect.stringContaining('text-direction') }),
    ]);
    expect(await validate({ prompt: '\ud83d' })).toEqual([
      expect.objectContaining({ message: expect.stringContaining('lone surrogate') }),
    ]);
  });

  it.each([
    ['emoji', '🎬🌧️ boat'],
    ['Arabic', 'قارب ورقي'],
    ['Hebrew', 'סירת נייר'],
    ['right-to-left marks', 'abc\u200f\u200e\u061c'],
  ])('accept %s', async (_name, text) => {
    expect(await validate({ name: text, prompt: text })).toEqual({ name: text, prompt: text });
  });

  it('compose to NFC before counting, so an accent typed as two code points counts once', async () => {
    const result = await validate({ name: 'Ame\u0301lie Re\u0301e', prompt: 'cafe\u0301' });

    expect(result).toEqual({ name: 'Amélie Rée', prompt: 'café' });
  });

  it('keep tabs and line breaks in a multi-line text, with every line break as \\n', async () => {
    expect(await validate({ prompt: '  one\r\ntwo\rthree\u2028four\n\tfive  ' })).toEqual({
      prompt: 'one\ntwo\nthree\nfour\n\tfive',
    });
  });

  it('turn tabs and line breaks in a one-line text into one space, then trim', async () => {
    expect(await validate({ name: '\na \r\n\t b\n' })).toEqual({ name: 'a b' });
  });

  it('still let the type check name a value that is not text', async () => {
    expect(await validate({ name: 42, prompt: ['x'] })).toEqual([
      { field: 'name', message: 'name must be text.' },
      { field: 'prompt', message: 'prompt must be text.' },
    ]);
  });

  describe('emails', () => {
    it('refuse a lone surrogate with a 400 instead of letting the email check throw', async () => {
      expect(await validate({ email: '\ud800@x.com' })).toEqual([
        { field: 'email', message: 'email contains an invalid character (a lone surrogate).' },
      ]);
    });

    it('are trimmed, lower-cased and composed to NFC', async () => {
      expect(await validate({ email: '  JOSE\u0301@Example.COM ' })).toEqual({
        email: 'josé@example.com',
      });
    });
  });
});
