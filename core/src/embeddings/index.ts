export { createLocalEmbeddingProvider, embedImage, PERCEPTUAL_DIMENSIONS, PERCEPTUAL_MODEL } from './perceptual.js';
export * from './types.js';
