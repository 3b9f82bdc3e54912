import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { listWorksByStatus } from '../../db/works.js';
import type { EventNotifier } from '../../events/types.js';
import { admitWaitingWorks } from '../../jobs/admission.js';
import type { PipelineDeps } from '../../pipeline/context.js';
import { advanceWork, kickWork } from './advance.js';
import { relayUnqueuedEvents } from './notifier.js';
import type { QueueRuntime } from './runtime.js';

export interface RecoveryReport {
  /** Running works re-advanced (jobs re-added where Redis had none). */
  running: number;
  /** Waiting works that were let in. */
  admitted: number;
  /** Events handed to their notification queue late. */
  relayed: number;
}

/**
 * Postgres is the record of truth; this makes Redis agree with it. Every queue work Postgres says is
 * running is advanced in repair mode (a ready step without a live job gets one; a finished job of an
 * unsettled step is replaced), every owner with waiting works gets their line re-checked, and events
 * that never reached their notification queue are relayed. Safe at any time, on any number of
 * workers at once: step idempotency and job ids make repeats harmless.
 */
export async function recoverWorks(
  runtime: QueueRuntime,
  deps: PipelineDeps,
  notifier: EventNotifier,
): Promise<RecoveryReport> {
  const running = await listWorksByStatus(deps.db, 'running', 'queue');
  for (const work of running) {
    try {
      await advanceWork(runtime, deps, work.id, { repair: true });
    } catch (error) {
      deps.log.warn({ err: error, workId: work.id }, 'recovery could not advance a work');
    }
  }
  let admitted = 0;
  for (const userId of await usersWaiting(deps.db)) {
    for (const work of await admitWaitingWorks(deps, userId)) {
      await kickWork(runtime, work.id);
      admitted += 1;
    }
  }
  const relayed = await relayUnqueuedEvents(deps.db, notifier);
  return { running: running.length, admitted, relayed };
}

async function usersWaiting(db: Kysely<Database>): Promise<string[]> {
  const waiting = await listWorksByStatus(db, 'waiting', 'queue');
  return [...new Set(waiting.map((work) => work.user_id))];
}
