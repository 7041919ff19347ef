import { cleanPromptText, layoutPrompt, textWidthEm, wrapText } from './prompt-text';

describe('cleanPromptText', () => {
  it('turns control and format characters into single spaces', () => {
    expect(cleanPromptText('  a\tb\r\n\nc\u202ed\u0000e  ')).toBe('a b c d e');
  });

  it('replaces lone surrogates and keeps emoji and quotes', () => {
    expect(cleanPromptText('x\uD800y "q" 100% \\ 🎬')).toBe('x y "q" 100% \\ 🎬');
  });
});

describe('wrapText', () => {
  it('breaks between words within the width', () => {
    const lines = wrapText('a calm lake at dawn with mist over the water', 12);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(textWidthEm(line)).toBeLessThanOrEqual(12);
    expect(lines.join(' ')).toBe('a calm lake at dawn with mist over the water');
  });

  it('breaks a word longer than a line', () => {
    const lines = wrapText('x'.repeat(50), 10);
    expect(lines.join('')).toBe('x'.repeat(50));
    for (const line of lines) expect(textWidthEm(line)).toBeLessThanOrEqual(10);
  });
});

describe('layoutPrompt', () => {
  const box = { width: 576, height: 768 };

  it('draws a short prompt large', () => {
    const layout = layoutPrompt('A red fox', box);
    expect(layout).toMatchObject({ text: 'A red fox', lineCount: 1, fontSize: 64 });
  });

  it('shrinks, then cuts a long prompt with an ellipsis inside the box', () => {
    const layout = layoutPrompt('word '.repeat(800), box);
    const lines = layout.text.split('\n');
    expect(layout.fontSize).toBe(32);
    expect(lines[lines.length - 1].endsWith('…')).toBe(true);
    const height = lines.length * layout.fontSize * 1.17 + (lines.length - 1) * layout.lineSpacing;
    expect(height).toBeLessThanOrEqual(box.height);
    for (const line of lines)
      expect(textWidthEm(line) * layout.fontSize).toBeLessThanOrEqual(box.width);
  });

  it('never leaves the text empty', () => {
    expect(layoutPrompt(' \n\t ', box).text).toBe('…');
  });
});
