/**
 * What the renderers of one profile share, made once per profile by renderProfileFiles
 * (artifacts.ts) and passed to the renderers that need it. Nothing is cached between profiles,
 * calls or processes behind a renderer's back: whatever is rendered once lives here, in the open.
 */
import type { ProfilePlan, TargetPlan } from '../resolve/plan.js';
import { type RegFilePair, renderRegFiles } from './reg-file.js';

export interface RenderContext {
  readonly profileId: string;
  /**
   * Each target variant's .reg pair (by variant id), rendered and encoded once: the reg format
   * writes exactly these bytes and the scripts embed the SHA-256 of exactly these bytes.
   */
  readonly regFiles: ReadonlyMap<string, RegFilePair>;
}

export function createRenderContext(profile: ProfilePlan): RenderContext {
  return {
    profileId: profile.id,
    regFiles: new Map(profile.targets.map((plan) => [plan.variantId, renderRegFiles(profile, plan)])),
  };
}

/** The .reg pair of one of the context's targets. */
export function regFilesOf(context: RenderContext, plan: TargetPlan): RegFilePair {
  const files = context.regFiles.get(plan.variantId);
  if (!files) throw new Error(`internal: the render context of ${context.profileId} has no .reg files for ${plan.variantId}`);
  return files;
}
