/**
 * Rules about the profile's own entries rather than the values: exceptions past their date (TG007)
 * and settings or prerequisites that apply on none of the profile's targets (TG008).
 */
import { joinPointer } from '../diagnostics.js';
import type { ProfileContext } from './context.js';
import { namedList } from './findings.js';

/**
 * TG007: an exception is a promise to put the setting back by `until` (inclusive). After that day
 * the profile still leaves the setting out, which nobody agreed to any more.
 */
export function exceptionsAreStillValid(context: ProfileContext): void {
  for (const { value: exception, file, pointer } of context.profile.exceptions) {
    if (!(exception.until < context.today)) continue;
    const ticket = exception.ticket ? `, ticket ${exception.ticket}` : '';
    const where = exception.targets ? ` on ${exception.targets.join(', ')}` : '';
    context.report(
      'TG007',
      { file, pointer: joinPointer(pointer, 'until') },
      {
        setting: exception.setting,
        message:
          `the exception for setting ${exception.setting}${where} in profile ${context.plan.id} expired on ${exception.until} (today is ${context.today}${ticket}): ` +
          'remove it so the setting applies again, or give it a later until with the reason it is still needed',
      },
    );
  }
}

/**
 * TG008: a listed setting with no values on any target, or a prerequisite that no planned setting
 * needs where it applies, does nothing: usually a `when` or a target list that does not say what
 * the author meant.
 */
export function everyEntryAppliesSomewhere(context: ProfileContext): void {
  settingsThatApplyNowhere(context);
  prerequisitesThatApplyNowhere(context);
}

/**
 * Inherited settings too: a setting that writes nothing anywhere is worth telling even when the
 * parent listed it (the child narrowed the targets under it); the message says where it comes from.
 */
function settingsThatApplyNowhere(context: ProfileContext): void {
  const accounted = new Set(
    context.plan.targets.flatMap((t) => [
      ...[...t.apply, ...t.skipped].map((op) => op.setting.id),
      // Left out on purpose on this target: an exception or a `remove` says why.
      ...t.exceptions.map((e) => e.setting),
      ...t.removed.map((r) => r.setting),
      ...t.omittedByPolicy.map((op) => op.setting.id),
    ]),
  );
  const seen = new Set<string>();
  for (const { value: setting, profile, file, pointer } of context.profile.settings) {
    if (seen.has(setting) || accounted.has(setting)) continue;
    seen.add(setting);
    const inherited = profile !== context.plan.id;
    context.report(
      'TG008',
      { file, pointer },
      {
        setting,
        message:
          `setting ${setting}${inherited ? ` (inherited from ${profile})` : ''} has no values on any target of profile ${context.plan.id} ` +
          `(${targetList(context)}): its when selects none of them; ` +
          (inherited
            ? `leave it out with remove: [{ setting: ${setting}, reason: ... }], or add a target it applies to`
            : 'remove it from the profile or add a target it applies to'),
      },
    );
  }
}

/**
 * Only the profile that declares a prerequisite (its own `prerequisites` entry, which also replaces an
 * inherited one with the same id) is told about it: a child that narrows `targets` leaves out the
 * parent's prerequisites for the Windows versions it dropped, as it should, and the parent's entry is
 * judged when the parent is linted.
 */
function prerequisitesThatApplyNowhere(context: ProfileContext): void {
  const planned = new Set(context.plan.targets.flatMap((t) => t.prerequisites.map((p) => p.id)));
  for (const { value: prerequisite, profile, file, pointer } of context.profile.prerequisites) {
    if (profile !== context.plan.id || planned.has(prerequisite.id)) continue;
    context.report(
      'TG008',
      { file, pointer },
      {
        message:
          `prerequisite ${prerequisite.id} of profile ${context.plan.id} applies on no target: none of the settings it is requiredBy ` +
          `(${prerequisite.requiredBy.join(', ')}) has values on a target its when selects, so nothing can meet it; ` +
          'correct its when or requiredBy, or remove it',
      },
    );
  }
}

function targetList(context: ProfileContext): string {
  return namedList(context.plan.targets.map((t) => t.variantId));
}
