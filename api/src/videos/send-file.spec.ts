import { contentDisposition } from './send-file';

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact name, encoded as RFC 8187 asks', () => {
    expect(contentDisposition(`Chat "noir" (1)\u00e9\u{1f600}.mp4`)).toBe(
      `attachment; filename="Chat _noir_ (1)___.mp4"; ` +
        `filename*=UTF-8''Chat%20%22noir%22%20%281%29%C3%A9%F0%9F%98%80.mp4`,
    );
  });

  it.each([
    ['a high surrogate without its pair', 'cut \ud83d.mp4'],
    ['a low surrogate without its pair', 'cut \ude00.mp4'],
  ])('never throws: %s becomes U+FFFD', (_case, name) => {
    expect(contentDisposition(name)).toBe(
      `attachment; filename="cut _.mp4"; filename*=UTF-8''cut%20%EF%BF%BD.mp4`,
    );
  });
});
