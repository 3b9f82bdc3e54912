export {
  autocomplete,
  buttonPress,
  type CommandOption,
  type InteractionContext,
  modalSubmit,
  slashCommand,
} from './interactions.js';
export { startFakeDiscord } from './server.js';
export type * from './types.js';
export { allComponents, COMPONENT, EPHEMERAL, IS_COMPONENTS_V2 } from './validate.js';
