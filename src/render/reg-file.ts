/**
 * .reg artifacts: per target variant, an apply file and a rollback file. This module shapes the
 * plan into the template's model (key blocks, header facts); templates/reg/ lays it out and
 * formats/reg.ts writes the bytes of each line.
 */
import { displayData, sameKeyName } from '../model/registry.js';
import type { RegistryOperation, ProfilePlan, TargetPlan } from '../resolve/plan.js';
import { describeArchitecture, describeBuilds, describeOperationTarget } from './describe.js';
import { renderTemplate } from './engine.js';

export interface KeyBlock {
  readonly hive: string;
  readonly path: string;
  readonly deleteKey: boolean;
  readonly operations: RegistryOperation[];
}

export function regFileNames(plan: TargetPlan): { apply: string; rollback: string } {
  return { apply: `${plan.variantId}.reg`, rollback: `${plan.variantId}.rollback.reg` };
}

export function renderRegApply(profile: ProfilePlan, plan: TargetPlan): string {
  return renderedFiles(profile, plan).apply;
}

export function renderRegRollback(profile: ProfilePlan, plan: TargetPlan): string {
  return renderedFiles(profile, plan).rollback;
}

/** The installer embeds the hashes of these files: render each plan's pair once, whoever asks first. */
const rendered = new WeakMap<TargetPlan, { apply: string; rollback: string }>();

function renderedFiles(profile: ProfilePlan, plan: TargetPlan): { apply: string; rollback: string } {
  let files = rendered.get(plan);
  if (!files) {
    files = {
      apply: renderTemplate('reg/file', { ...commonModel(profile, plan), rollback: false, blocks: keyBlocks(plan.apply) }),
      rollback: renderTemplate('reg/file', { ...commonModel(profile, plan), rollback: true, blocks: keyBlocks(plan.rollback) }),
    };
    rendered.set(plan, files);
  }
  return files;
}

function commonModel(profile: ProfilePlan, plan: TargetPlan) {
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
export function keyBlocks(operations: readonly RegistryOperation[]): KeyBlock[] {
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
