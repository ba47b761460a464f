/**
 * `tlsgen explain`: the plan of one profile, per target, as a table a person can read (or as
 * JSON). Shows what every artifact will do and why, and what minimal mode leaves out.
 */
import { displayData } from '../model/registry.js';
import type { ProfilePlan, RegistryOperation, TargetPlan } from '../resolve/plan.js';
import { describeArchitecture } from '../render/describe.js';
import { formatTable } from './table.js';

export function explainText(plan: ProfilePlan, targets: readonly TargetPlan[]): string {
  const header =
    `${plan.id}: ${plan.title}\n` +
    `Mode: ${plan.mode}${plan.mode === 'minimal' ? ' (values already the Windows default are left out)' : ' (every value is written; use --mode minimal to leave out Windows defaults)'}\n`;
  return header + targets.map((t) => explainTarget(plan, t)).join('');
}

function explainTarget(plan: ProfilePlan, target: TargetPlan): string {
  const operations = [...target.apply, ...target.skipped];
  const rows = [...target.apply.map((op) => row(op, false, plan.mode)), ...target.skipped.map((op) => row(op, true, plan.mode))];
  const settings = new Map(operations.map((op) => [op.setting.id, op.setting.title]));
  const sources = new Map(
    operations.flatMap((op) => [
      [op.setting.source.id, op.setting.source.url] as const,
      ...(op.action === 'set' && op.windowsDefault ? [[op.windowsDefault.source.id, op.windowsDefault.source.url] as const] : []),
    ]),
  );
  const lines = [
    '',
    `== ${target.variantId}: ${target.target.product}, ${describeArchitecture(target.architecture)}`,
    `Install first: ${target.prerequisites.map((p) => `${p.id} (${p.url}), needed by ${p.requiredBy.join(', ')}`).join('; ') || 'nothing'}`,
    ...target.advisories.map((a) => `.NET Framework: Release ${a.minRelease} or later for ${a.requiredBy.join(', ')} (${a.source.url})`),
    `Restart after applying: ${target.rebootRequired ? 'yes' : 'no'}`,
    '',
    formatTable(['Value', 'Data', 'Why', 'Source', 'Already default?', 'Reboot'], rows).trimEnd(),
    '',
    'Why:',
    ...[...settings].map(([id, title]) => `  ${id}: ${title}`),
    'Sources:',
    ...[...sources].map(([id, url]) => `  ${id}: ${url}`),
    ...(target.warnings.length ? ['Warnings:', ...target.warnings.map((w) => `  - ${w.text.replace(/\s+/g, ' ')}`)] : []),
  ];
  return lines.join('\n') + '\n';
}

function row(op: RegistryOperation, skipped: boolean, mode: string): string[] {
  const hive = op.hive === 'HKEY_LOCAL_MACHINE' ? 'HKLM' : op.hive;
  const name = op.action === 'delete-key' ? '' : ` ${op.name === '' ? '(default)' : op.name}`;
  const data = op.action === 'set' ? displayData(op.value) : op.action === 'delete-value' ? 'delete value' : 'delete key';
  return [`${hive}\\${op.path}${name}`, data, op.setting.id, op.setting.source.id, alreadyDefault(op, skipped, mode), op.rebootRequired ? 'yes' : 'no'];
}

function alreadyDefault(op: RegistryOperation, skipped: boolean, mode: string): string {
  if (op.action !== 'set' || !op.windowsDefault) return 'no';
  const per = `per ${op.windowsDefault.source.id}`;
  if (skipped) return `yes, ${per}: left out`;
  return mode === 'explicit' ? `yes, ${per}: written anyway` : `yes, ${per}`;
}

/** JSON: the plan as data (bigint and byte arrays made JSON-safe). */
export function explainJson(plan: ProfilePlan, targets: readonly TargetPlan[]): string {
  return JSON.stringify({ ...plan, targets }, jsonSafe, 2) + '\n';
}

export function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Array.from(value, (b) => b.toString(16).padStart(2, '0')).join('');
  return value;
}
