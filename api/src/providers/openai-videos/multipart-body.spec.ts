import { parseMultipart } from '../../../e2e/fake-gateway/multipart';
import { multipartBody } from './multipart-body';

describe('multipartBody', () => {
  it('encodes text fields a multipart parser reads back, prompts with line breaks and any language included', () => {
    const fields = {
      model: 'grok-imagine-video',
      prompt: 'A heron\r\non a misty lake, 鹭 "quoted"',
      seconds: '10',
      size: '1280x720',
    };
    const { contentType, data } = multipartBody(fields);
    expect(contentType).toMatch(/^multipart\/form-data; boundary=----vidgen-[0-9a-f]{32}$/);
    expect(parseMultipart(data, contentType)).toEqual({ fields, files: {} });
  });

  it('uses a new boundary each time', () => {
    expect(multipartBody({ a: '1' }).contentType).not.toBe(multipartBody({ a: '1' }).contentType);
  });
});
