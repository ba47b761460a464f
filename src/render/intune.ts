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
 * through the ASCII-only literals below: a non-ASCII UTF-16 code unit is spliced in as [char]0xNNNN,
 * which PowerShell 2.0 and later evaluate to exactly that character.
 */
import { psPascalIdentifier, psSingleQuoted } from '../formats/powershell.js';
import type { ProfilePlan, TargetPlan } from '../resolve/plan.js';
import { describeArchitecture } from './describe.js';
import { renderTemplate } from './engine.js';
import { scriptDataModel, type PsLiterals } from './scripts.js';

/** Intune keeps at most this many characters of a script's output (remediations.md). */
export const INTUNE_OUTPUT_LIMIT = 2048;

export function intuneFileNames(profileId: string): { detect: string; remediate: string } {
  const name = psPascalIdentifier(profileId);
  return { detect: `Detect-${name}.ps1`, remediate: `Remediate-${name}.ps1` };
}

/** The targets Intune Remediations can run on (windows.yaml channels.intune). */
export function intuneTargets(profile: ProfilePlan): TargetPlan[] {
  return profile.targets.filter((plan) => plan.target.channels.intune.supported);
}

export function renderIntuneDetect(profile: ProfilePlan): string {
  return renderTemplate('intune/detect', intuneModel(profile));
}

export function renderIntuneRemediate(profile: ProfilePlan): string {
  return renderTemplate('intune/remediate', intuneModel(profile));
}

// ---- ASCII-only PowerShell literals ----

/**
 * Any string as an ASCII-only PowerShell expression: printable ASCII in single-quoted literals,
 * every other UTF-16 code unit (controls, non-ASCII, each half of a surrogate pair) as [char]0xNNNN.
 * `'caf' + [char]0x00E9` is a string: the expression starts with a literal so + concatenates.
 */
export function psAsciiExpression(text: string): string {
  const parts: string[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x20 && unit < 0x7f) {
      literal += text[i];
      continue;
    }
    if (literal !== '' || parts.length === 0) parts.push(psSingleQuoted(literal));
    parts.push(`[char]0x${unit.toString(16).toUpperCase().padStart(4, '0')}`);
    literal = '';
  }
  if (literal !== '' || parts.length === 0) parts.push(psSingleQuoted(literal));
  return parts.length === 1 ? parts[0]! : `(${parts.join(' + ')})`;
}

/** `@('a', ('caf' + [char]0x00E9))` */
export function psAsciiStringArray(items: readonly string[]): string {
  return `@(${items.map(psAsciiExpression).join(', ')})`;
}

/** Comment text in ASCII: every non-ASCII code point written as <U+NNNN>. */
export function asciiCommentText(text: string): string {
  return text.replace(/[^\x20-\x7e\n]/gu, (ch) => `<U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`);
}

// ---- the model ----

/** The shared scripts/data partial's literals, ASCII-only. */
export const ASCII_LITERALS: PsLiterals = { string: psAsciiExpression, array: psAsciiStringArray };

const models = new WeakMap<ProfilePlan, ReturnType<typeof buildModel>>();

function intuneModel(profile: ProfilePlan) {
  let model = models.get(profile);
  if (!model) {
    model = buildModel(profile);
    models.set(profile, model);
  }
  return model;
}

function buildModel(profile: ProfilePlan) {
  const targets = intuneTargets(profile);
  if (targets.length === 0) throw new Error(`internal: profile ${profile.id} has no target Intune supports`);
  return {
    // The shared scripts/data partial, limited to the Intune targets, every text an ASCII-only literal.
    ...scriptDataModel(profile, targets, ASCII_LITERALS),
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
