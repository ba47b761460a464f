/**
 * Validate phase, layer 2: semantic rules over schema-valid definitions. Each rule is named by
 * the sentence it enforces and returns located diagnostics; all rules run, all problems are reported.
 */
import type { Diagnostic } from '../diagnostics.js';
import { joinPointer } from '../diagnostics.js';
import type { YamlDocument } from '../load/yaml-source.js';
import { catalogOf } from '../model/catalog.js';
import type { Catalog } from '../model/catalog.js';
import { fullKey, keyIdentity, parseKeyPath, parseValueData, sameValue, valueNameProblem, displayData } from '../model/registry.js';
import type { RegistryValue } from '../model/registry.js';
import { selectOperations } from '../model/selection.js';
import type { SelectedOperation } from '../model/selection.js';
import { compareNtVersions, variantsOf } from '../model/targets.js';
import type { Condition, DefinitionSet, Located } from './definitions.js';

type Report = (file: string, pointer: string, message: string, part?: 'key' | 'value') => void;

interface RuleContext {
  readonly set: DefinitionSet;
  readonly catalog: Catalog;
  readonly report: Report;
}

type Rule = (context: RuleContext) => void;

export function checkRules(set: DefinitionSet, documents: ReadonlyMap<string, YamlDocument>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report: Report = (file, pointer, message, part = 'value') => {
    const position = documents.get(file)?.locate(pointer, part) ?? { line: 1, column: 1 };
    diagnostics.push({ file, ...position, severity: 'error', message, pointer });
  };
  const context: RuleContext = { set, catalog: catalogOf(set), report };
  for (const rule of RULES) rule(context);
  return diagnostics;
}

const everyIdIsDefinedOnce: Rule = ({ set, report }) => {
  const kinds = [
    ['source', set.sources],
    ['Windows target', set.targets],
    ['setting', set.settings],
    ['profile', set.profiles],
  ] as const;
  for (const [kind, items] of kinds) {
    const first = new Map<string, Located<{ id: string }>>();
    for (const item of items as readonly Located<{ id: string }>[]) {
      const earlier = first.get(item.value.id);
      if (earlier) report(item.file, joinPointer(item.pointer, 'id'), `duplicate ${kind} id "${item.value.id}" (first defined in ${earlier.file})`);
      else first.set(item.value.id, item);
    }
  }
  for (const profile of set.profiles) {
    const seen = new Set<string>();
    (profile.value.prerequisites ?? []).forEach((prerequisite, index) => {
      if (seen.has(prerequisite.id)) report(profile.file, joinPointer(profile.pointer, 'prerequisites', index, 'id'), `prerequisite ${prerequisite.id} is listed twice`);
      seen.add(prerequisite.id);
    });
  }
};

const everySourceReferenceResolves: Rule = ({ set, catalog, report }) => {
  const check = (file: string, pointer: string, id: string) => {
    if (!catalog.sources.has(id)) report(file, pointer, `unknown source "${id}": add it to sources.yaml${suggest(id, catalog.sources.keys())}`);
  };
  for (const t of set.targets) {
    check(t.file, joinPointer(t.pointer, 'schannel', 'source'), t.value.schannel.source);
    t.value.sources.forEach((id, i) => check(t.file, joinPointer(t.pointer, 'sources', i), id));
    for (const channel of ['dsc', 'scripts', 'intune'] as const) {
      check(t.file, joinPointer(t.pointer, 'channels', channel, 'source'), t.value.channels[channel].source);
    }
  }
  for (const s of set.settings) {
    check(s.file, joinPointer(s.pointer, 'source'), s.value.source);
    check(s.file, joinPointer(s.pointer, 'reboot', 'source'), s.value.reboot.source);
    if (s.value.requiresDotNet) check(s.file, joinPointer(s.pointer, 'requiresDotNet', 'source'), s.value.requiresDotNet.source);
    s.value.values.forEach((op, i) => {
      if (op.windowsDefault) check(s.file, joinPointer(s.pointer, 'values', i, 'windowsDefault', 'source'), op.windowsDefault.source);
    });
  }
  for (const p of set.profiles) {
    check(p.file, joinPointer(p.pointer, 'source'), p.value.source);
    (p.value.prerequisites ?? []).forEach((x, i) => {
      check(p.file, joinPointer(p.pointer, 'prerequisites', i, 'source'), x.source);
      (x.detection?.files ?? []).forEach((f, j) => check(p.file, joinPointer(p.pointer, 'prerequisites', i, 'detection', 'files', j, 'source'), f.source));
    });
    (p.value.warnings ?? []).forEach((x, i) => check(p.file, joinPointer(p.pointer, 'warnings', i, 'source'), x.source));
    (p.value.overrides ?? []).forEach((x, i) => {
      if (x.source !== undefined) check(p.file, joinPointer(p.pointer, 'overrides', i, 'source'), x.source);
    });
  }
};

const everyTargetAndSettingReferenceResolves: Rule = ({ set, catalog, report }) => {
  const checkTarget = (file: string, pointer: string, id: string) => {
    if (!catalog.targets.has(id)) report(file, pointer, `unknown Windows target "${id}"; known targets: ${[...catalog.targets.keys()].join(', ')}`);
  };
  const checkCondition = (file: string, pointer: string, condition: Condition | undefined) => {
    condition?.targets?.forEach((id, i) => checkTarget(file, joinPointer(pointer, 'targets', i), id));
  };
  for (const s of set.settings) {
    checkCondition(s.file, joinPointer(s.pointer, 'when'), s.value.when);
    s.value.values.forEach((op, i) => checkCondition(s.file, joinPointer(s.pointer, 'values', i, 'windowsDefault', 'when'), op.windowsDefault?.when));
  }
  for (const p of set.profiles) {
    p.value.targets.forEach((id, i) => checkTarget(p.file, joinPointer(p.pointer, 'targets', i), id));
    p.value.settings.forEach((id, i) => {
      if (!catalog.settings.has(id)) report(p.file, joinPointer(p.pointer, 'settings', i), `unknown setting "${id}"${suggest(id, catalog.settings.keys())}`);
    });
    (p.value.prerequisites ?? []).forEach((x, i) => {
      const pointer = joinPointer(p.pointer, 'prerequisites', i);
      checkCondition(p.file, joinPointer(pointer, 'when'), x.when);
      (x.detection?.files ?? []).forEach((f, j) => checkCondition(p.file, joinPointer(pointer, 'detection', 'files', j, 'when'), f.when));
      x.requiredBy.forEach((id, j) => {
        if (!p.value.settings.includes(id)) {
          report(p.file, joinPointer(pointer, 'requiredBy', j), `prerequisite ${x.id} names setting "${id}", which is not one of this profile's settings`);
        }
      });
    });
    (p.value.warnings ?? []).forEach((x, i) => checkCondition(p.file, joinPointer(p.pointer, 'warnings', i, 'when'), x.when));
  }
};

/** An override replaces data the profile's own setting writes: the setting and value name must exist, the data must fit. */
const everyOverrideReplacesAValueTheProfileWrites: Rule = ({ set, catalog, report }) => {
  for (const p of set.profiles) {
    const seen = new Set<string>();
    (p.value.overrides ?? []).forEach((x, i) => {
      const pointer = joinPointer(p.pointer, 'overrides', i);
      const identity = `${x.setting}|${x.name.toUpperCase()}`;
      if (seen.has(identity)) report(p.file, pointer, `value "${x.name}" of setting "${x.setting}" is overridden twice`);
      seen.add(identity);
      if (!p.value.settings.includes(x.setting)) {
        report(p.file, joinPointer(pointer, 'setting'), `setting "${x.setting}" is not one of this profile's settings`);
        return;
      }
      const setting = catalog.settings.get(x.setting)?.value;
      const written = (setting?.values ?? []).filter((op) => (op.action ?? 'set') === 'set' && (op.name ?? '').toUpperCase() === x.name.toUpperCase());
      if (written.length === 0) {
        report(p.file, joinPointer(pointer, 'name'), `setting "${x.setting}" writes no value named "${x.name}"`);
        return;
      }
      for (const type of new Set(written.map((op) => op.type!))) {
        const data = parseValueData(type, x.data);
        if (!data.ok) report(p.file, joinPointer(pointer, 'data'), data.error);
      }
    });
  }
};

/**
 * The in-box PSDesiredStateConfiguration Registry resource strips every leading '0' and 'x' from
 * hex text (TrimStart('0x'); dsccommunity/xPSDesiredStateConfiguration issues #276 and #301), so
 * binary data whose first byte is zero loses it. Only PSDscResources can write such data.
 */
const inboxDscWritesEveryBinaryValue: Rule = ({ set, catalog, report }) => {
  for (const p of set.profiles) {
    if ((p.value.dsc?.resourceModule ?? 'PSDesiredStateConfiguration') !== 'PSDesiredStateConfiguration') continue;
    for (const id of p.value.settings) {
      const setting = catalog.settings.get(id);
      setting?.value.values.forEach((op, i) => {
        if (op.type !== 'REG_BINARY' || op.data === undefined) return;
        const data = parseValueData(op.type, op.data);
        if (data.ok && data.value.type === 'REG_BINARY' && data.value.data.length > 0 && data.value.data[0] === 0) {
          report(
            setting.file,
            joinPointer(setting.pointer, 'values', i, 'data'),
            `binary data starting with a zero byte cannot be written by the in-box PSDesiredStateConfiguration Registry resource (it strips leading zeros from hex text); profile ${p.value.id} must set dsc: { resourceModule: PSDscResources }`,
          );
        }
      });
    }
  }
};

const everyRangeRunsFromLowToHigh: Rule = ({ set, report }) => {
  for (const t of set.targets) {
    const { min, max } = t.value.build;
    if (max !== undefined && max < min) report(t.file, joinPointer(t.pointer, 'build'), `build range is reversed: min ${min} is above max ${max}`);
    // Group Policy's WMI filter compares BuildNumber as text: only same-length bounds order correctly.
    else if (max !== undefined && String(min).length !== String(max).length) {
      report(t.file, joinPointer(t.pointer, 'build'), `build range ${min} to ${max} spans numbers of different lengths; split the target (Group Policy compares build numbers as text)`);
    }
  }
  const checkCondition = (file: string, pointer: string, condition: Condition | undefined) => {
    const nt = condition?.ntVersion;
    if (nt?.min && nt.max && compareNtVersions(nt.min, nt.max) > 0) {
      report(file, joinPointer(pointer, 'ntVersion'), `ntVersion range is reversed: min ${nt.min} is above max ${nt.max}`);
    }
  };
  for (const s of set.settings) {
    checkCondition(s.file, joinPointer(s.pointer, 'when'), s.value.when);
    s.value.values.forEach((op, i) => checkCondition(s.file, joinPointer(s.pointer, 'values', i, 'windowsDefault', 'when'), op.windowsDefault?.when));
  }
};

const everyOperationIsARepresentableRegistryWrite: Rule = ({ set, report }) => {
  for (const s of set.settings) {
    s.value.values.forEach((op, i) => {
      const pointer = joinPointer(s.pointer, 'values', i);
      const key = parseKeyPath(op.key);
      if (!key.ok) report(s.file, joinPointer(pointer, 'key'), key.error);
      const nameProblem = op.name === undefined ? null : valueNameProblem(op.name);
      if (nameProblem) report(s.file, joinPointer(pointer, 'name'), nameProblem);
      if (op.type !== undefined && op.data !== undefined) {
        const data = parseValueData(op.type, op.data);
        if (!data.ok) report(s.file, joinPointer(pointer, 'data'), data.error);
      }
    });
  }
};

/**
 * Per profile and target variant: one registry value gets one outcome. Two settings that write
 * different data (or one sets what another deletes) would make the artifacts depend on order.
 * Also: a 32-bit Windows has no WOW6432Node, so no operation may reach it there.
 */
const everyValueHasOneOutcomePerTarget: Rule = ({ set, catalog, report }) => {
  for (const profile of set.profiles) {
    const settings = profile.value.settings.flatMap((id) => catalog.settings.get(id) ?? []);
    const targets = profile.value.targets.flatMap((id) => catalog.targets.get(id) ?? []);
    const reported = new Set<string>();
    for (const target of targets) {
      for (const variant of variantsOf(target.value)) {
        const firstWrite = new Map<string, { selected: SelectedOperation; outcome: string; value: RegistryValue | null }>();
        for (const selected of selectOperations(settings, variant)) {
          const key = parseKeyPath(selected.operation.key);
          if (!key.ok) continue;
          const problem = outcomeProblem(selected, variant.architecture, fullKey(key.value), firstWrite, keyIdentity(key.value));
          const id = `${selected.pointer}|${problem}`;
          if (problem && !reported.has(id)) {
            reported.add(id);
            report(selected.setting.file, selected.pointer, `${problem} (profile ${profile.value.id}, target ${variant.variantId})`);
          }
        }
      }
    }
  }
};

function outcomeProblem(
  selected: SelectedOperation,
  architecture: string,
  key: string,
  firstWrite: Map<string, { selected: SelectedOperation; outcome: string; value: RegistryValue | null }>,
  keyId: string,
): string | null {
  const op = selected.operation;
  if (architecture === 'x86' && /\\WOW6432NODE(\\|$)/i.test(key)) {
    return `${key} exists only on 64-bit Windows; restrict setting "${selected.setting.value.id}" with when: { architectures: [x64] }`;
  }
  if (op.action === 'delete-key') return null;
  const valueId = `${keyId}|${(op.name ?? '').toUpperCase()}`;
  const parsed = op.type !== undefined && op.data !== undefined ? parseValueData(op.type, op.data) : null;
  const value = parsed?.ok ? parsed.value : null;
  const outcome = op.action === 'delete-value' ? 'delete' : value ? `${value.type}=${displayData(value)}` : 'invalid';
  const earlier = firstWrite.get(valueId);
  if (!earlier) {
    firstWrite.set(valueId, { selected, outcome, value });
    return null;
  }
  const where = `setting "${earlier.selected.setting.value.id}"`;
  const name = op.name === '' ? '(default)' : `"${op.name ?? ''}"`;
  if (earlier.outcome === outcome || (earlier.value && value && sameValue(earlier.value, value))) {
    return `${key} ${name} is already written with the same data by ${where}; write it once`;
  }
  return `${key} ${name} conflicts with ${where}: ${earlier.outcome} there, ${outcome} here`;
}

const RULES: readonly Rule[] = [
  everyIdIsDefinedOnce,
  everySourceReferenceResolves,
  everyTargetAndSettingReferenceResolves,
  everyRangeRunsFromLowToHigh,
  everyOperationIsARepresentableRegistryWrite,
  everyValueHasOneOutcomePerTarget,
  everyOverrideReplacesAValueTheProfileWrites,
  inboxDscWritesEveryBinaryValue,
];

function suggest(id: string, known: Iterable<string>): string {
  const close = [...known].filter((k) => k.includes(id) || id.includes(k) || editDistance(k, id) <= 2);
  return close.length > 0 ? ` (did you mean ${close.map((k) => `"${k}"`).join(' or ')}?)` : '';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
