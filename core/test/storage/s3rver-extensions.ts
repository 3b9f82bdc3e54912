import { createRequire } from 'node:module';

/**
 * Two S3 behaviours s3rver 3.7 lacks, added in front of its own routes so tests speak S3's wire
 * format end to end:
 * - the bucket `?lifecycle` subresource (PUT / GET / DELETE; s3rver answers NotImplemented). Like S3,
 *   a PUT needs `Content-MD5` or an `x-amz-checksum-*` header and a `LifecycleConfiguration` with
 *   rules that each have an ID and a Status; a GET without one is 404 `NoSuchLifecycleConfiguration`.
 * - the `x-amz-tagging` header on PutObject and CreateMultipartUpload (s3rver ignores it): the tags
 *   are stored where s3rver's own GetObjectTagging reads them; a PUT without it clears them, and a
 *   DELETE removes them with the object.
 */

type Store = {
  getBucket(bucket: string): Promise<unknown>;
  putSubresource(bucket: string, key: string | undefined, resource: unknown): Promise<void>;
  deleteSubresource(bucket: string, key: string | undefined, type: string): Promise<void>;
};
type KoaContext = {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  get(header: string): string;
  req: NodeJS.ReadableStream;
  store: Store;
  status: number;
  body: unknown;
  type: string;
};
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
type TaggingModel = { validate(xml: string): unknown };

const { TaggingConfiguration } = createRequire(import.meta.url)('s3rver/lib/models/config') as {
  TaggingConfiguration: TaggingModel;
};

const escapeXml = (text: string) =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);

function errorXml(code: string, message: string, bucket: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message><BucketName>${escapeXml(bucket)}</BucketName></Error>`;
}

function fail(ctx: KoaContext, status: number, code: string, message: string, bucket: string): void {
  ctx.status = status;
  ctx.type = 'application/xml';
  ctx.body = errorXml(code, message, bucket);
}

async function readBody(stream: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part as Uint8Array));
  return Buffer.concat(parts).toString('utf8');
}

function taggingXml(header: string): string {
  const tags = [...new URLSearchParams(header)].map(
    ([key, value]) => `<Tag><Key>${escapeXml(key)}</Key><Value>${escapeXml(value)}</Value></Tag>`,
  );
  return `<Tagging><TagSet>${tags.join('')}</TagSet></Tagging>`;
}

/** `/bucket/key…` → bucket and decoded key (path-style addressing, as the tests use). */
function target(path: string): { bucket: string; key: string | undefined } {
  const [bucket = '', ...rest] = path.replace(/^\//, '').split('/');
  const key = rest.map(decodeURIComponent).join('/');
  return { bucket: decodeURIComponent(bucket), key: key === '' ? undefined : key };
}

const has = (ctx: KoaContext, name: string) => Object.hasOwn(ctx.query, name);

/** A request on the object itself, not on a subresource (the SDK adds `x-id=PutObject` and the like). */
const isPlainObjectRequest = (ctx: KoaContext) => Object.keys(ctx.query).every((name) => name === 'x-id');

/** Validates a lifecycle document the way S3 refuses the common mistakes. Returns the problem, if any. */
function lifecycleProblem(xml: string): string | undefined {
  if (!/^\s*(<\?xml[^>]*>\s*)?<LifecycleConfiguration[\s>]/.test(xml))
    return 'The root element must be LifecycleConfiguration';
  const rules = xml.match(/<Rule>[\s\S]*?<\/Rule>/g) ?? [];
  if (rules.length === 0) return 'A lifecycle configuration needs at least one Rule';
  for (const rule of rules) {
    if (!/<Status>(Enabled|Disabled)<\/Status>/.test(rule)) return 'Every Rule needs a Status of Enabled or Disabled';
    if (!/<ID>[^<]+<\/ID>/.test(rule)) return 'Every Rule needs an ID (tests expect Reelsmith to name its rules)';
    if (!/<Expiration>|<AbortIncompleteMultipartUpload>|<Transition>|<NoncurrentVersionExpiration>/.test(rule)) {
      return 'A Rule needs at least one action';
    }
  }
  return undefined;
}

function lifecycleMiddleware(): Middleware {
  const configs = new Map<string, string>();
  return async (ctx, next) => {
    const { bucket, key } = target(ctx.path);
    if (key !== undefined || !has(ctx, 'lifecycle')) return next();
    if (!(await ctx.store.getBucket(bucket))) {
      return fail(ctx, 404, 'NoSuchBucket', 'The specified bucket does not exist', bucket);
    }
    if (ctx.method === 'GET') {
      const xml = configs.get(bucket);
      if (xml === undefined) {
        return fail(ctx, 404, 'NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', bucket);
      }
      ctx.status = 200;
      ctx.type = 'application/xml';
      ctx.body = xml;
      return;
    }
    if (ctx.method === 'DELETE') {
      configs.delete(bucket);
      ctx.status = 204;
      ctx.body = '';
      return;
    }
    if (ctx.method !== 'PUT') return next();
    const body = await readBody(ctx.req);
    const checksummed = ctx.get('content-md5') !== '' || /x-amz-checksum-/.test(Object.keys(headersOf(ctx)).join(' '));
    if (!checksummed) {
      return fail(ctx, 400, 'InvalidRequest', 'Missing required header for this request: Content-MD5', bucket);
    }
    const problem = lifecycleProblem(body);
    if (problem) return fail(ctx, 400, 'MalformedXML', problem, bucket);
    configs.set(bucket, body);
    ctx.status = 200;
    ctx.body = '';
  };
}

function headersOf(ctx: KoaContext): Record<string, unknown> {
  return (ctx as unknown as { headers: Record<string, unknown> }).headers;
}

function objectTaggingMiddleware(): Middleware {
  const pendingUploads = new Map<string, string>();
  return async (ctx, next) => {
    const { bucket, key } = target(ctx.path);
    if (key === undefined) return next();
    const header = ctx.get('x-amz-tagging');
    const plainPut = ctx.method === 'PUT' && isPlainObjectRequest(ctx) && ctx.get('x-amz-copy-source') === '';
    if (ctx.method === 'DELETE' && isPlainObjectRequest(ctx)) {
      await ctx.store.deleteSubresource(bucket, key, 'tagging');
      return next();
    }
    await next();
    if (ctx.status !== 200) return;
    if (plainPut) {
      if (header) await ctx.store.putSubresource(bucket, key, TaggingConfiguration.validate(taggingXml(header)));
      else await ctx.store.deleteSubresource(bucket, key, 'tagging');
    } else if (ctx.method === 'POST' && has(ctx, 'uploads') && header) {
      const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(String(ctx.body))?.[1];
      if (uploadId) pendingUploads.set(uploadId, header);
    } else if (ctx.method === 'POST' && typeof ctx.query.uploadId === 'string') {
      const pending = pendingUploads.get(ctx.query.uploadId);
      pendingUploads.delete(ctx.query.uploadId);
      if (pending) await ctx.store.putSubresource(bucket, key, TaggingConfiguration.validate(taggingXml(pending)));
      else await ctx.store.deleteSubresource(bucket, key, 'tagging');
    }
  };
}

/** Puts the extensions in front of s3rver's middleware; call before `run()` (Koa composes on listen). */
export function extendS3rver(server: { middleware: Middleware[] }): void {
  server.middleware.unshift(lifecycleMiddleware(), objectTaggingMiddleware());
}
