/**
 * out/<profile>/README.md: tells an admin which file is for which Windows version, what to
 * install first, how to apply, verify and roll back. Shapes the plan; templates/readme/ lays it out.
 */
import { policyDataText } from '../model/tls-values.js';
import type { ProfilePlan, SourceRef, TargetPlan } from '../resolve/plan.js';
import { WINDOWS_CURRENT_FOLDER, describeArchitecture, describeBuilds, describeOperationTarget } from './describe.js';
import { type DeepReadonly, renderTemplate } from './engine.js';
import { regFileNames } from './reg-file.js';
import { dscConfigurationName, dscFileNames, PSDSCRESOURCES_VERSION, restartMarkerKey } from './dsc.js';
import { type GpoBackupIds, gpoBackupIds } from './gpo-backup.js';
import { gppTargetingRows } from './gpp.js';
import { intuneFileNames, intuneTargets } from './intune.js';
import { scriptFileNames } from './scripts.js';
import { displayData, windowsUpperInvariant } from '../model/registry.js';

type FileNames = { apply: string; rollback: string };

/** The readme/profile template's model. */
export type ReadmeModel = DeepReadonly<{
  profile: ProfilePlan;
  minimal: boolean;
  rows: {
    product: string;
    builds: string;
    architecture: string;
    files: FileNames;
    installFirst: string;
    valueCount: number;
    skippedCount: number;
    reboot: 'yes' | 'no';
  }[];
  prerequisites: {
    id: string;
    title: string;
    url: string;
    targets: string[];
    settings: string[];
    checks: { path: string; minVersion: string; products: string[] }[];
    targetList: string;
    settingList: string;
    checkList: string;
  }[];
  advisories: { text: string; url: string; minRelease: number; settings: string[]; settingList: string }[];
  warnings: { text: string; url: string; targets: string[]; targetList: string }[];
  backupKeys: { command: string; onlyOn: string | null }[];
  channels: { variantId: string; product: string; dsc: string; scripts: string; intune: string }[];
  intune: { detect: string; remediate: string; targetList: string } | null;
  restartNeeded: boolean;
  queryExample: string | null;
  x86Products: string;
  values: {
    what: string;
    data: string;
    setting: string;
    source: string;
    writtenOn: string[];
    defaultOn: string[];
    writtenOnList: string;
    defaultOnList: string;
  }[];
  sources: SourceRef[];
  composition: {
    extends: readonly string[];
    leftOut: { products: string; reason: string; url: string }[];
    policy: { enabled: string; accepted: string; alternatives: boolean; disabledByDefault: string; winhttp: string; chosen: boolean };
    changes: { what: string; setting: string; targetList: string; reason: string }[];
  };
  example: { x64: FileNames | null; x86: FileNames | null };
  scripts: { install: string; audit: string; here: string; installPath: string; installRelative: string; auditPath: string };
  gpo: GpoBackupIds & {
    removePolicy: boolean;
    targeting: { variantId: string; product: string; osVersion: string; build: string; edition: string }[];
    sharedTokens: { token: string; products: string }[];
  };
  dsc: {
    apply: string;
    rollback: string;
    data: string;
    name: string;
    module: ProfilePlan['dscResourceModule'];
    psDscResources: boolean;
    psDscResourcesVersion: string;
    exampleTarget: string;
    here: string;
    markerKey: string;
    leftOut: string;
  };
}>;

export function renderProfileReadme(profile: ProfilePlan): string {
  const scripts = scriptFileNames(profile.id);
  return renderTemplate('readme/profile', {
    profile,
    minimal: profile.mode === 'minimal',
    rows: profile.targets.map(targetRow),
    prerequisites: prerequisitesWithTargets(profile.targets),
    advisories: advisoriesWithTargets(profile.targets),
    warnings: warningsWithTargets(profile.targets),
    backupKeys: backupCommands(profile.targets),
    channels: profile.targets.map(channelRow),
    intune: intuneModel(profile),
    restartNeeded: profile.targets.some((t) => t.rebootRequired),
    queryExample: queryExample(profile),
    x86Products: [...new Set(profile.targets.filter((t) => t.architecture === 'x86').map((t) => t.target.product))].join(', '),
    values: valuesWithTargets(profile.targets),
    sources: [...new Map(profile.targets.flatMap((t) => [...t.sources, ...t.target.sources]).map((s) => [s.id, s])).values()],
    composition: compositionModel(profile),
    example: exampleTargets(profile.targets),
    scripts: {
      ...scripts,
      here: WINDOWS_CURRENT_FOLDER,
      installPath: `${WINDOWS_CURRENT_FOLDER}scripts\\${scripts.install}`,
      installRelative: `scripts\\${scripts.install}`,
      auditPath: `${WINDOWS_CURRENT_FOLDER}scripts\\${scripts.audit}`,
    },
    gpo: { ...gpoBackupIds(profile), removePolicy: profile.gppRemovePolicy, targeting: gppTargetingRows(profile), sharedTokens: sharedOsTokens(profile) },
    dsc: {
      ...dscFileNames(profile.id),
      name: dscConfigurationName(profile.id),
      module: profile.dscResourceModule,
      psDscResources: profile.dscResourceModule === 'PSDscResources',
      psDscResourcesVersion: PSDSCRESOURCES_VERSION,
      exampleTarget: profile.targets[0]?.variantId ?? '',
      here: WINDOWS_CURRENT_FOLDER,
      markerKey: restartMarkerKey(profile.id),
      leftOut: [...new Set(profile.targets.filter((t) => !t.target.channels.dsc.supported).map((t) => t.target.product))].join(', '),
    },
  });
}

/** `reg query` of the first key the profile writes a value to (HKLM shortened as reg.exe accepts it). */
function queryExample(profile: ProfilePlan): string | null {
  const op = profile.targets.flatMap((t) => t.apply).find((o) => o.action === 'set');
  if (!op) return null;
  const hive = op.hive === 'HKEY_LOCAL_MACHINE' ? 'HKLM' : op.hive;
  return `reg query "${hive}\\${op.path}"`;
}

/** Windows versions that GPP's FilterOs cannot tell apart (one token): the build filter does. */
function sharedOsTokens(profile: ProfilePlan): ReadmeModel['gpo']['sharedTokens'] {
  const byToken = new Map<string, string[]>();
  for (const plan of profile.targets) {
    const products = byToken.get(plan.target.gppOsVersion) ?? [];
    pushOnce(products, plan.target.product);
    byToken.set(plan.target.gppOsVersion, products);
  }
  return [...byToken].filter(([, products]) => products.length > 1).map(([token, products]) => ({ token, products: products.join(', ') }));
}

function intuneModel(profile: ProfilePlan): ReadmeModel['intune'] {
  const targets = intuneTargets(profile);
  if (targets.length === 0) return null;
  return { ...intuneFileNames(profile.id), targetList: targets.map((t) => `${t.target.product}, ${describeArchitecture(t.architecture)}`).join('; ') };
}

function targetRow(plan: TargetPlan): ReadmeModel['rows'][number] {
  return {
    product: plan.target.product,
    builds: `NT ${plan.target.ntVersion}, ${describeBuilds(plan.target.build)}`,
    architecture: describeArchitecture(plan.architecture),
    files: regFileNames(plan),
    installFirst: plan.prerequisites.map((p) => p.id).join(', ') || 'nothing',
    valueCount: plan.apply.length,
    skippedCount: plan.skipped.length,
    reboot: plan.rebootRequired ? 'yes' : 'no',
  };
}

function prerequisitesWithTargets(plans: readonly TargetPlan[]): ReadmeModel['prerequisites'] {
  const byId = new Map<
    string,
    { id: string; title: string; url: string; targets: string[]; settings: string[]; checks: { path: string; minVersion: string; products: string[] }[] }
  >();
  for (const plan of plans) {
    for (const p of plan.prerequisites) {
      const entry = byId.get(p.id) ?? { id: p.id, title: p.title, url: p.url, targets: [], settings: [], checks: [] };
      pushOnce(entry.targets, plan.target.product);
      p.requiredBy.forEach((id) => pushOnce(entry.settings, id));
      p.detection.files.forEach((f) => {
        const check = entry.checks.find((c) => c.path === f.path && c.minVersion === f.minVersion) ?? { path: f.path, minVersion: f.minVersion, products: [] };
        pushOnce(check.products, plan.target.product);
        if (!entry.checks.includes(check)) entry.checks.push(check);
      });
      byId.set(p.id, entry);
    }
  }
  return [...byId.values()].map((e) => ({
    ...e,
    targetList: e.targets.join(', '),
    settingList: e.settings.map((id) => `\`${id}\``).join(', '),
    checkList: e.checks.map((c) => `${c.path.replace(/^%SystemRoot%\\System32\\/i, '')} ${c.minVersion} or later on ${c.products.join(', ')}`).join('; '),
  }));
}

function advisoriesWithTargets(plans: readonly TargetPlan[]): ReadmeModel['advisories'] {
  const byText = new Map<string, { text: string; url: string; minRelease: number; settings: string[] }>();
  for (const plan of plans) {
    for (const a of plan.advisories) {
      const entry = byText.get(a.text) ?? { text: a.text, url: a.source.url, minRelease: a.minRelease, settings: [] };
      a.requiredBy.forEach((id) => pushOnce(entry.settings, id));
      byText.set(a.text, entry);
    }
  }
  return [...byText.values()].map((e) => ({ ...e, settingList: e.settings.map((id) => `\`${id}\``).join(', ') }));
}

/** reg export commands for every key the profile touches, so the backup step covers exactly what changes. */
function backupCommands(plans: readonly TargetPlan[]): ReadmeModel['backupKeys'] {
  const keys = new Map<string, { key: string; variants: string[] }>();
  for (const plan of plans) {
    for (const op of plan.apply) {
      const key = `${op.hive}\\${op.path}`;
      const entry = keys.get(windowsUpperInvariant(key)) ?? { key, variants: [] };
      pushOnce(entry.variants, plan.variantId);
      keys.set(windowsUpperInvariant(key), entry);
    }
  }
  return [...keys.values()].map((k, index) => ({
    command: `reg export "${k.key}" backup-${String(index + 1).padStart(2, '0')}.reg /y`,
    onlyOn: k.variants.length === plans.length ? null : k.variants.join(', '),
  }));
}

function channelRow(plan: TargetPlan): ReadmeModel['channels'][number] {
  const describe = (c: TargetPlan['target']['channels']['dsc']) =>
    c.supported ? (c.requires ? `yes, with ${c.requires}` : 'yes') : `no${c.note ? `: ${c.note}` : ''}`;
  const { dsc, scripts, intune } = plan.target.channels;
  return {
    variantId: plan.variantId,
    product: `${plan.target.product}, ${describeArchitecture(plan.architecture)}`,
    dsc: describe(dsc),
    scripts: describe(scripts),
    intune: describe(intune),
  };
}

function warningsWithTargets(plans: readonly TargetPlan[]): ReadmeModel['warnings'] {
  const byText = new Map<string, { text: string; url: string; targets: string[] }>();
  for (const plan of plans) {
    for (const w of plan.warnings) {
      const entry = byText.get(w.text) ?? { text: w.text, url: w.source.url, targets: [] };
      if (!entry.targets.includes(plan.target.product)) entry.targets.push(plan.target.product);
      byText.set(w.text, entry);
    }
  }
  return [...byText.values()].map((e) => ({ ...e, targetList: e.targets.join(', ') }));
}

/** Every distinct value the profile writes, with the targets it is written on or skipped on. */
function valuesWithTargets(plans: readonly TargetPlan[]): ReadmeModel['values'] {
  const rows = new Map<string, { what: string; data: string; setting: string; source: string; writtenOn: string[]; defaultOn: string[] }>();
  for (const plan of plans) {
    const ops = [...plan.apply, ...plan.skipped];
    for (const op of ops) {
      const what = describeOperationTarget(op);
      const data = op.action === 'set' ? displayData(op.value) : op.action === 'delete-value' ? 'deleted' : 'key deleted';
      const row = rows.get(what + data) ?? { what, data, setting: op.setting.id, source: op.setting.source.url, writtenOn: [], defaultOn: [] };
      if (op.action === 'set' && op.windowsDefault) pushOnce(row.defaultOn, plan.variantId);
      pushOnce(row.writtenOn, plan.variantId);
      rows.set(what + data, row);
    }
  }
  return [...rows.values()].map((r) => ({ ...r, writtenOnList: r.writtenOn.join(', '), defaultOnList: r.defaultOn.join(', ') || '—' }));
}

/** What the profile inherits, what it leaves out and why, and the value policy the files follow. */
function compositionModel(profile: ProfilePlan): ReadmeModel['composition'] {
  const { policy } = profile;
  const changes = new Map<string, { what: string; setting: string; targets: string[]; reason: string }>();
  const note = (what: string, setting: string, reason: string, variantId: string) => {
    const entry = changes.get(what + setting + reason) ?? { what, setting, targets: [], reason };
    pushOnce(entry.targets, variantId);
    changes.set(what + setting + reason, entry);
  };
  for (const plan of profile.targets) {
    for (const r of plan.removed) note(`left out (profile ${r.profile})`, r.setting, r.reason, plan.variantId);
    for (const e of plan.exceptions) note(`exception until ${e.until}${e.ticket ? ` (${e.ticket})` : ''}`, e.setting, e.reason, plan.variantId);
    for (const op of plan.apply) {
      if (op.action === 'set' && op.origin.override)
        note(`data ${displayData(op.value)} (profile ${op.origin.override.profile})`, op.setting.id, op.origin.override.reason, plan.variantId);
    }
  }
  return {
    extends: profile.extends,
    leftOut: profile.leftOut.map((l) => ({ products: l.targets.join(', '), reason: l.reason, url: l.source.url })),
    policy: {
      enabled: policyDataText(policy.enabled),
      accepted: policy.acceptEnabled.map(policyDataText).join(' or '),
      alternatives: policy.chosenBy.acceptEnabled !== null && policy.acceptEnabled.length > 1,
      disabledByDefault: policy.disabledByDefault === 'write' ? 'written where the settings list it' : 'left out',
      winhttp: policy.winhttpProtocols ?? 'as each setting writes it',
      chosen: Object.values(policy.chosenBy).some((by) => by !== null),
    },
    changes: [...changes.values()].map((c) => ({ what: c.what, setting: c.setting, targetList: c.targets.join(', '), reason: c.reason })),
  };
}

function exampleTargets(plans: readonly TargetPlan[]): ReadmeModel['example'] {
  const x64 = plans.find((p) => p.architecture === 'x64') ?? plans[0];
  const x86 = plans.find((p) => p.architecture === 'x86') ?? null;
  return { x64: x64 ? regFileNames(x64) : null, x86: x86 ? regFileNames(x86) : null };
}

function pushOnce(list: string[], item: string): void {
  if (!list.includes(item)) list.push(item);
}
