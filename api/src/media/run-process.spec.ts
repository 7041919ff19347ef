import { ProcessFailure, lastErrorLine, runProcess } from './run-process';

// Node itself is the child: a real process, on every machine that runs the tests.
const node = process.execPath;
const script = (code: string) => ['-e', code];

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runProcess', () => {
  it('collects stdout and stderr of a successful run', async () => {
    const output = await runProcess(
      node,
      script('process.stdout.write("out"); process.stderr.write("err")'),
      { timeoutMs: 10_000 },
    );
    expect(output).toEqual({ stdout: 'out', stderr: 'err' });
  });

  it('passes arguments as they are, with no shell in between', async () => {
    const tricky = "\"; rm -rf / #$(whoami) `id` 'q' 100%";
    const { stdout } = await runProcess(
      node,
      ['-e', 'process.stdout.write(process.argv[1])', tricky],
      { timeoutMs: 10_000 },
    );
    expect(stdout).toBe(tricky);
  });

  it('streams stdout to onStdout', async () => {
    const chunks: string[] = [];
    const output = await runProcess(
      node,
      script('console.log("a"); setTimeout(() => console.log("b"), 50)'),
      {
        timeoutMs: 10_000,
        onStdout: (chunk) => chunks.push(chunk),
      },
    );
    expect(chunks.join('')).toBe('a\nb\n');
    expect(output.stdout).toBe('');
  });

  it('rejects a failed run with the last line of stderr', async () => {
    const run = runProcess(
      node,
      script('console.error("warming up\\nreal problem\\n"); process.exit(3)'),
      { timeoutMs: 10_000 },
    );
    await expect(run).rejects.toThrow(ProcessFailure);
    await expect(run).rejects.toMatchObject({
      kind: 'exit',
      message: expect.stringMatching(/exited with code 3: real problem$/),
    });
  });

  it('rejects when the binary does not exist', async () => {
    await expect(
      runProcess('/nonexistent/ffmpeg', [], { timeoutMs: 10_000 }),
    ).rejects.toMatchObject({
      kind: 'spawn',
      message: expect.stringContaining('Could not start ffmpeg'),
    });
  });

  it('kills a child that runs past the timeout', async () => {
    let pid = 0;
    const started = Date.now();
    const run = runProcess(node, script('console.log(process.pid); setInterval(() => {}, 1000)'), {
      timeoutMs: 500,
      onStdout: (chunk) => (pid = Number(chunk)),
    });
    await expect(run).rejects.toMatchObject({
      kind: 'timeout',
      message: 'node did not finish within 0.5 s',
    });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(isRunning(pid)).toBe(false);
  });

  it('kills the child on abort and rejects with the reason once it has exited', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled');
    let pid = 0;
    let output = '';
    const run = runProcess(
      node,
      script('console.log("pid=" + process.pid); setInterval(() => {}, 1000)'),
      {
        timeoutMs: 60_000,
        signal: controller.signal,
        onStdout: (chunk) => {
          // Chunks may split or join lines: wait for the whole line that names the pid.
          output += chunk;
          const match = /pid=(\d+)\n/.exec(output);
          if (!match) return;
          pid = Number(match[1]);
          controller.abort(reason);
        },
      },
    );
    await expect(run).rejects.toBe(reason);
    expect(pid).toBeGreaterThan(0);
    expect(isRunning(pid)).toBe(false);
  });

  it('stops the child and rejects when onStdout throws', async () => {
    const run = runProcess(node, script('console.log("x"); setInterval(() => {}, 1000)'), {
      timeoutMs: 60_000,
      onStdout: () => {
        throw new Error('listener broke');
      },
    });
    await expect(run).rejects.toThrow('listener broke');
  });

  it('does not start when already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    await expect(
      runProcess(node, script(''), { timeoutMs: 1000, signal: controller.signal }),
    ).rejects.toThrow('too late');
  });
});

describe('lastErrorLine', () => {
  it('skips blank lines and the static build’s fontconfig warnings', () => {
    const stderr =
      'out.mp4: Is a directory\n\nFontconfig warning: "/etc/fonts/conf.d/x.conf", line 4: unknown element\n';
    expect(lastErrorLine(stderr)).toBe('out.mp4: Is a directory');
  });
});
