import { ApiRoutes } from '@vidgen/contracts';
import fc from 'fast-check';
import { checkAnswer, Finding } from './oracles';
import { Operation } from './openapi';
import { FuzzRequest } from './request-model';
import { fuzzRequest } from './requests';
import { ConcreteRequest, describeRequest, resolveRequest } from './resolve';
import { Answer, Sender } from './send';
import { FuzzStats, indent } from './stats';
import { FuzzWorld } from './world';

export interface FuzzOptions {
  /** Requests to send (shrinking a failure sends more). */
  requests: number;
  seed: number;
  /** fast-check's path of a failing run, to replay it at once. */
  path?: string;
  /** Requests in flight at once: one generated batch. */
  concurrency: number;
  /** Keep going after failures to list every class, instead of stopping at the first. */
  survey: boolean;
  /** Called after each batch of the run (not of shrinking). */
  progress?: (stats: FuzzStats) => void;
}

export interface FuzzOutcome {
  stats: FuzzStats;
  /** The shrunk counterexample and how to replay it; undefined when the run passed. */
  failure?: string;
}

/** How long the server has to answer GET /api/health after each batch. */
export const LIVENESS_TIMEOUT_MS = 10_000;
/** A generated request with no complete answer by then has none. */
const REQUEST_TIMEOUT_MS = 30_000;
const CREATES = new Set(['POST /api/videos', 'POST /api/jobs/{id}/retry']);

/**
 * Sends generated batches of requests over every operation of the document, checks each answer
 * with the oracles, and probes liveness after each batch. A failure stops the run (unless
 * surveying) and fast-check shrinks it to a small counterexample.
 */
export async function fuzzHttp(
  world: FuzzWorld,
  operations: Operation[],
  options: FuzzOptions,
): Promise<FuzzOutcome> {
  const stats = new FuzzStats();
  const sender = new Sender(world.url, options.concurrency, REQUEST_TIMEOUT_MS);
  const documented = new Map(operations.map((op) => [op.id, op]));
  const serverPaths = [world.api.config.dataDir, process.cwd()];
  let budget = options.requests;
  let shrinking = false;

  const property = fc.asyncProperty(
    fc.array(fuzzRequest(operations), {
      minLength: 1,
      maxLength: options.concurrency,
      size: 'max',
    }),
    async (batch) => {
      // fast-check generates runs past the budget: they send nothing, unless shrinking.
      if (!shrinking && budget <= 0) return;
      const counted = !shrinking;
      // The last batch of the run is cut to the budget, so a run sends exactly `requests`.
      if (counted) batch = batch.slice(0, budget);
      if (counted) budget -= batch.length;
      const sent = await Promise.all(batch.map((request) => resolveRequest(request, world)));
      const answers = await Promise.all(sent.map((request) => sender.send(request)));
      const failures: string[] = [];
      const adopted: Promise<void>[] = [];
      batch.forEach((request, i) => {
        const answer = answers[i];
        if (counted) stats.count(request.operation, answer.status ?? 'no answer');
        adopted.push(adopt(world, request, sent[i], answer));
        const op = documented.get(request.operation);
        const findings = checkAnswer(request, sent[i], answer, {
          documented: op && { method: op.method, path: op.path, secured: op.secured },
          serverPaths,
        });
        for (const finding of findings) {
          const report = describeFailure(finding, request.operation, sent[i], answer);
          if (counted) stats.record(finding, request.operation, report);
          failures.push(report);
        }
      });
      await Promise.all(adopted);
      const dead = await liveness(world.url);
      if (dead) failures.push(dead);
      if (counted) options.progress?.(stats);
      if (failures.length > 0 && (dead || !options.survey)) {
        shrinking = true;
        throw new Error(failures.join('\n\n'));
      }
    },
  );

  try {
    const details = await fc.check(property, {
      seed: options.seed,
      path: options.path,
      numRuns: options.requests,
    });
    if (!details.failed) return { stats };
    const error = details.errorInstance;
    return {
      stats,
      failure: [
        `The fuzzer found a failure (seed ${options.seed}, after ${stats.requests} requests; ` +
          `shrunk ${details.numShrinks} times).`,
        `Replay: FUZZ_SEED=${options.seed} FUZZ_PATH=${details.counterexamplePath} npm run fuzz`,
        '',
        error instanceof Error ? error.message : String(error),
      ].join('\n'),
    };
  } finally {
    sender.close();
  }
}

/** Hands the video and job a request created to the world, for later requests to use. */
async function adopt(
  world: FuzzWorld,
  request: FuzzRequest,
  sent: ConcreteRequest,
  answer: Answer,
) {
  if (!sent.actor || !CREATES.has(request.operation) || (answer.status ?? 500) >= 300) return;
  let body: unknown;
  try {
    body = JSON.parse(answer.body.toString('utf8'));
  } catch {
    return; // Not JSON: the oracles report that.
  }
  await world.adopt(sent.actor, body);
}

function describeFailure(
  finding: Finding,
  operation: string,
  sent: ConcreteRequest,
  answer: Answer,
): string {
  const body = answer.body.toString('utf8');
  const shown = body.length > 600 ? `${body.slice(0, 600)}… (${body.length} bytes)` : body;
  return [
    `[${finding.oracle}] ${finding.detail} — ${operation}`,
    'request:',
    indent(describeRequest(sent)),
    `answer: ${answer.status ?? 'none'}${answer.error ? ` (${answer.error})` : ''}, ` +
      `X-Request-Id ${JSON.stringify(answer.headers['x-request-id'] ?? null)}, ` +
      `Content-Type ${JSON.stringify(answer.headers['content-type'] ?? null)}: ${JSON.stringify(shown)}`,
    ...(finding.evidence ? [`evidence: ${finding.evidence}`] : []),
  ].join('\n');
}

/** Undefined when GET /api/health answers 200 in time; otherwise what went wrong. */
export async function liveness(baseUrl: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${baseUrl}${ApiRoutes.health}`, {
      signal: AbortSignal.timeout(LIVENESS_TIMEOUT_MS),
    });
    const text = await response.text();
    return response.status === 200
      ? undefined
      : `[liveness] GET ${ApiRoutes.health} answered ${response.status} after the batch: ${text}`;
  } catch (error) {
    return `[liveness] GET ${ApiRoutes.health} got no answer within ${LIVENESS_TIMEOUT_MS / 1000} s after the batch: ${String(error)}`;
  }
}
