// Handler stub generation: the public entry points.
export { generateHandler } from './generateHandler';
export { parseSerializedEvent } from './captureInput';
export { sampleTypes } from './sampleCaptures';
export * from './types';
export { writeGeneratedFiles, type WriteOptions } from './writeFiles';
