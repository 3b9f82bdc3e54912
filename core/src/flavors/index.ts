/** Flavors: named folders of prompt templates and parameters (`core/flavors/<name>/`, DESIGN.md §3). */
export type { DiscoverFlavorsOptions, Flavor, FlavorCatalog, FlavorInfo } from './catalog.js';
export { DEFAULT_FLAVOR, discoverFlavors, FLAVOR_NAME_PATTERN, getFlavor, listFlavors } from './catalog.js';
export type { FlavorMeta, FlavorParameters, FlavorPart, FlavorPrompts } from './schema.js';
export {
  DIRECTION_SLOTS,
  FLAVOR_FILES,
  FLAVOR_META_FILE,
  FlavorMetaSchema,
  FlavorParametersSchema,
  FlavorPromptsSchema,
  SCENE_DESCRIPTION_SLOTS,
} from './schema.js';
export type { TemplateValues } from './template.js';
export { fillTemplate, templateSchema, templateSlots, tidyText } from './template.js';
export type { FileLocation } from './yaml-file.js';
