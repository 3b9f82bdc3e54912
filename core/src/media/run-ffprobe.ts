import { spawn } from 'node:child_process';
import { PermanentError } from '../errors.js';
import { abortReason } from './run-ffmpeg.js';

/** How an ffprobe run ended: its exit code and everything it printed. */
export interface FfprobeOutput {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs ffprobe with `args` and collects its output. fluent-ffmpeg's own ffprobe cannot be killed, so
 * this spawns the resolved binary directly. A non-zero exit is returned, not thrown: the caller knows
 * whether it means bad input.
 * @throws the signal's reason after SIGKILLing ffprobe when aborted; PermanentError when ffprobe cannot start.
 */
export function runFfprobe(ffprobePath: string, args: readonly string[], signal?: AbortSignal): Promise<FfprobeOutput> {
  return new Promise<FfprobeOutput>((resolvePromise, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const child = spawn(ffprobePath, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let failure: unknown;
    const onAbort = (): void => {
      child.kill('SIGKILL');
    };
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      failure = new PermanentError(`Cannot run ffprobe (${ffprobePath}): ${error.message}`, { cause: error });
    });
    child.on('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) reject(abortReason(signal));
      else if (failure) reject(failure);
      else
        resolvePromise({
          code,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
        });
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
