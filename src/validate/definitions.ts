/**
 * The definition types moved to src/definitions/types.ts (generated from the schemas, and importable
 * by model/ without a validate ⇄ model cycle). This re-export keeps older import paths working; new
 * code imports from '../definitions/types.js'.
 */
export * from '../definitions/types.js';
