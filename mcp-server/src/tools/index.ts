import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ServerDeps } from '../server-deps.js';
import { registerApproveVideoTool } from './approve-video.js';
import { registerCancelVideoTool } from './cancel-video.js';
import { registerCreateCharacterReferencesTool } from './create-character-references.js';
import { registerCreateVideoTool } from './create-video.js';
import { registerEstimateCostTool } from './estimate-cost.js';
import { registerGetVideoTool } from './get-video.js';
import { registerLinkAccountTool } from './link-account.js';
import { registerLipsyncSceneTool } from './lipsync-scene.js';
import { registerListFlavorsTool } from './list-flavors.js';
import { registerListModelsTool } from './list-models.js';
import { registerPickCharacterReferenceTool } from './pick-character-reference.js';
import { registerPlanVideoTool } from './plan-video.js';
import { registerReadAssetTools } from './read-assets.js';
import { registerRegenerateSceneTool } from './regenerate-scene.js';
import { registerRenderVideoTool } from './render-video.js';
import { registerSearchAssetsTool } from './search-assets.js';
import { registerStitchVideoTool } from './stitch-video.js';
import { registerUnlinkAccountTool } from './unlink-account.js';
import { registerWriteAssetTools } from './write-assets.js';

/** Every tool, registered by hand in the order a client lists them. */
export function registerTools(server: McpServer, deps: ServerDeps): void {
  registerPlanVideoTool(server, deps);
  registerEstimateCostTool(server, deps);
  registerCreateVideoTool(server, deps);
  registerGetVideoTool(server, deps);
  registerRegenerateSceneTool(server, deps);
  registerLipsyncSceneTool(server, deps);
  registerStitchVideoTool(server, deps);
  registerCancelVideoTool(server, deps);
  registerApproveVideoTool(server, deps);
  registerRenderVideoTool(server, deps);
  registerCreateCharacterReferencesTool(server, deps);
  registerPickCharacterReferenceTool(server, deps);
  registerReadAssetTools(server, deps);
  registerWriteAssetTools(server, deps);
  registerSearchAssetsTool(server, deps);
  registerListModelsTool(server, deps);
  registerListFlavorsTool(server, deps);
  registerLinkAccountTool(server, deps);
  registerUnlinkAccountTool(server, deps);
}
