import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./app/main.ts', import.meta.url));
const TEMPLATE = new URL('./app/video.html', import.meta.url);
const PLACEHOLDER = '/*REELSMITH_VIEWER_SCRIPT*/';

let built: Promise<string> | undefined;

/**
 * The viewer as one self-contained HTML document: `app/video.html` with `app/main.ts` and its
 * dependencies (the ext-apps `App` client, the SDK's schemas, zod) bundled into an inline script
 * by esbuild, from the installed node_modules. Built on first use and kept for the process (about
 * a second, once); a failed build is retried on the next call.
 */
export function viewerHtml(): Promise<string> {
  built ??= buildViewerHtml().catch((error: unknown) => {
    built = undefined;
    throw error;
  });
  return built;
}

async function buildViewerHtml(): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const script = result.outputFiles[0]?.text ?? '';
  // Inline: nothing in the bundle may close the <script> element early.
  const safe = script.replace(/<\/(script)/gi, '<\\/$1');
  const template = await readFile(TEMPLATE, 'utf8');
  if (!template.includes(PLACEHOLDER)) throw new Error(`${TEMPLATE.pathname} lost its ${PLACEHOLDER} placeholder`);
  return template.replace(PLACEHOLDER, () => safe);
}
