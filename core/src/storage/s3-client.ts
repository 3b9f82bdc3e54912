import { S3Client } from '@aws-sdk/client-s3';

/** Where an S3 (or S3-compatible) bucket is and how to sign in to it. */
export type S3ConnectionOptions = {
  bucket: string;
  region: string;
  /** `http://127.0.0.1:9000` for MinIO or s3rver; omitted for AWS. */
  endpoint?: string;
  /** Required (true) for MinIO and s3rver. */
  forcePathStyle: boolean;
  /** Omitted: the SDK's default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
};

/**
 * The one way Reelsmith builds an S3 client: checksums only sent and validated when the operation
 * requires them (CONTRACTS.md "S3 / MinIO": some S3-compatible stores reject the SDK's default CRC32).
 */
export function createS3Client(options: S3ConnectionOptions): S3Client {
  return new S3Client({
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
  });
}
