import { loadConfig } from '../../config/app-config';
import { InProcessJobQueue } from './in-process-job-queue';

describe('InProcessJobQueue', () => {
  const queueWith = (concurrency: number) =>
    new InProcessJobQueue(loadConfig({ JOB_CONCURRENCY: String(concurrency) }));

  it('delivers in order, never more than the concurrency at once', async () => {
    const queue = queueWith(2);
    const started: string[] = [];
    let running = 0;
    let most = 0;
    const releases: (() => void)[] = [];
    queue.process(async (id) => {
      started.push(id);
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => releases.push(resolve));
      running--;
    });
    for (const id of ['a', 'b', 'c', 'd']) await queue.enqueue(id);
    expect(started).toEqual(['a', 'b']);
    while (releases.length > 0) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    expect(most).toBe(2);
  });

  it('ignores an id that is already waiting', async () => {
    const queue = queueWith(1);
    const seen: string[] = [];
    await queue.enqueue('x');
    await queue.enqueue('x');
    queue.process(async (id) => {
      seen.push(id);
    });
    await queue.stop();
    expect(seen).toEqual(['x']);
  });

  it('delivers an id enqueued during its delivery once more, after that delivery', async () => {
    const queue = queueWith(2);
    const seen: string[] = [];
    let running = 0;
    let most = 0;
    let release: () => void = () => undefined;
    queue.process(async (id) => {
      seen.push(id);
      running++;
      most = Math.max(most, running);
      if (seen.length === 1) {
        await queue.enqueue(id);
        await queue.enqueue(id);
        await new Promise<void>((resolve) => (release = resolve));
      }
      running--;
    });
    await queue.enqueue('x');
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['x']);
    expect(await queue.depth()).toBe(0);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    await queue.stop();
    expect(seen).toEqual(['x', 'x']);
    expect(most).toBe(1);
  });

  it('keeps going after a handler throws, and reports itself stopped after stop()', async () => {
    const queue = queueWith(1);
    const seen: string[] = [];
    queue.process(async (id) => {
      seen.push(id);
      if (id === 'bad') throw new Error('boom');
    });
    await queue.enqueue('bad');
    await queue.enqueue('good');
    await new Promise((resolve) => setImmediate(resolve));
    await queue.stop();
    expect(seen).toEqual(['bad', 'good']);
    await expect(queue.check()).rejects.toThrow('stopped');
  });
});
