import type { SlackCalls } from './slack-calls.js';
import { slackError } from './slack-calls.js';

/** What the app recorded about a video's Slack messages (kept in the video's origin, in Postgres). */
export interface SlackDelivery {
  teamId: string;
  channelId: string;
  /** The progress message, which becomes the final card; the video's thread hangs off it. */
  progressTs?: string;
  lastUpdateAt?: number;
  /** Scene number → its card's ts, and the version that card shows. */
  sceneTs?: Record<string, string>;
  sceneVersions?: Record<string, number>;
  /** Message key → ts, for messages posted once (scene cards, broadcasts). */
  posted?: Record<string, string>;
  /** Message key → Slack time just before a post whose answer has not been recorded yet. */
  pending?: Record<string, string>;
  /** Upload key → the file, once `files.getUploadURLExternal` gave it an id, and its permalink once shared. */
  uploads?: Record<string, { fileId: string; permalink?: string; name: string }>;
}

export type RecordDelivery = (patch: Partial<SlackDelivery>) => Promise<void>;

const METADATA_TYPE = 'reelsmith_card';

/**
 * Posts a message at most once per `key`. Before the post the attempt is recorded; a retry that
 * finds an attempt without its answer (the post timed out, or the process died) looks for the
 * message by its metadata in the channel or thread first, and posts only if it is not there.
 */
export async function postOnce(
  slack: SlackCalls,
  state: SlackDelivery,
  record: RecordDelivery,
  key: string,
  message: Record<string, unknown> & { channel: string; thread_ts?: string },
): Promise<string> {
  const posted = state.posted?.[key];
  if (posted) return posted;
  const since = state.pending?.[key];
  if (since) {
    const found = await findPosted(slack, message.channel, message.thread_ts, since, key);
    if (found) {
      await record({ posted: { ...state.posted, [key]: found } });
      return found;
    }
  }
  await record({ pending: { ...state.pending, [key]: (Date.now() / 1000 - 2).toFixed(6) } });
  const answer = await slack.call('chat.postMessage', {
    ...message,
    metadata: { event_type: METADATA_TYPE, event_payload: { key } },
  });
  const ts = String(answer.ts);
  const { [key]: _done, ...pending } = state.pending ?? {};
  await record({ posted: { ...state.posted, [key]: ts }, pending });
  return ts;
}

async function findPosted(
  slack: SlackCalls,
  channel: string,
  threadTs: string | undefined,
  since: string,
  key: string,
): Promise<string | undefined> {
  const answer = threadTs
    ? await slack.call('conversations.replies', { channel, ts: threadTs, oldest: since, include_all_metadata: true })
    : await slack.call('conversations.history', { channel, oldest: since, include_all_metadata: true, limit: 200 });
  const messages = (answer.messages as Array<{ ts: string; metadata?: { event_payload?: { key?: string } } }>) ?? [];
  return messages.find((message) => message.metadata?.event_payload?.key === key)?.ts;
}

/**
 * Uploads a file into a channel or thread with the external flow, at most once per `key`: the file id
 * is recorded before completing, so a retry after a timed-out completion asks `files.info` whether the
 * file is already shared there (or completed) before completing again, and never shares it twice.
 */
export async function uploadOnce(
  slack: SlackCalls,
  state: SlackDelivery,
  record: RecordDelivery,
  key: string,
  file: { name: string; title: string; bytes: Buffer; channel: string; threadTs?: string; comment?: string },
): Promise<{ permalink: string; name: string }> {
  const known = state.uploads?.[key];
  if (known?.permalink) return { permalink: known.permalink, name: known.name };
  if (known) {
    const info = await fileInfo(slack, known.fileId);
    if (info?.shared) return done(known.fileId, info.permalink);
    if (info) {
      const completed = await complete(known.fileId).catch((error: unknown) => {
        if (slackError(error) === 'already_completed') return 'already';
        throw error;
      });
      if (completed) return done(known.fileId, (await fileInfo(slack, known.fileId))?.permalink ?? '');
    }
  }
  const target = await slack.call('files.getUploadURLExternal', { filename: file.name, length: file.bytes.length });
  const fileId = String(target.file_id);
  await record({ uploads: { ...state.uploads, [key]: { fileId, name: file.name } } });
  await slack.upload(String(target.upload_url), file.bytes);
  await complete(fileId);
  return done(fileId, (await fileInfo(slack, fileId))?.permalink ?? '');

  function complete(fileId: string) {
    return slack.call('files.completeUploadExternal', {
      files: [{ id: fileId, title: file.title }],
      channel_id: file.channel,
      ...(file.threadTs ? { thread_ts: file.threadTs } : {}),
      ...(file.comment ? { initial_comment: file.comment } : {}),
    });
  }
  async function done(fileId: string, permalink: string) {
    await record({ uploads: { ...state.uploads, [key]: { fileId, name: file.name, permalink } } });
    return { permalink, name: file.name };
  }
  async function fileInfo(calls: SlackCalls, fileId: string) {
    try {
      const answer = await calls.call('files.info', { file: fileId });
      const info = answer.file as { permalink?: string; channels?: string[] };
      const shared = (info.channels ?? []).includes(file.channel);
      return { permalink: info.permalink ?? '', shared };
    } catch (error) {
      if (slackError(error) === 'file_not_found') return undefined;
      throw error;
    }
  }
}
