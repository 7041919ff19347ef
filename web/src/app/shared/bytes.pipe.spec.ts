import { formatBytes } from './bytes.pipe';

describe('formatBytes', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [999, '999 bytes'],
    [1000, '1 kB'],
    [1_500_000, '1.5 MB'],
    [2_345_678_901, '2.3 GB'],
    [5e15, '5,000 TB'],
  ])('writes %p as %p', (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });
});
