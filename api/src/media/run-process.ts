import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { basename } from 'node:path';
import { Readable } from 'node:stream';

export interface RunProcessOptions {
  cwd?: string;
  /** The child is killed (SIGKILL) and the promise rejects with a ProcessFailure after this long. */
  timeoutMs: number;
  /** Aborting kills the child (SIGKILL) and rejects with the signal's reason once it has exited. */
  signal?: AbortSignal;
  /** Receives stdout as it arrives (ffmpeg `-progress pipe:1`); stdout is then not collected. */
  onStdout?: (chunk: string) => void;
  /** Runs the child at a lower CPU priority, so long renders never slow the API's answers. */
  background?: boolean;
}

export interface ProcessOutput {
  stdout: string;
  stderr: string;
}

export type ProcessFailureKind = 'spawn' | 'exit' | 'timeout';

/** A child process that could not start, failed, or ran too long; `stderr` is the tail of its errors. */
export class ProcessFailure extends Error {
  constructor(
    readonly kind: ProcessFailureKind,
    message: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'ProcessFailure';
  }
}

// Enough for ffmpeg's last error lines and ffprobe's JSON; a runaway child can't exhaust memory.
const STDERR_TAIL_BYTES = 16 * 1024;
const STDOUT_MAX_BYTES = 8 * 1024 * 1024;

/**
 * Runs a binary without a shell (arguments are never parsed, so prompts and paths can't inject
 * anything) and settles only after the child has exited, so a rejection means no process is left.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: RunProcessOptions,
): Promise<ProcessOutput> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const name = basename(command);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    if (options.background && child.pid !== undefined) lowerPriority(child.pid);
    let failure: unknown;
    const stop = (reason: unknown): void => {
      failure ??= reason;
      child.kill('SIGKILL');
    };
    const output = capture(child, options.onStdout, stop);
    const onAbort = (): void => stop(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      const seconds = Math.round(options.timeoutMs / 100) / 10;
      stop(
        new ProcessFailure('timeout', `${name} did not finish within ${seconds} s`, output.stderr),
      );
    }, options.timeoutMs);
    const cleanUp = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };

    child.once('error', (error) => {
      // Without a pid the spawn itself failed and no 'close' is certain to follow: settle now.
      if (child.pid !== undefined) {
        failure ??= error;
        return;
      }
      cleanUp();
      // The error's own message names the binary's full path: a server detail people must not see.
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      reject(new ProcessFailure('spawn', `Could not start ${name} (${code})`, output.stderr));
    });
    child.once('close', (code, killedBy) => {
      cleanUp();
      if (failure !== undefined) return reject(failure);
      if (code === 0) return resolve(output);
      const status = code === null ? `was killed (${killedBy})` : `exited with code ${code}`;
      const detail = lastErrorLine(output.stderr);
      reject(
        new ProcessFailure(
          'exit',
          `${name} ${status}${detail ? `: ${detail}` : ''}`,
          output.stderr,
        ),
      );
    });
  });
}

/** Collects the child's output as text; `onStdout` takes stdout instead, as it arrives. */
function capture(
  child: { stdout: Readable; stderr: Readable },
  onStdout: ((chunk: string) => void) | undefined,
  stop: (reason: unknown) => void,
): ProcessOutput {
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    if (!onStdout) {
      if (output.stdout.length < STDOUT_MAX_BYTES) output.stdout += chunk;
      return;
    }
    // A throwing listener would otherwise be an uncaught exception in a stream event.
    try {
      onStdout(chunk);
    } catch (error) {
      stop(error);
    }
  });
  child.stderr.on('data', (chunk: string) => {
    output.stderr = (output.stderr + chunk).slice(-STDERR_TAIL_BYTES);
  });
  return output;
}

/**
 * The last line of stderr that says something. The static ffmpeg build carries an older
 * fontconfig that warns about the system's newer config files; those lines are never the cause.
 */
export function lastErrorLine(stderr: string): string {
  const lines = stderr
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('Fontconfig '));
  const last = lines[lines.length - 1] ?? '';
  return last.length > 300 ? `${last.slice(0, 297)}...` : last;
}

const BACKGROUND_NICENESS = 10;

function lowerPriority(pid: number): void {
  try {
    setPriority(pid, BACKGROUND_NICENESS);
  } catch {
    // Not permitted on some systems; the render then simply runs at normal priority.
  }
}
