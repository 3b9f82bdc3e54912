import type { FileLocation } from '../flavors/yaml-file.js';
import type { Logger } from '../log.js';
import type { BeatLibrary } from './library.js';

/** What the planners need besides the request; each defaults to the shipped data. */
export interface PlannerDeps {
  library?: BeatLibrary | undefined;
  /** The flavors root folder (tests); default `core/flavors/`. */
  flavorsRoot?: FileLocation | undefined;
  /** Receives the warning when an unknown flavor falls back to `default`. */
  log?: Logger | undefined;
}
