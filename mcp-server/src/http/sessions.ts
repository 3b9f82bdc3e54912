import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { ReelsmithMcpServer } from '../server.js';

export interface Session {
  transport: StreamableHTTPServerTransport;
  app: ReelsmithMcpServer;
  /** The user the session was opened for; requests from anyone else never reach it. */
  userId: string;
  lastSeen: number;
}

/** Open MCP sessions by id, each with its own server instance; idle ones are closed. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  get size(): number {
    return this.sessions.size;
  }

  add(id: string, session: Session): void {
    this.sessions.set(id, session);
  }

  /** The session `id` of `userId` (touching it), or undefined: another user's session is as good as unknown. */
  find(id: string, userId: string): Session | undefined {
    const session = this.sessions.get(id);
    if (session?.userId !== userId) return undefined;
    session.lastSeen = Date.now();
    return session;
  }

  /** Forgets the session and closes its server (and so its transport). Idempotent. */
  async close(id: string): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    await session.app.close();
  }

  async closeIdle(idleMs: number, now = Date.now()): Promise<void> {
    const idle = [...this.sessions].filter(([, session]) => now - session.lastSeen > idleMs).map(([id]) => id);
    await Promise.all(idle.map((id) => this.close(id)));
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id)));
  }
}
