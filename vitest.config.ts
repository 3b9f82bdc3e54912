import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{core,worker,bots,mcp-server}/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
