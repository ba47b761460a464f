/**
 * `tlsgen explain`: the plan of one profile, per target, as a table a person can read (or as
 * JSON). Shows what every artifact will do and why, and what minimal mode leaves out.
 */
import { displayData } from '../model/registry.js';
import { policyDataText } from '../model/tls-values.js';
import type { ProfilePlan, RegistryOperation, TargetPlan } from '../resolve/plan.js';
import { describeArchitecture } from '../render/describe.js';
import { formatTable } from './table.js';

export function explainText(plan: ProfilePlan, targets: readonly TargetPlan[]): string {
  const { policy } = plan;
  const chosen = (field: keyof typeof policy.chosenBy) => (policy.chosenBy[field] ? `profile ${policy.chosenBy[field]}` : 'default');
  const header = [
    `${plan.id}: ${plan.title}`,
    ...(plan.extends.length ? [`Extends: ${plan.extends.join(' → ')}`] : []),
    `Mode: ${plan.mode}${plan.mode === 'minimal' ? ' (values already the Windows default are left out)' : ' (every value is written; use --mode minimal to leave out Windows defaults)'}`,
    `Policy: Schannel Enabled written as ${policyDataText(policy.enabled)} (${chosen('enabled')}); accepted: ${policy.chosenBy.acceptEnabled ? `${policy.acceptEnabled.map(policyDataText).join(', ')} (${chosen('acceptEnabled')})` : 'only the data written (default)'}; ` +
      `DisabledByDefault: ${policy.disabledByDefault} (${chosen('disabledByDefault')}); WinHTTP protocols: ${policy.winhttpProtocols ?? 'as each setting writes'} (${chosen('winhttpProtocols')})`,
    ...plan.leftOut.map((l) => `Not covered: ${l.targets.join(', ')}: ${l.reason.replace(/\s+/g, ' ')} (${l.source.url})`),
  ];
  return header.join('\n') + '\n' + targets.map((t) => explainTarget(plan, t)).join('');
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
    formatTable(['Value', 'Data', 'Why', 'From', 'Source', 'Already default?', 'Reboot'], rows).trimEnd(),
    ...operations.flatMap((op) =>
      op.action === 'set' && op.origin.override
        ? [`Override: ${valueText(op)} = ${displayData(op.value)} (profile ${op.origin.override.profile}): ${op.origin.override.reason.replace(/\s+/g, ' ')}`]
        : [],
    ),
    ...target.omittedByPolicy.map((op) => `Left out by policy: ${valueText(op)} (${op.origin.policy})`),
    ...target.removed.map((r) => `Removed: ${r.setting} (profile ${r.profile}): ${r.reason.replace(/\s+/g, ' ')}`),
    ...target.exceptions.map(
      (e) => `Exception until ${e.until}: ${e.setting} left out (profile ${e.profile}${e.ticket ? `, ${e.ticket}` : ''}): ${e.reason.replace(/\s+/g, ' ')}`,
    ),
    ...operations.flatMap((op) =>
      op.action === 'set' && op.alsoAccepted.length
        ? [`Also accepted as compliant: ${valueText(op)} = ${op.alsoAccepted.map(displayData).join(' or ')} (policy acceptEnabled)`]
        : [],
    ),
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
  const data = op.action === 'set' ? displayData(op.value) : op.action === 'delete-value' ? 'delete value' : 'delete key';
  return [valueText(op), data, op.setting.id, originText(op), op.setting.source.id, alreadyDefault(op, skipped, mode), op.rebootRequired ? 'yes' : 'no'];
}

function valueText(op: RegistryOperation): string {
  const hive = op.hive === 'HKEY_LOCAL_MACHINE' ? 'HKLM' : op.hive;
  const name = op.action === 'delete-key' ? '' : ` ${op.name === '' ? '(default)' : op.name}`;
  return `${hive}\\${op.path}${name}`;
}

/** Where the value came from: the profile that lists the setting, and what changed its data. */
function originText(op: RegistryOperation): string {
  const { origin } = op;
  if (origin.override) return `override in ${origin.override.profile}`;
  if (origin.policy) return `${origin.profile}, policy ${origin.policy.replace(/ \(profile .*\)$/, '')}`;
  return origin.profile;
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
