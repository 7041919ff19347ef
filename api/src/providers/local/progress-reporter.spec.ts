import { GenerationProgress } from '../video-provider';
import { ProgressReporter } from './progress-reporter';

describe('ProgressReporter', () => {
  let now: number;
  let sent: GenerationProgress[];
  let reporter: ProgressReporter;

  beforeEach(() => {
    now = 1000;
    sent = [];
    reporter = new ProgressReporter(
      (p) => sent.push(p),
      250,
      () => now,
    );
  });

  it('sends at most one report per interval', () => {
    reporter.report(0, 'Rendering frames');
    now += 100;
    reporter.report(10, 'Rendering frames');
    now += 100;
    reporter.report(20, 'Rendering frames');
    now += 50;
    reporter.report(30, 'Rendering frames');
    expect(sent.map((p) => p.percent)).toEqual([0, 30]);
  });

  it('sends a new stage at once', () => {
    reporter.report(0, 'Preparing');
    reporter.report(1, 'Rendering frames');
    reporter.report(97, 'Finishing');
    expect(sent.map((p) => p.stage)).toEqual(['Preparing', 'Rendering frames', 'Finishing']);
  });

  it('never goes back, never repeats a percentage, and keeps 100 for the end', () => {
    reporter.report(40, 'Rendering frames');
    now += 300;
    reporter.report(30, 'Rendering frames');
    now += 300;
    reporter.report(40.7, 'Rendering frames');
    now += 300;
    reporter.report(100, 'Rendering frames');
    reporter.finish('Finishing');
    reporter.finish('Finishing');
    expect(sent).toEqual([
      { percent: 40, stage: 'Rendering frames' },
      { percent: 99, stage: 'Rendering frames' },
      { percent: 100, stage: 'Finishing' },
    ]);
  });
});
