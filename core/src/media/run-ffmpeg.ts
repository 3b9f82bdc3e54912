import type { FfmpegCommand } from 'fluent-ffmpeg';
import ffmpeg from 'fluent-ffmpeg';
import { PermanentError } from '../errors.js';
import { mediaBinaries } from './binaries.js';

const STDERR_TAIL_LINES = 12;

/** What `runFfmpeg` needs besides the command. */
export interface RunFfmpegOptions {
  /** Aborting SIGKILLs ffmpeg; the promise rejects with the signal's reason once the process has exited. */
  signal?: AbortSignal | undefined;
  /** What the command does, for error messages ("concatenate 3 clips into /x/take.mp4"). */
  task: string;
}

/** A fluent-ffmpeg command bound to the resolved binaries (`mediaBinaries()`), keeping 200 lines of stderr. */
export function createFfmpegCommand(): FfmpegCommand {
  mediaBinaries();
  return ffmpeg({ stdoutLines: 200 });
}

/**
 * Adds output arguments verbatim. fluent-ffmpeg splits a lone string holding one space, so several
 * arguments are passed as separate values; a lone argument is a flag without spaces.
 */
export function addOutputArgs(command: FfmpegCommand, args: readonly string[]): FfmpegCommand {
  const [first, ...rest] = args;
  if (first === undefined) return command;
  return rest.length === 0 ? command.outputOptions(first) : command.outputOptions(first, ...rest);
}

/** Adds arguments for the current input verbatim (see `addOutputArgs`). */
export function addInputArgs(command: FfmpegCommand, args: readonly string[]): FfmpegCommand {
  const [first, ...rest] = args;
  if (first === undefined) return command;
  return rest.length === 0 ? command.inputOptions(first) : command.inputOptions(first, ...rest);
}

/**
 * Runs `command` to completion, adding `-v error -nostdin` so stderr holds only what went wrong.
 * @throws the signal's reason (an AbortError for a plain `abort()`) when aborted, after ffmpeg has exited;
 *   PermanentError carrying the cause and the tail of ffmpeg's stderr when ffmpeg fails.
 */
export function runFfmpeg(command: FfmpegCommand, options: RunFfmpegOptions): Promise<void> {
  const { signal, task } = options;
  return new Promise<void>((resolvePromise, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    let aborted = false;
    const onAbort = (): void => {
      aborted = true;
      command.kill('SIGKILL');
    };
    const settle = (error?: Error): void => {
      signal?.removeEventListener('abort', onAbort);
      if (aborted && signal) reject(abortReason(signal));
      else if (error) reject(error);
      else resolvePromise();
    };
    addOutputArgs(command, ['-v', 'error', '-nostdin']);
    command
      .on('start', () => {
        if (aborted) command.kill('SIGKILL');
      })
      .on('error', (error: Error, _stdout: string | null, stderr: string | null) => {
        settle(
          new PermanentError(`ffmpeg failed to ${task}: ${stderrTail(stderr) || error.message}`, { cause: error }),
        );
      })
      .on('end', () => settle());
    signal?.addEventListener('abort', onAbort, { once: true });
    command.run();
  });
}

/** The rejection value for an aborted signal: its reason, or a DOMException named 'AbortError'. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

function stderrTail(stderr: string | null): string {
  if (!stderr) return '';
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  return lines.slice(-STDERR_TAIL_LINES).join(' | ');
}
