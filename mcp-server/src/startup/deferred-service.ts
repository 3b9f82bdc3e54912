import type { VideoService } from '@reelsmith/core';

/** The verbs that need no database (what `openCatalog` returns). */
export type Catalog = Pick<VideoService, 'plan' | 'estimate' | 'listModels' | 'listFlavors'>;

/**
 * A VideoService usable before the app behind it is open. The catalog verbs (plan, estimate, models,
 * flavors) need no database and answer from `catalog` at once; every other verb waits for
 * `service()` (the app opening in the background) and rejects with its failure when it cannot open.
 * The compiler checks every verb is here: a new VideoService method must be added below.
 */
export function deferVideoService(catalog: Catalog, service: () => Promise<VideoService>): VideoService {
  return {
    plan: (req) => catalog.plan(req),
    estimate: (req) => catalog.estimate(req),
    listModels: () => catalog.listModels(),
    listFlavors: () => catalog.listFlavors(),
    create: async (...args) => (await service()).create(...args),
    render: async (...args) => (await service()).render(...args),
    estimateRender: async (...args) => (await service()).estimateRender(...args),
    get: async (...args) => (await service()).get(...args),
    list: async (...args) => (await service()).list(...args),
    regenerateScene: async (...args) => (await service()).regenerateScene(...args),
    lipsyncScene: async (...args) => (await service()).lipsyncScene(...args),
    restitch: async (...args) => (await service()).restitch(...args),
    approve: async (...args) => (await service()).approve(...args),
    cancel: async (...args) => (await service()).cancel(...args),
    addAsset: async (...args) => (await service()).addAsset(...args),
    createCharacterReferences: async (...args) => (await service()).createCharacterReferences(...args),
    pickCharacterReference: async (...args) => (await service()).pickCharacterReference(...args),
    listAssets: async (...args) => (await service()).listAssets(...args),
    showAsset: async (...args) => (await service()).showAsset(...args),
    renameAsset: async (...args) => (await service()).renameAsset(...args),
    tagAsset: async (...args) => (await service()).tagAsset(...args),
    deleteAsset: async (...args) => (await service()).deleteAsset(...args),
    searchAssets: async (...args) => (await service()).searchAssets(...args),
    async *events(videoId, signal) {
      yield* (await service()).events(videoId, signal);
    },
    settled: async (...args) => (await service()).settled(...args),
    startLink: async (...args) => (await service()).startLink(...args),
    completeLink: async (...args) => (await service()).completeLink(...args),
    unlink: async (...args) => (await service()).unlink(...args),
    account: async (...args) => (await service()).account(...args),
    tasks: {
      open: async (...args) => (await service()).tasks.open(...args),
      openRefused: async (...args) => (await service()).tasks.openRefused(...args),
      get: async (...args) => (await service()).tasks.get(...args),
      list: async (...args) => (await service()).tasks.list(...args),
      cancel: async (...args) => (await service()).tasks.cancel(...args),
    },
    delivery: {
      get: async (...args) => (await service()).delivery.get(...args),
      record: async (...args) => (await service()).delivery.record(...args),
      file: async (...args) => (await service()).delivery.file(...args),
    },
  };
}
