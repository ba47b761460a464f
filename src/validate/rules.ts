/**
 * Validate phase, layer 2: semantic rules over schema-valid definitions. Each rule is named by
 * the sentence it enforces and returns located diagnostics; all rules run, all problems are reported.
 */
import type { Diagnostic } from '../diagnostics.js';
import { joinPointer, quote, shown } from '../diagnostics.js';
import type { DefinitionKind } from '../load/discover.js';
import type { YamlDocument } from '../load/yaml-source.js';
import { catalogOf } from '../model/catalog.js';
import type { Catalog } from '../model/catalog.js';
import { fullKey, keyIdentity, parseKeyPath, parseValueData, sameValue, valueNameIdentity, valueNameProblem, displayData } from '../model/registry.js';
import type { RegistryValue } from '../model/registry.js';
import { selectOperations } from '../model/selection.js';
import { inboxDscCannotWrite, psDscResourcesCannotWrite } from '../model/dsc-registry-limits.js';
import type { SelectedOperation } from '../model/selection.js';
import { compareNtVersions, variantsOf, windowsDeviceName } from '../model/targets.js';
import type { Condition, DefinitionSet, Located, ValueTypeName } from '../definitions/types.js';

type Report = (file: string, pointer: string, message: string, part?: 'key' | 'value') => void;

/**
 * Ids the rules cannot see: defined in files that failed their checks (`ids`), or of a kind whose
 * file could not be read at all (`unknown`). References to them are not reported (validate.ts).
 */
export interface UnseenIds {
  readonly ids: Record<DefinitionKind, Set<string>>;
  readonly unknown: Set<DefinitionKind>;
}

interface RuleContext {
  readonly set: DefinitionSet;
  readonly catalog: Catalog;
  readonly report: Report;
  /** Could `id` be defined in a file the rules do not see? Then a reference to it is not reported. */
  readonly unseen: (kind: DefinitionKind, id: string) => boolean;
  /** Registry data checked and reported at `pointer`, a number quoted as the file writes it. */
  readonly checkData: (file: string, pointer: string, type: ValueTypeName, data: unknown) => void;
}

type Rule = (context: RuleContext) => void;

const NOTHING_UNSEEN: UnseenIds = { ids: { sources: new Set(), windows: new Set(), settings: new Set(), profile: new Set() }, unknown: new Set() };

export function checkRules(set: DefinitionSet, documents: ReadonlyMap<string, YamlDocument>, unseenIds: UnseenIds = NOTHING_UNSEEN): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report: Report = (file, pointer, message, part = 'value') => {
    const position = documents.get(file)?.locate(pointer, part) ?? { line: 1, column: 1 };
    diagnostics.push({ file, ...position, severity: 'error', message, pointer });
  };
  const unseen = (kind: DefinitionKind, id: string) => unseenIds.unknown.has(kind) || unseenIds.ids[kind].has(id);
  const checkData = (file: string, pointer: string, type: ValueTypeName, data: unknown) => {
    const parsed = parseValueData(type, data, documents.get(file)?.scalarText(pointer));
    if (!parsed.ok) report(file, joinPointer(pointer, ...(parsed.at ?? [])), parsed.error);
  };
  const context: RuleContext = { set, catalog: catalogOf(set), report, unseen, checkData };
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
      if (seen.has(prerequisite.id))
        report(profile.file, joinPointer(profile.pointer, 'prerequisites', index, 'id'), `prerequisite ${prerequisite.id} is listed twice`);
      seen.add(prerequisite.id);
    });
  }
};

/**
 * Target files are named by variant id: `<id>` and `<id>-x86` for a 32-bit edition. A target whose
 * own id is another target's x86 variant id would write the same files (and give the installer's
 * plan table the same key twice).
 */
const everyTargetFileIdIsUnique: Rule = ({ set, report }) => {
  const owners = new Map<string, Located<{ id: string }>>();
  for (const target of set.targets) {
    for (const variant of variantsOf(target.value)) if (variant.architecture === 'x86') owners.set(variant.variantId, target);
  }
  for (const target of set.targets) {
    const owner = owners.get(target.value.id);
    if (owner && owner !== target) {
      report(
        target.file,
        joinPointer(target.pointer, 'id'),
        `Windows target id "${target.value.id}" collides with the 32-bit edition of "${owner.value.id}", whose files are named ${target.value.id}; choose another id`,
      );
    }
  }
};

/**
 * Profile ids name folders and target ids name files (`reg/<id>.reg`); Windows maps CON, PRN, AUX,
 * NUL, COM0–COM9 and LPT0–LPT9 to devices, with or without an extension, so such files could not be
 * checked out or opened there.
 */
const noIdIsAWindowsDeviceName: Rule = ({ set, report }) => {
  const check = (kind: string, item: Located<{ id: string }>) => {
    if (windowsDeviceName(item.value.id)) {
      report(
        item.file,
        joinPointer(item.pointer, 'id'),
        `${kind} id "${item.value.id}" is a reserved Windows device name (CON, PRN, AUX, NUL, COM0–COM9, LPT0–LPT9): files named after it cannot be opened on Windows`,
      );
    }
  };
  for (const profile of set.profiles) check('profile', profile);
  for (const target of set.targets) check('Windows target', target);
};

/** `updated` is a real calendar day (the schema's pattern admits 2026-02-31). */
const everyDateIsARealDay: Rule = ({ set, report }) => {
  for (const profile of set.profiles) {
    const text = profile.value.updated;
    if (text === undefined) continue;
    const [year, month, day] = text.split('-').map(Number) as [number, number, number];
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (day > last) {
      report(profile.file, joinPointer(profile.pointer, 'updated'), `updated ${quote(text)} is not a date: ${MONTHS[month - 1]} ${year} has ${last} days`);
    }
  }
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const everySourceReferenceResolves: Rule = ({ set, catalog, report, unseen }) => {
  const check = (file: string, pointer: string, id: string) => {
    if (!catalog.sources.has(id) && !unseen('sources', id))
      report(file, pointer, `unknown source ${quote(id)}: add it to sources.yaml${suggest(id, catalog.sources.keys())}`);
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

const everyTargetAndSettingReferenceResolves: Rule = ({ set, catalog, report, unseen }) => {
  const checkTarget = (file: string, pointer: string, id: string) => {
    if (!catalog.targets.has(id) && !unseen('windows', id))
      report(file, pointer, `unknown Windows target ${quote(id)}; known targets: ${[...catalog.targets.keys()].join(', ')}`);
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
      if (!catalog.settings.has(id) && !unseen('settings', id))
        report(p.file, joinPointer(p.pointer, 'settings', i), `unknown setting ${quote(id)}${suggest(id, catalog.settings.keys())}`);
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
const everyOverrideReplacesAValueTheProfileWrites: Rule = ({ set, catalog, report, checkData }) => {
  for (const p of set.profiles) {
    const seen = new Set<string>();
    (p.value.overrides ?? []).forEach((x, i) => {
      const pointer = joinPointer(p.pointer, 'overrides', i);
      const identity = `${x.setting}|${valueNameIdentity(x.name)}`;
      if (seen.has(identity)) report(p.file, pointer, `value ${quote(x.name)} of setting "${x.setting}" is overridden twice`);
      seen.add(identity);
      if (!p.value.settings.includes(x.setting)) {
        report(p.file, joinPointer(pointer, 'setting'), `setting "${x.setting}" is not one of this profile's settings`);
        return;
      }
      // Unknown, or in a file that failed its checks: reported there.
      const setting = catalog.settings.get(x.setting)?.value;
      if (!setting) return;
      const written = setting.values.filter((op) => (op.action ?? 'set') === 'set' && valueNameIdentity(op.name ?? '') === valueNameIdentity(x.name));
      if (written.length === 0) {
        report(p.file, joinPointer(pointer, 'name'), `setting "${x.setting}" writes no value named ${quote(x.name)}`);
        return;
      }
      for (const type of new Set(written.map((op) => op.type!))) checkData(p.file, joinPointer(pointer, 'data'), type, x.data);
    });
  }
};

/**
 * One DSC configuration must work on every node: data a Registry resource module cannot write
 * faithfully (src/model/dsc-registry-limits.ts) is refused, located at the value (or the profile's
 * override), instead of a configuration that fails or never converges.
 */
const dscWritesEveryValueFaithfully: Rule = ({ set, catalog, report }) => {
  const reported = new Set<string>();
  for (const p of set.profiles) {
    const inbox = (p.value.dsc?.resourceModule ?? 'PSDesiredStateConfiguration') === 'PSDesiredStateConfiguration';
    for (const id of p.value.settings) {
      const setting = catalog.settings.get(id);
      setting?.value.values.forEach((op, i) => {
        if (op.type === undefined || op.data === undefined || (op.action ?? 'set') !== 'set') return;
        const overrideIndex = (p.value.overrides ?? []).findIndex((o) => o.setting === id && valueNameIdentity(o.name) === valueNameIdentity(op.name ?? ''));
        const data = parseValueData(op.type, overrideIndex >= 0 ? p.value.overrides![overrideIndex]!.data : op.data);
        if (!data.ok) return;
        const refusal = (inbox ? inboxDscCannotWrite(data.value) : null) ?? psDscResourcesCannotWrite(data.value);
        if (!refusal) return;
        const [file, pointer] =
          overrideIndex >= 0
            ? [p.file, joinPointer(p.pointer, 'overrides', overrideIndex, 'data')]
            : [setting.file, joinPointer(setting.pointer, 'values', i, 'data')];
        const message = `${refusal} (profile ${p.value.id}, DSC module ${inbox ? 'PSDesiredStateConfiguration' : 'PSDscResources'})`;
        if (!reported.has(`${file}|${pointer}|${message}`)) report(file, pointer, message);
        reported.add(`${file}|${pointer}|${message}`);
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
      report(
        t.file,
        joinPointer(t.pointer, 'build'),
        `build range ${min} to ${max} spans numbers of different lengths; split the target (Group Policy compares build numbers as text)`,
      );
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

const everyOperationIsARepresentableRegistryWrite: Rule = ({ set, report, checkData }) => {
  for (const s of set.settings) {
    s.value.values.forEach((op, i) => {
      const pointer = joinPointer(s.pointer, 'values', i);
      const key = parseKeyPath(op.key);
      if (!key.ok) report(s.file, joinPointer(pointer, 'key'), key.error);
      const nameProblem = op.name === undefined ? null : valueNameProblem(op.name);
      if (nameProblem) report(s.file, joinPointer(pointer, 'name'), nameProblem);
      if (op.type !== undefined && op.data !== undefined) checkData(s.file, joinPointer(pointer, 'data'), op.type, op.data);
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
  const shownKey = shown(key, 160);
  if (architecture === 'x86' && /\\WOW6432NODE(\\|$)/i.test(key)) {
    return `${shownKey} exists only on 64-bit Windows; restrict setting "${selected.setting.value.id}" with when: { architectures: [x64] }`;
  }
  if (op.action === 'delete-key') return null;
  const valueId = `${keyId}|${valueNameIdentity(op.name ?? '')}`;
  const parsed = op.type !== undefined && op.data !== undefined ? parseValueData(op.type, op.data) : null;
  const value = parsed?.ok ? parsed.value : null;
  const outcome = op.action === 'delete-value' ? 'delete' : value ? `${value.type}=${displayData(value)}` : 'invalid';
  const earlier = firstWrite.get(valueId);
  if (!earlier) {
    firstWrite.set(valueId, { selected, outcome, value });
    return null;
  }
  const where = `setting "${earlier.selected.setting.value.id}"`;
  const name = op.name === '' ? '(default)' : quote(op.name ?? '');
  if (earlier.outcome === outcome || (earlier.value && value && sameValue(earlier.value, value))) {
    return `${shownKey} ${name} is already written with the same data by ${where}; write it once`;
  }
  return `${shownKey} ${name} conflicts with ${where}: ${shown(earlier.outcome, 120)} there, ${shown(outcome, 120)} here`;
}

const RULES: readonly Rule[] = [
  everyIdIsDefinedOnce,
  everyTargetFileIdIsUnique,
  noIdIsAWindowsDeviceName,
  everyDateIsARealDay,
  everySourceReferenceResolves,
  everyTargetAndSettingReferenceResolves,
  everyRangeRunsFromLowToHigh,
  everyOperationIsARepresentableRegistryWrite,
  everyValueHasOneOutcomePerTarget,
  everyOverrideReplacesAValueTheProfileWrites,
  dscWritesEveryValueFaithfully,
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
