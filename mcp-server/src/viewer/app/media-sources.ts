import type { MediaRef } from '../viewer-meta.js';

/** Reads a resource through the host (`resources/read`), as `App.readServerResource` does. */
export type ReadResource = (
  uri: string,
) => Promise<{ contents: Array<{ uri: string; mimeType?: string; blob?: string; text?: string }> }>;

export interface MediaSources {
  /**
   * Points `element`'s `attribute` (src, poster) at `ref`, or clears it. An element already showing
   * `ref.name` is left alone (so polling never restarts a playing video, though signed URLs change).
   */
  attach(element: HTMLElement, attribute: 'src' | 'poster', ref: MediaRef | null): void;
}

/**
 * Where the sandboxed view gets bytes: http(s) URIs load directly (their origins are in the CSP's
 * resourceDomains); `reelsmith://` resources are read through the host once each and played as
 * `data:` URLs, which the default MCP Apps CSP allows (`media-src 'self' data:`). Never `file://`.
 */
export function createMediaSources(read: ReadResource, onError: (message: string) => void): MediaSources {
  const dataUrls = new Map<string, Promise<string>>();

  const dataUrlOf = (ref: MediaRef): Promise<string> => {
    let pending = dataUrls.get(ref.uri);
    if (!pending) {
      pending = read(ref.uri).then((result) => {
        const content = result.contents[0];
        if (!content?.blob) throw new Error(`${ref.uri} came back without a blob`);
        return `data:${content.mimeType ?? ref.mime_type};base64,${content.blob}`;
      });
      pending.catch(() => dataUrls.delete(ref.uri));
      dataUrls.set(ref.uri, pending);
    }
    return pending;
  };

  return {
    attach(element, attribute, ref) {
      const key = `media${attribute}`;
      if ((element.dataset[key] ?? '') === (ref?.name ?? '')) return;
      element.dataset[key] = ref?.name ?? '';
      if (!ref) {
        element.removeAttribute(attribute);
        return;
      }
      if (/^https?:/.test(ref.uri)) {
        element.setAttribute(attribute, ref.uri);
        return;
      }
      dataUrlOf(ref).then(
        (url) => {
          if (element.dataset[key] === ref.name) element.setAttribute(attribute, url);
        },
        (error: unknown) => onError(`Could not load ${ref.name}: ${error instanceof Error ? error.message : error}`),
      );
    },
  };
}
