import fc from 'fast-check';
import { liveness } from './http-fuzz';
import { errorShapeProblems, Finding, isText, leaks, parseJson } from './oracles';
import { mutatedRequest, rawCases } from './raw-cases';
import { exchange, parseResponses, RawExchange } from './raw-http';
import { FuzzStats, indent } from './stats';
import { FuzzWorld } from './world';

/**
 * The raw-socket part: malformed HTTP/1.1 that no client library sends, written to a socket by
 * hand. The server must answer each with a well-formed response in the error shape, or close the
 * connection, and keep serving.
 */

/** A server that has neither answered nor closed by then is stuck on the request. */
const EXCHANGE_TIMEOUT_MS = 10_000;

/** What the server did with the bytes, checked: well-formed answers in the error shape, or a close. */
export function checkExchange(result: RawExchange, serverPaths: string[]): Finding[] {
  if (result.received.length === 0) {
    return result.ending === 'timeout'
      ? [
          {
            oracle: 'no-answer',
            detail: `neither answered nor closed within ${EXCHANGE_TIMEOUT_MS / 1000} s`,
          },
        ]
      : [];
  }
  const parsed = parseResponses(result.received, result.ending !== 'timeout');
  const findings: Finding[] = [];
  if (parsed.problem) {
    findings.push({
      oracle: 'error-shape',
      detail: 'not well-formed HTTP/1.1',
      evidence: `${parsed.problem}; received ${JSON.stringify(result.received.toString('latin1').slice(0, 300))}`,
    });
  }
  for (const response of parsed.responses) {
    const text = isText(response.headers) ? response.body.toString('utf8') : '';
    if (response.status >= 500) {
      findings.push({
        oracle: 'server-error',
        detail: `${response.status}`,
        evidence: text.slice(0, 300),
      });
    }
    if (response.status >= 400) {
      const problems = errorShapeProblems(response.status, response.headers, parseJson(response), {
        requestIdHeader: false,
      });
      if (problems.length > 0) {
        findings.push({
          oracle: 'error-shape',
          detail: `${response.status}: ${problems.join('; ')}`,
          evidence: text.slice(0, 300),
        });
      }
    }
    findings.push(...leaks(text, serverPaths));
  }
  return findings;
}

export interface RawOptions {
  /** Generated requests, after the fixed cases. */
  runs: number;
  seed: number;
  survey: boolean;
}

/** The fixed cases, then `runs` generated mutations of well-formed requests, each followed by a liveness probe. */
export async function fuzzRaw(
  world: FuzzWorld,
  options: RawOptions,
): Promise<{ stats: FuzzStats; failure?: string }> {
  const stats = new FuzzStats();
  const serverPaths = [world.api.config.dataDir, process.cwd()];
  let shrinking = false;

  /** Sends one case and returns its failures, as report text. */
  const attempt = async (name: string, bytes: string, counted: boolean): Promise<string[]> => {
    const result = await exchange(world.url, Buffer.from(bytes, 'latin1'), EXCHANGE_TIMEOUT_MS);
    const operation = `raw: ${name}`;
    const parsed = parseResponses(result.received, true);
    if (counted)
      stats.count(operation, parsed.responses[0]?.status ?? `${result.ending} without an answer`);
    const failures: string[] = [];
    for (const finding of checkExchange(result, serverPaths)) {
      const report = [
        `[${finding.oracle}] ${finding.detail} — ${operation}`,
        `sent (${bytes.length} bytes): ${shorten(JSON.stringify(bytes))}`,
        `received (${result.ending}): ${shorten(JSON.stringify(result.received.toString('latin1')))}`,
        ...(finding.evidence ? [`evidence: ${finding.evidence}`] : []),
      ].join('\n');
      if (counted) stats.record(finding, operation, report);
      failures.push(report);
    }
    const dead = await liveness(world.url);
    if (dead)
      failures.push(
        `${dead}\nafter sending (${bytes.length} bytes): ${shorten(JSON.stringify(bytes))}`,
      );
    return failures;
  };

  const dead = (failures: string[]) => failures.some((f) => f.startsWith('[liveness]'));
  for (const { name, bytes } of rawCases(world)) {
    const failures = await attempt(name, bytes, true);
    if (failures.length > 0 && (!options.survey || dead(failures))) {
      return { stats, failure: `A malformed request failed:\n\n${failures.join('\n\n')}` };
    }
  }

  const property = fc.asyncProperty(mutatedRequest(world), async ({ name, bytes }) => {
    const failures = await attempt(name, bytes, !shrinking);
    if (failures.length > 0 && (!options.survey || dead(failures))) {
      shrinking = true;
      throw new Error(failures.join('\n\n'));
    }
  });
  const details = await fc.check(property, { seed: options.seed, numRuns: options.runs });
  if (!details.failed) return { stats };
  const error = details.errorInstance;
  return {
    stats,
    failure: [
      `A mutated request failed (seed ${options.seed}, shrunk ${details.numShrinks} times):`,
      '',
      indent(error instanceof Error ? error.message : String(error), ''),
    ].join('\n'),
  };
}

function shorten(text: string, max = 400): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}
