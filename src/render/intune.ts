/**
 * Intune Remediations: per profile a self-contained detection and remediation script pair
 * (intune/Detect-<Name>.ps1, intune/Remediate-<Name>.ps1). Intune cannot pass parameters and ships
 * single scripts, so the plan is embedded (no .reg files): the shared scripts/data partial (targets,
 * plans, Get-TlsgenTarget, prerequisite detection) plus templates/intune/.
 *
 * Only targets whose catalogue entry says channels.intune.supported are embedded (Remediations run
 * on Windows 10/11 only); every other Windows version is "Not applicable". A profile with no such
 * target gets no pair.
 *
 * Intune's rules (MicrosoftDocs/memdocs, memdocs/intune/fundamentals/remediations.md,
 * https://learn.microsoft.com/intune/intune-service/fundamentals/remediations): the files are ASCII
 * without BOM (formats/text-encoding.ts asciiCrlf), so every text from the definitions enters them
 * through formats/powershell.ts's ASCII-only literals (ASCII_LITERALS, asciiCommentText): a non-ASCII
 * UTF-16 code unit is spliced in as [char]0xNNNN, which PowerShell 2.0 and later evaluate to exactly
 * that character.
 */
import { ASCII_LITERALS, asciiCommentText, psPascalIdentifier } from '../formats/powershell.js';
import type { ProfilePlan, TargetPlan } from '../resolve/plan.js';
import { type RenderContext, createRenderContext } from './context.js';
import { describeArchitecture } from './describe.js';
import { type DeepReadonly, renderTemplate, renderTemplatesSharing } from './engine.js';
import { type ScriptDataModel, scriptDataModel } from './scripts.js';

/** Intune keeps at most this many characters of a script's output (remediations.md). */
export const INTUNE_OUTPUT_LIMIT = 2048;

/** The intune/detect and intune/remediate templates' model: the shared scripts/data partial plus the header's facts. */
export type IntuneModel = ScriptDataModel &
  DeepReadonly<{
    comment: { profileId: string; title: string; covered: string; notCovered: string };
    files: { detect: string; remediate: string };
    outputLimit: string;
  }>;

export function intuneFileNames(profileId: string): { readonly detect: string; readonly remediate: string } {
  const name = psPascalIdentifier(profileId);
  return { detect: `Detect-${name}.ps1`, remediate: `Remediate-${name}.ps1` };
}

/** The targets Intune Remediations can run on (windows.yaml channels.intune). */
export function intuneTargets(profile: ProfilePlan): TargetPlan[] {
  return profile.targets.filter((plan) => plan.target.channels.intune.supported);
}

/** The detection and remediation scripts, from one model. */
export function renderIntuneScripts(profile: ProfilePlan, context: RenderContext): { readonly detect: string; readonly remediate: string } {
  const model = intuneModel(profile, context);
  // Both include the same scripts/data text: rendered once.
  const [detect, remediate] = renderTemplatesSharing(['intune/detect', 'intune/remediate'], model, 'scripts/data') as [string, string];
  return { detect, remediate };
}

/** The detection script alone; without a context, the profile's .reg files are rendered for it. */
export function renderIntuneDetect(profile: ProfilePlan, context: RenderContext = createRenderContext(profile)): string {
  return renderTemplate('intune/detect', intuneModel(profile, context));
}

function intuneModel(profile: ProfilePlan, context: RenderContext): IntuneModel {
  const targets = intuneTargets(profile);
  if (targets.length === 0) throw new Error(`internal: profile ${profile.id} has no target Intune supports`);
  return {
    // The shared scripts/data partial, limited to the Intune targets, every text an ASCII-only literal.
    ...scriptDataModel(profile, targets, ASCII_LITERALS, context),
    comment: {
      profileId: asciiCommentText(profile.id),
      title: asciiCommentText(profile.title),
      covered: asciiCommentText(targets.map((t) => `${t.variantId} (${t.target.product}, ${describeArchitecture(t.architecture)})`).join(', ')),
      notCovered: asciiCommentText(
        profile.targets
          .filter((t) => !targets.includes(t))
          .map((t) => t.variantId)
          .join(', ') || 'none',
      ),
    },
    files: intuneFileNames(profile.id),
    outputLimit: String(INTUNE_OUTPUT_LIMIT),
  };
}
