import { parseByteRange } from './byte-range';

describe('parseByteRange', () => {
  const size = 1000;

  it.each([
    ['bytes=0-499', { kind: 'partial', start: 0, end: 499 }],
    ['bytes=500-', { kind: 'partial', start: 500, end: 999 }],
    ['bytes=-100', { kind: 'partial', start: 900, end: 999 }],
    ['bytes=-5000', { kind: 'partial', start: 0, end: 999 }],
    ['bytes=900-5000', { kind: 'partial', start: 900, end: 999 }],
    ['bytes=0-0', { kind: 'partial', start: 0, end: 0 }],
    [' bytes=10-20 ', { kind: 'partial', start: 10, end: 20 }],
  ])('serves %s partially', (header, expected) => {
    expect(parseByteRange(header, size)).toEqual(expected);
  });

  it.each([['bytes=1000-'], ['bytes=1000-1001'], ['bytes=-0']])(
    'refuses %s as unsatisfiable',
    (header) => {
      expect(parseByteRange(header, size)).toEqual({ kind: 'unsatisfiable' });
    },
  );

  it.each([
    [undefined],
    [''],
    ['bytes=-'],
    ['bytes=5-1'],
    ['bytes=0-1,5-6'],
    ['items=0-1'],
    ['bytes=a-b'],
  ])('sends the whole file for %p', (header) => {
    expect(parseByteRange(header, size)).toEqual({ kind: 'whole' });
  });

  it('has nothing to serve partially from an empty file', () => {
    expect(parseByteRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=-10', 0)).toEqual({ kind: 'unsatisfiable' });
  });
});
