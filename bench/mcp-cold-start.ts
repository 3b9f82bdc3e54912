import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

/**
 * Cold start of the stdio MCP server, as a host (Claude Desktop, the Inspector CLI) starts it on
 * demand: spawn → `initialize` answered → `tools/list` answered, then the first call that needs the
 * database (`get_video`). Ours is `reelsmith-mcp` as hosts run it (the bin: the database opens in the
 * background); the baseline is the same server opening its database before it connects
 * (bench/mcp-eager-server.ts), measured in the same run. On a new DATA_DIR (the embedded database
 * is created) and on one that exists, with the server's RSS at tools/list and its peak; then the
 * Inspector CLI's `--method tools/list`, start to exit, on a new DATA_DIR. Goal: tools/list ≤ 1.5 s.
 */
const ROOT = join(import.meta.dirname, '..');
/** Node arguments of each server on `dataDir` (the bin reads DATA_DIR from its environment, the baseline takes it as an argument). */
const SERVERS = {
  lazy: (_dataDir: string) => ['mcp-server/bin/reelsmith-mcp.js'],
  eager: (dataDir: string) => ['--import', 'tsx', 'bench/mcp-eager-server.ts', dataDir],
} as const;
const INSPECTOR = join(ROOT, 'node_modules/@modelcontextprotocol/inspector/cli/build/cli.js');
const RUNS = 3;

interface ColdStart {
  initializeMs: number;
  toolsListMs: number;
  firstDatabaseCallMs: number;
  rssAtToolsListMb: number;
  peakMb: number;
}

export async function benchMcpColdStart(): Promise<string[]> {
  const root = await mkdtemp(join(tmpdir(), 'reelsmith-bench-mcp-'));
  try {
    const fresh = { lazy: [] as ColdStart[], eager: [] as ColdStart[] };
    const warm = { lazy: [] as ColdStart[], eager: [] as ColdStart[] };
    for (let run = 0; run < RUNS; run++) {
      for (const name of ['lazy', 'eager'] as const) {
        const dataDir = join(root, `${name}-${run}`);
        fresh[name].push(await coldStart(SERVERS[name](dataDir), dataDir));
        warm[name].push(await coldStart(SERVERS[name](dataDir), dataDir));
      }
    }
    const inspectorOn = (name: keyof typeof SERVERS) => {
      const dataDir = join(root, `inspector-${name}`);
      return inspectorToolsList(['node', ...SERVERS[name](dataDir)], dataDir);
    };
    const inspector = { lazy: await inspectorOn('lazy'), eager: await inspectorOn('eager') };
    return [
      `mcp stdio cold start: spawn → initialize → tools/list, median of ${RUNS} (goal tools/list ≤ 1.5 s)`,
      ...rows('new DATA_DIR', fresh),
      ...rows('existing DATA_DIR', warm),
      `  Inspector CLI --method tools/list, start to exit, new DATA_DIR: ${seconds(inspector.lazy)} (database opened first: ${seconds(inspector.eager)}; ratio ${(inspector.lazy / inspector.eager).toFixed(2)})`,
    ];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

function rows(label: string, runs: { lazy: ColdStart[]; eager: ColdStart[] }): string[] {
  const lazy = medianOf(runs.lazy);
  const eager = medianOf(runs.eager);
  const row = (name: string, r: ColdStart) =>
    `    ${name.padEnd(30)} initialize ${seconds(r.initializeMs)}  tools/list ${seconds(r.toolsListMs)}  first database call ${seconds(r.firstDatabaseCallMs)}  RSS at tools/list ${String(r.rssAtToolsListMb).padStart(4)} MB  peak ${String(r.peakMb).padStart(4)} MB`;
  return [
    `  ${label}`,
    row('reelsmith-mcp', lazy),
    row('database opened first (before)', eager),
    `    tools/list ratio ours / before: ${(lazy.toolsListMs / eager.toolsListMs).toFixed(2)}; first database call: ${(lazy.firstDatabaseCallMs / eager.firstDatabaseCallMs).toFixed(2)}`,
  ];
}

/** What a host gives a server it starts: the SDK's default environment (PATH, …) plus the data folder; nothing of this shell. */
function serverEnvironment(dataDir: string): Record<string, string> {
  return { ...getDefaultEnvironment(), HOME: dataDir, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
}

async function coldStart(args: string[], dataDir: string): Promise<ColdStart> {
  const env = serverEnvironment(dataDir);
  const started = performance.now();
  const transport = new StdioClientTransport({ command: process.execPath, args, env, cwd: ROOT, stderr: 'ignore' });
  const client = new Client({ name: 'bench-cold-start', version: '0.0.0' });
  try {
    await client.connect(transport);
    const initializeMs = performance.now() - started;
    await client.listTools();
    const toolsListMs = performance.now() - started;
    const atToolsList = await memoryOf(transport.pid);
    const answer = await client.callTool({ name: 'get_video', arguments: { video_id: randomUUID() } });
    if (!JSON.stringify(answer.content).includes('found for you'))
      throw new Error(`get_video: ${JSON.stringify(answer)}`);
    const firstDatabaseCallMs = performance.now() - started;
    const end = await memoryOf(transport.pid);
    return { initializeMs, toolsListMs, firstDatabaseCallMs, rssAtToolsListMb: atToolsList.rssMb, peakMb: end.peakMb };
  } finally {
    await client.close();
  }
}

/** The Inspector CLI as the issue timed it: `inspector --cli <server> --method tools/list`, start to exit. */
function inspectorToolsList(server: string[], dataDir: string): Promise<number> {
  const started = performance.now();
  const env = serverEnvironment(dataDir);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [INSPECTOR, '--cli', ...server, '--method', 'tools/list'],
      { cwd: ROOT, env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => {
        if (error) reject(error);
        else if (!stdout.includes('"create_video"')) reject(new Error(`Inspector CLI listed no tools: ${stdout}`));
        else resolve(performance.now() - started);
      },
    );
  });
}

async function memoryOf(pid: number | null): Promise<{ rssMb: number; peakMb: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

function medianOf(runs: ColdStart[]): ColdStart {
  const median = (pick: (r: ColdStart) => number) => {
    const sorted = runs.map(pick).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? 0;
  };
  return {
    initializeMs: median((r) => r.initializeMs),
    toolsListMs: median((r) => r.toolsListMs),
    firstDatabaseCallMs: median((r) => r.firstDatabaseCallMs),
    rssAtToolsListMb: median((r) => r.rssAtToolsListMb),
    peakMb: median((r) => r.peakMb),
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await benchMcpColdStart()) console.log(line);
  process.exit(0);
}
