/** The object tag that marks an intermediate on S3; the bucket's lifecycle rule expires objects carrying it. */
export const LIFECYCLE_TAG = { key: 'reelsmith-lifecycle', value: 'intermediate' } as const;

/** The tag as S3's `x-amz-tagging` header value (URL-query encoded). */
export const LIFECYCLE_TAGGING = `${LIFECYCLE_TAG.key}=${LIFECYCLE_TAG.value}`;
