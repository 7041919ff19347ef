import { ReconnectDelay } from './reconnect-delay';

describe('ReconnectDelay', () => {
  afterEach(() => jest.restoreAllMocks());

  function waits(delay: ReconnectDelay, count: number): number[] {
    return Array.from({ length: count }, () => delay.next());
  }

  it('starts at 5 s and doubles up to a minute', () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.999_999);

    expect(waits(new ReconnectDelay(), 7)).toEqual([
      5000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000,
    ]);
  });

  it('spreads each wait over the upper half of its step', () => {
    jest.spyOn(Math, 'random').mockReturnValue(0);
    expect(waits(new ReconnectDelay(), 3)).toEqual([2500, 5000, 10_000]);

    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    expect(waits(new ReconnectDelay(), 3)).toEqual([3750, 7500, 15_000]);
  });

  it('starts over once reset', () => {
    jest.spyOn(Math, 'random').mockReturnValue(0);
    const delay = new ReconnectDelay();
    waits(delay, 4);

    delay.reset();

    expect(delay.next()).toBe(2500);
  });
});
