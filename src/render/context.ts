/**
 * What the renderers of one profile share, made once per profile by renderProfileFiles
 * (artifacts.ts) and passed to the renderers that need it. Nothing is cached between profiles,
 * calls or processes behind a renderer's back: whatever is rendered once lives here, in the open.
 */
import type { ProfilePlan, TargetPlan } from '../resolve/plan.js';
import { utf8NoBomCrlf } from '../formats/text-encoding.js';
import { type GppOptions, renderGppRegistryXml } from './gpp.js';
import { type RegFilePair, renderRegFiles } from './reg-file.js';

export interface RenderContext {
  readonly profileId: string;
  /**
   * Each target variant's .reg pair (by variant id), rendered and encoded once: the reg format
   * writes exactly these bytes and the scripts embed the SHA-256 of exactly these bytes.
   */
  readonly regFiles: ReadonlyMap<string, RegFilePair>;
  /** The GPP Registry.xml that applies the profile, made when first asked for: gpp/ and the GPO backup carry the same bytes. */
  readonly gppApplyBytes: () => Uint8Array;
}

export function createRenderContext(profile: ProfilePlan): RenderContext {
  let gppApply: Uint8Array | undefined;
  return {
    profileId: profile.id,
    regFiles: new Map(profile.targets.map((plan) => [plan.variantId, renderRegFiles(profile, plan)])),
    gppApplyBytes: () => {
      gppApply ??= utf8NoBomCrlf(renderGppRegistryXml(profile, 'apply', gppOptions(profile)));
      return gppApply;
    },
  };
}

/** Display-only dates from the profile's `updated`, never from the clock. */
export function gppOptions(profile: ProfilePlan): GppOptions {
  return { removePolicy: profile.gppRemovePolicy, changed: profile.updated === null ? null : `${profile.updated} 00:00:00` };
}

/** The .reg pair of one of the context's targets. */
export function regFilesOf(context: RenderContext, plan: TargetPlan): RegFilePair {
  const files = context.regFiles.get(plan.variantId);
  if (!files) throw new Error(`internal: the render context of ${context.profileId} has no .reg files for ${plan.variantId}`);
  return files;
}
