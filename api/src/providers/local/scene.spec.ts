import { Orientation } from '@vidgen/contracts';
import { planScene } from './scene';

const text = { fontSize: 48, lineSpacing: 12 };

describe('planScene', () => {
  it('looks the same every time for the same prompt', () => {
    const a = planScene('a lighthouse in a storm', Orientation.Portrait, 5, text);
    const b = planScene('a lighthouse in a storm', Orientation.Portrait, 5, text);
    expect(a).toEqual(b);
  });

  it('looks different for different prompts', () => {
    const graphs = new Set(
      ['one', 'two', 'three', 'four'].map(
        (p) => planScene(p, Orientation.Portrait, 5, text).filterGraph,
      ),
    );
    expect(graphs.size).toBe(4);
  });

  it('uses every pattern across prompts', () => {
    const kinds = new Set(
      Array.from(
        { length: 40 },
        (_, i) => planScene(`prompt ${i}`, Orientation.Landscape, 5, text).pattern,
      ),
    );
    expect([...kinds].sort()).toEqual(['cellauto', 'life', 'mandelbrot']);
  });

  it('sizes the frame by orientation', () => {
    expect(planScene('x', Orientation.Portrait, 5, text)).toMatchObject({
      width: 720,
      height: 1280,
    });
    expect(planScene('x', Orientation.Landscape, 5, text)).toMatchObject({
      width: 1280,
      height: 720,
    });
  });

  it('never puts the prompt into the filter graph', () => {
    const prompt = "it's: 100% [x]; a,b \\ 'q'";
    const graph = planScene(prompt, Orientation.Portrait, 5, text).filterGraph;
    expect(graph).not.toContain(prompt);
    expect(graph).toContain('textfile=prompt.txt:expansion=none');
  });
});
