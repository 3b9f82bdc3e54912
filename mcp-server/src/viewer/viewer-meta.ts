/**
 * What a video tool result carries for the viewer in `_meta["reelsmith/viewer"]`: where the
 * sandboxed view loads each file from. Shared by the server and the view (no imports: the view is
 * bundled for the browser).
 */
export const VIEWER_META_KEY = 'reelsmith/viewer';

/**
 * One file as the view loads it. `uri` is an http(s) URL declared in the viewer's CSP
 * `resourceDomains`, or a `reelsmith://videos/{id}/files/{name}` resource the view reads through
 * the host (`resources/read`, base64 blob) and plays as a `data:` URL. Never `file://`.
 * `name` changes whenever the bytes do; `uri` may change on every call (signatures, expiry).
 */
export interface MediaRef {
  name: string;
  uri: string;
  mime_type: string;
}

export interface ViewerMeta {
  final_video: MediaRef | null;
  /** The current take before music: what the player shows until the final video exists. */
  take: MediaRef | null;
  /** By 1-based scene number. */
  scenes: Record<string, { clip: MediaRef | null; storyboard: MediaRef | null }>;
}
