import { Finding } from './oracles';

/** One failure class: an oracle and its detail, with the operations it hit and the smallest example. */
interface FailureClass {
  finding: Finding;
  count: number;
  operations: Map<string, number>;
  example: string;
}

/** What a run did: requests, answers by status and operation, failures by class. */
export class FuzzStats {
  requests = 0;
  readonly byStatus = new Map<string, number>();
  readonly byOperation = new Map<string, number>();
  private readonly classes = new Map<string, FailureClass>();

  /** `outcome`: the status, or how the exchange ended without one (`no answer`, `closed`). */
  count(operation: string, outcome: number | string): void {
    this.requests += 1;
    const key = String(outcome);
    this.byStatus.set(key, (this.byStatus.get(key) ?? 0) + 1);
    this.byOperation.set(operation, (this.byOperation.get(operation) ?? 0) + 1);
  }

  record(finding: Finding, operation: string, example: string): void {
    const key = `${finding.oracle}|${finding.detail}`;
    const entry = this.classes.get(key) ?? {
      finding,
      count: 0,
      operations: new Map<string, number>(),
      example,
    };
    this.classes.set(key, entry);
    entry.count += 1;
    entry.operations.set(operation, (entry.operations.get(operation) ?? 0) + 1);
    if (example.length < entry.example.length) entry.example = example;
  }

  get failureClasses(): number {
    return this.classes.size;
  }

  summary(): string {
    const statuses = [...this.byStatus.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([status, n]) => `${status}: ${n}`)
      .join(', ');
    const lines = [`${this.requests} requests; by status: ${statuses || 'none'}`];
    const classes = [...this.classes.values()].sort((a, b) => b.count - a.count);
    const failures = classes.reduce((sum, c) => sum + c.count, 0);
    lines.push(`${failures} failing answers in ${classes.length} classes`);
    for (const c of classes) {
      const operations = [...c.operations.entries()]
        .sort(([, a], [, b]) => b - a)
        .map(([operation, n]) => `${operation} (${n})`)
        .join(', ');
      lines.push(
        '',
        `[${c.finding.oracle}] ${c.finding.detail} — ${c.count}x`,
        indent(`on: ${operations}`),
        indent(`smallest example:\n${indent(c.example, '  ')}`),
      );
    }
    return lines.join('\n');
  }
}

export function indent(text: string, by = '    '): string {
  return text
    .split('\n')
    .map((line) => by + line)
    .join('\n');
}
