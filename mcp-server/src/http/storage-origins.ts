import type { Config } from '@reelsmith/core';

/**
 * The origins presigned S3 URLs of this deployment start with, for the viewer's CSP: path-style
 * (MinIO, `S3_FORCE_PATH_STYLE`) puts the bucket in the path of the endpoint; virtual-hosted style
 * puts it in the host name (`{bucket}.s3.{region}.amazonaws.com` on AWS). Buckets with dots in their
 * name are listed both ways. None for local storage.
 */
export function storageOrigins(s3: Config['s3']): string[] {
  if (!s3) return [];
  const endpoint = new URL(s3.endpoint ?? `https://s3.${s3.region}.amazonaws.com`);
  const pathStyle = endpoint.origin;
  const hostStyle = `${endpoint.protocol}//${s3.bucket}.${endpoint.host}`;
  if (s3.forcePathStyle) return [pathStyle];
  return s3.bucket.includes('.') ? [hostStyle, pathStyle] : [hostStyle];
}
