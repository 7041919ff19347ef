import { Type } from 'class-transformer';
import { IsDefined, IsEmail, IsOptional, IsString, ValidateNested } from 'class-validator';
import { ValidationError } from '../errors/domain-errors';
import { createValidationPipe, MAX_FIELD_ERRORS } from './validation';

class Inner {
  @IsOptional()
  @IsString()
  name?: string;
}

class Body {
  @IsEmail()
  @IsDefined()
  email!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => Inner)
  inner?: Inner;
}

async function refusal(value: object): Promise<ValidationError> {
  try {
    await createValidationPipe().transform(value, { type: 'body', metatype: Body });
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('the body was accepted');
}

describe('the validation pipe', () => {
  it('names one field with its message, as "field: message"', async () => {
    const error = await refusal({ email: 'nope' });

    expect(error.details).toEqual([{ field: 'email', message: 'email must be an email' }]);
    expect(error.message).toBe('email: email must be an email');
  });

  it('lists at most MAX_FIELD_ERRORS fields and says how many more there are', async () => {
    const unknown = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`f${i}`, i]));

    const error = await refusal({ email: 'a@example.com', ...unknown });

    expect(error.details).toHaveLength(MAX_FIELD_ERRORS);
    expect(error.details[0]).toEqual({ field: 'f0', message: 'f0 is not a known field.' });
    expect(error.message).toBe(
      `f0: f0 is not a known field. ... and 4,999 more (the first ${MAX_FIELD_ERRORS} in details).`,
    );
  });

  it('says all are listed when they fit', async () => {
    const error = await refusal({ email: 'nope', extra: 1 });

    expect(error.details.map((d) => d.field).sort()).toEqual(['email', 'extra']);
    expect(error.message).toMatch(/^\w+: .+ \.\.\. and 1 more \(all in details\)\.$/);
  });

  it('cuts a very long field name, and lists names that are then equal once', async () => {
    const long = 'x'.repeat(10_000);

    const error = await refusal({ email: 'a@example.com', [`${long}1`]: 1, [`${long}2`]: 2 });

    const cut = `${'x'.repeat(64)}...`;
    expect(error.details).toEqual([{ field: cut, message: `${cut} is not a known field.` }]);
  });

  it('replaces control, text-direction and lone-surrogate characters in a field name', async () => {
    const error = await refusal({
      email: 'a@example.com',
      'a\u0000\u001b[2J\u202e\ud800\t\u{1f600}': 1,
    });

    const shown = 'a\ufffd\ufffd[2J\ufffd\ufffd\ufffd\u{1f600}';
    expect(error.details).toEqual([{ field: shown, message: `${shown} is not a known field.` }]);
    expect(error.message).toBe(`${shown}: ${shown} is not a known field.`);
  });

  it('replaces the half of a surrogate pair that the cut of a long name leaves', async () => {
    const error = await refusal({ email: 'a@example.com', [`${'x'.repeat(63)}\u{1f600}`]: 1 });

    expect(error.details[0].field).toBe(`${'x'.repeat(63)}\ufffd...`);
  });

  it('names nested fields by their path', async () => {
    const error = await refusal({ email: 'a@example.com', inner: { name: 1, other: 2 } });

    expect(error.details.map((d) => d.field).sort()).toEqual(['inner.name', 'inner.other']);
  });
});
