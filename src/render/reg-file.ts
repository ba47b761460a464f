/**
 * .reg artifacts: per target variant, an apply file and a rollback file. This module shapes the
 * plan into the template's model (key blocks, header facts); templates/reg/ lays it out and
 * formats/reg.ts writes the bytes of each line.
 */
import { utf16leBomCrlf } from '../formats/text-encoding.js';
import { displayData, sameKeyName } from '../model/registry.js';
import type { RegistryOperation, ProfilePlan, TargetPlan } from '../resolve/plan.js';
import { describeArchitecture, describeBuilds, describeOperationTarget } from './describe.js';
import { type DeepReadonly, renderTemplate } from './engine.js';

export interface KeyBlock {
  readonly hive: string;
  readonly path: string;
  readonly deleteKey: boolean;
  readonly operations: readonly RegistryOperation[];
}

/** The reg/file template's model. */
export type RegFileModel = DeepReadonly<{
  profile: ProfilePlan;
  plan: TargetPlan;
  files: { apply: string; rollback: string };
  x64: boolean;
  targetLine: string;
  setCount: number;
  deleteCount: number;
  modeLine: string;
  skipped: { text: string; source: string }[];
  prerequisites: { id: string; title: string; url: string; neededBy: string }[];
  rebootNotes: string[];
  settings: ProfilePlan['settings'];
  rollback: boolean;
  blocks: KeyBlock[];
}>;

/** One .reg file as written: its name in the profile's reg/ folder and its bytes (UTF-16LE + BOM + CRLF). */
export interface RegFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface RegFilePair {
  readonly apply: RegFile;
  readonly rollback: RegFile;
}

export function regFileNames(plan: TargetPlan): { readonly apply: string; readonly rollback: string } {
  return { apply: `${plan.variantId}.reg`, rollback: `${plan.variantId}.rollback.reg` };
}

/**
 * A target's apply and rollback files, rendered and encoded. The render context (context.ts) calls
 * this once per target: the reg format writes these bytes and the installer embeds their SHA-256.
 */
export function renderRegFiles(profile: ProfilePlan, plan: TargetPlan): RegFilePair {
  const names = regFileNames(plan);
  const common = commonModel(profile, plan);
  const file = (name: string, rollback: boolean): RegFile => ({
    name,
    bytes: utf16leBomCrlf(renderTemplate('reg/file', { ...common, rollback, blocks: keyBlocks(rollback ? plan.rollback : plan.apply) })),
  });
  return { apply: file(names.apply, false), rollback: file(names.rollback, true) };
}

function commonModel(profile: ProfilePlan, plan: TargetPlan): Omit<RegFileModel, 'rollback' | 'blocks'> {
  const setCount = plan.apply.filter((op) => op.action === 'set').length;
  return {
    profile,
    plan,
    files: regFileNames(plan),
    x64: plan.architecture === 'x64',
    targetLine: `${plan.target.product}, ${describeArchitecture(plan.architecture)}; NT ${plan.target.ntVersion}, ${describeBuilds(plan.target.build)}`,
    setCount,
    deleteCount: plan.apply.length - setCount,
    modeLine:
      profile.mode === 'minimal'
        ? 'minimal: values that are already the Windows default on this version are left out'
        : 'explicit: every value is written, including values that are already the Windows default',
    skipped: plan.skipped.map((op) => ({
      text: `${describeOperationTarget(op)} = ${displayData(op.value)}`,
      source: op.windowsDefault?.source.url ?? '',
    })),
    prerequisites: plan.prerequisites.map((p) => ({ id: p.id, title: p.title, url: p.url, neededBy: p.requiredBy.join(', ') })),
    rebootNotes: [...new Set(plan.apply.filter((op) => op.rebootRequired).map((op) => op.setting.reboot.note ?? op.setting.title))],
    settings: profile.settings.filter((s) => plan.apply.some((op) => op.setting.id === s.id)),
  };
}

/**
 * Consecutive operations on the same key share one [key] block, as regedit exports them.
 * Non-consecutive ones stay apart: merging them would reorder operations around a key deletion.
 */
export function keyBlocks(operations: readonly RegistryOperation[]): readonly KeyBlock[] {
  const blocks: { hive: string; path: string; deleteKey: boolean; operations: RegistryOperation[] }[] = [];
  for (const op of operations) {
    const last = blocks[blocks.length - 1];
    if (op.action === 'delete-key') {
      blocks.push({ hive: op.hive, path: op.path, deleteKey: true, operations: [] });
    } else if (last && !last.deleteKey && last.hive === op.hive && sameKeyName(last.path, op.path)) {
      last.operations.push(op);
    } else {
      blocks.push({ hive: op.hive, path: op.path, deleteKey: false, operations: [op] });
    }
  }
  return blocks;
}
