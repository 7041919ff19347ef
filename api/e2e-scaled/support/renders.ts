import { FakeFfmpeg, fakeFfmpeg, FFMPEG } from '../../e2e/support/media';

/**
 * Prompt marker: the first render of the prompt, on whichever worker, never ends until it is
 * stopped (a job that stays mid-render while a test kills or stops its worker, or cancels it);
 * the renders after it, on any worker, are real.
 */
export const HANG_FIRST = '[hang-first]';

/** Prompt marker: the render starts SLOW_SECONDS late, a long job that leaves the CPU alone. */
export const SLOW = '[slow]';
export const SLOW_SECONDS = 10;

/**
 * The real ffmpeg, except where the prompt asks otherwise (see HANG_FIRST and SLOW). The local
 * provider runs ffmpeg in the job's work folder with the prompt in `prompt.txt`; every worker of
 * a cluster runs this one script, so "first" holds across processes.
 */
export function scaledFfmpeg(): Promise<FakeFfmpeg> {
  return fakeFfmpeg(
    [
      'if [ -f prompt.txt ]; then',
      '  case "$(cat prompt.txt)" in',
      `    *'${HANG_FIRST}'*)`,
      '      seen="$(dirname "$0")/seen-$(cksum < prompt.txt | cut -d " " -f 1)"',
      '      if [ ! -f "$seen" ]; then touch "$seen"; exec sleep 600; fi ;;',
      `    *'${SLOW}'*) sleep ${SLOW_SECONDS} ;;`,
      '  esac',
      'fi',
      `exec '${FFMPEG}' "$@"`,
    ].join('\n'),
  );
}
