import { Orientation } from '@vidgen/contracts';
import {
  offeredModels,
  orientationOfOpenAiSize,
  providerDurationFor,
  SORA_MODEL,
} from './openai-mapping';

/** A provider that makes only the lengths it offers, as the gateway adapters do. */
const fixedLengths = (durationOptions: number[]) => ({
  durationOptions,
  acceptsDuration: (seconds: number) => durationOptions.includes(seconds),
});

describe('providerDurationFor', () => {
  it('asks for the length as it is when the provider makes it', () => {
    // The local preview makes any whole length up to 20 s, though it offers 5, 10 and 15.
    const local = { durationOptions: [5, 10, 15], acceptsDuration: (s: number) => s <= 20 };
    expect(providerDurationFor('4', local)).toBe(4);
    expect(providerDurationFor('12', local)).toBe(12);
    expect(providerDurationFor('8', fixedLengths([4, 8, 12]))).toBe(8);
  });

  it.each([
    ['4', [5, 10, 15], 5],
    ['8', [5, 10, 15], 10],
    ['12', [5, 10, 15], 10],
    ['4', [10, 15], 10],
    ['12', [6, 10, 15], 10],
    // As near as each other: the longer, never less than asked when it can be helped.
    ['8', [6, 10], 10],
    ['12', [10, 14], 14],
  ] as const)(
    'asks for %s s as the nearest offered length of %j: %d',
    (seconds, options, expected) => {
      expect(providerDurationFor(seconds, fixedLengths([...options]))).toBe(expected);
    },
  );
});

describe('orientationOfOpenAiSize', () => {
  it('reads 720x1280 as portrait and 1280x720 as landscape', () => {
    expect(orientationOfOpenAiSize('720x1280')).toBe(Orientation.Portrait);
    expect(orientationOfOpenAiSize('1280x720')).toBe(Orientation.Landscape);
  });
});

describe('offeredModels', () => {
  it("offers the provider's own name, then sora-2, which OpenAI's clients send by default", () => {
    expect(offeredModels({ name: 'local' })).toEqual(['local', SORA_MODEL]);
    expect(offeredModels({ name: 'openai-videos' })).toEqual(['openai-videos', 'sora-2']);
  });
});
