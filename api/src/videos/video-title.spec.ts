import { titleFrom } from './videos.service';

describe('titleFrom', () => {
  it('keeps a short prompt whole, on one line', () => {
    expect(titleFrom('  A paper boat\non a  rainy street ')).toBe('A paper boat on a rainy street');
  });

  it('cuts a long prompt at a word boundary with an ellipsis', () => {
    const title = titleFrom('word '.repeat(30));
    expect(title.length).toBeLessThanOrEqual(60);
    expect(title).toMatch(/word…$/);
  });

  it('never leaves half of an emoji where the cut falls inside it', () => {
    const prompt = `${'x'.repeat(58)}🎬${'y'.repeat(20)}`;
    const title = titleFrom(prompt);
    expect(title).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(title).toBe(`${'x'.repeat(58)}…`);
  });
});
