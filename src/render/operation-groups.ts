/**
 * Formats that serve every target from one file (DSC, GPP) need each distinct registry operation
 * once, with the target variants it applies to. Both group the same way, here.
 */
import { displayData, valueNameIdentity, windowsUpperInvariant } from '../model/registry.js';
import type { ProfilePlan, RegistryOperation } from '../resolve/plan.js';

/** Identity of an operation's effect: keys and value names compare case-insensitively, as in Windows. */
export function operationIdentity(op: RegistryOperation): string {
  const key = windowsUpperInvariant(`${op.hive}\\${op.path}`);
  if (op.action === 'delete-key') return `delete-key|${key}`;
  if (op.action === 'delete-value') return `delete-value|${key}|${valueNameIdentity(op.name)}`;
  return `set|${key}|${valueNameIdentity(op.name)}|${op.value.type}|${displayData(op.value)}`;
}

export interface DistinctOperation {
  readonly op: RegistryOperation;
  readonly variantIds: readonly string[];
}

/** Grouped once per plan and kind: DSC and GPP (and the GPO backup through GPP) each ask for both. */
const grouped = new WeakMap<ProfilePlan, { apply?: readonly DistinctOperation[]; rollback?: readonly DistinctOperation[] }>();

/** Each distinct apply (or rollback) operation once, in plan order, with the variants it applies to. */
export function distinctOperations(profile: ProfilePlan, kind: 'apply' | 'rollback'): readonly DistinctOperation[] {
  const known = grouped.get(profile) ?? {};
  grouped.set(profile, known);
  known[kind] ??= groupOperations(profile, kind);
  return known[kind];
}

function groupOperations(profile: ProfilePlan, kind: 'apply' | 'rollback'): DistinctOperation[] {
  const byIdentity = new Map<string, { op: RegistryOperation; variantIds: string[] }>();
  for (const plan of profile.targets) {
    for (const op of kind === 'apply' ? plan.apply : plan.rollback) {
      const identity = operationIdentity(op);
      const entry = byIdentity.get(identity) ?? { op, variantIds: [] };
      entry.variantIds.push(plan.variantId);
      byIdentity.set(identity, entry);
    }
  }
  return [...byIdentity.values()];
}
