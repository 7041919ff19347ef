import { MalformedBodyError } from '../common/errors/domain-errors';
import { fieldsOf } from './form-bodies';

describe('fieldsOf', () => {
  it('gives text fields as strings, files by name and size, repeated fields as a list', () => {
    const form = new FormData();
    form.append('prompt', 'A boat');
    form.append('seconds', '8');
    form.append('input_reference', new Blob([Buffer.from('png?')]), 'reference.png');
    form.append('size', '720x1280');
    form.append('size', '1280x720');

    expect(fieldsOf(form)).toEqual({
      prompt: 'A boat',
      seconds: '8',
      input_reference: { filename: 'reference.png', bytes: 4 },
      size: ['720x1280', '1280x720'],
    });
  });

  it('refuses a field named __proto__, as the JSON parser refuses the key', () => {
    const form = new FormData();
    form.append('__proto__', 'x');

    expect(() => fieldsOf(form)).toThrow(MalformedBodyError);
  });
});
