import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A file stored through `POST /v1/files`, as Replicate describes it. */
export interface WireFile {
  id: string;
  name: string;
  content_type: string;
  size: number;
  etag: string;
  checksums: { sha256: string };
  metadata: Record<string, unknown>;
  created_at: string;
  expires_at: string;
  urls: { get: string };
}

/** The files API's storage: uploads kept on disk and served at `/files/uploads/{id}/{name}`. */
export function createUploadStore(dataDir: string, origin: string) {
  const files = new Map<string, { wire: WireFile; path: string }>();
  return {
    /** Parses a multipart body (`content`, optional `metadata`) and stores the file. Undefined without `content`. */
    async save(contentType: string, body: Buffer): Promise<WireFile | undefined> {
      const form = await new Request('http://fake.invalid/', {
        method: 'POST',
        headers: { 'content-type': contentType },
        body,
      }).formData();
      const content = form.get('content');
      if (!content || typeof content === 'string') return undefined;
      const id = randomBytes(12).toString('hex');
      const name = (content.name || 'file').replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '') || 'file';
      const bytes = Buffer.from(await content.arrayBuffer());
      const dir = join(dataDir, 'uploads', id);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, name), bytes);
      const metadataField = form.get('metadata');
      const metadata = metadataField && typeof metadataField !== 'string' ? await metadataField.text() : '{}';
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const now = Date.now();
      const wire: WireFile = {
        id,
        name,
        content_type: content.type || 'application/octet-stream',
        size: bytes.length,
        etag: sha256.slice(0, 32),
        checksums: { sha256 },
        metadata: safeJson(metadata),
        created_at: new Date(now).toISOString(),
        expires_at: new Date(now + 24 * 3_600_000).toISOString(),
        urls: { get: `${origin}/files/uploads/${id}/${encodeURIComponent(name)}` },
      };
      files.set(id, { wire, path: join(dir, name) });
      return wire;
    },
    get: (id: string) => files.get(id)?.wire,
    /** The local path of an uploaded file given its id. */
    pathOf: (id: string) => files.get(id)?.path,
    /** The local path behind one of this store's `urls.get`, else undefined. */
    pathOfUrl(url: string): string | undefined {
      if (!url.startsWith(`${origin}/files/uploads/`)) return undefined;
      const id = new URL(url).pathname.split('/')[3];
      return id ? files.get(id)?.path : undefined;
    },
  };
}

export type UploadStore = ReturnType<typeof createUploadStore>;

function safeJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
