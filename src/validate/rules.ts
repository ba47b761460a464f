/**
 * Validate phase, layer 2: semantic rules over schema-valid definitions. Each rule is named by
 * the sentence it enforces and returns located diagnostics; all rules run, all problems are reported.
 */
import type { Diagnostic } from '../diagnostics.js';
import { joinPointer, quote, shown } from '../diagnostics.js';
import type { DefinitionKind } from '../load/discover.js';
import type { YamlDocument } from '../load/yaml-source.js';
import { catalogOf } from '../model/catalog.js';
import { composeProfile } from '../model/compose.js';
import type { ComposedProfile } from '../model/compose.js';
import { isWinHttpDefaultSecureProtocols } from '../model/tls-values.js';
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
  /** Profiles with what they inherit; a profile that does not compose (unknown parent, loop) is absent. */
  readonly composed: ReadonlyMap<string, ComposedProfile>;
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
  const catalog = catalogOf(set);
  const composed = new Map<string, ComposedProfile>();
  for (const profile of set.profiles) {
    if (catalog.profiles.get(profile.value.id) !== profile) continue;
    const composition = composeProfile(catalog, profile.value.id);
    if (composition.ok) composed.set(profile.value.id, composition.profile);
    else if (!(profile.value.extends && unseen('profile', profile.value.extends)))
      report(composition.problem.file, composition.problem.pointer, composition.problem.message);
  }
  const context: RuleContext = { set, catalog, report, unseen, checkData, composed };
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
  const check = (file: string, pointer: string, what: string, text: string | undefined) => {
    if (text === undefined) return;
    const [year, month, day] = text.split('-').map(Number) as [number, number, number];
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (day > last) report(file, pointer, `${what} ${quote(text)} is not a date: ${MONTHS[month - 1]} ${year} has ${last} days`);
  };
  for (const profile of set.profiles) {
    check(profile.file, joinPointer(profile.pointer, 'updated'), 'updated', profile.value.updated);
    (profile.value.exceptions ?? []).forEach((x, i) => check(profile.file, joinPointer(profile.pointer, 'exceptions', i, 'until'), 'until', x.until));
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
    (p.value.leftOut ?? []).forEach((x, i) => check(p.file, joinPointer(p.pointer, 'leftOut', i, 'source'), x.source));
  }
};

const everyTargetAndSettingReferenceResolves: Rule = ({ set, catalog, report, unseen, composed }) => {
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
    const profile = composed.get(p.value.id);
    const parent = p.value.extends === undefined ? undefined : composed.get(p.value.extends);
    // What the parent really passes on: its settings after every removal, each with the profile that listed it.
    const inherited = new Map((parent?.settings ?? []).map((s) => [s.value, s.profile]));
    // Before this profile's own removals (what `remove` may name).
    const settings = new Set([...inherited.keys(), ...(p.value.settings ?? [])]);
    const kept = profile ? new Set(profile.settings.map((s) => s.value)) : settings;
    (p.value.targets ?? []).forEach((id, i) => checkTarget(p.file, joinPointer(p.pointer, 'targets', i), id));
    (p.value.settings ?? []).forEach((id, i) => {
      const from = inherited.get(id);
      if (!catalog.settings.has(id) && !unseen('settings', id))
        report(p.file, joinPointer(p.pointer, 'settings', i), `unknown setting ${quote(id)}${suggest(id, catalog.settings.keys())}`);
      else if (from !== undefined)
        report(p.file, joinPointer(p.pointer, 'settings', i), `setting "${id}" is already inherited from profile ${from}; list it once`);
    });
    (p.value.prerequisites ?? []).forEach((x, i) => {
      const pointer = joinPointer(p.pointer, 'prerequisites', i);
      checkCondition(p.file, joinPointer(pointer, 'when'), x.when);
      (x.detection?.files ?? []).forEach((f, j) => checkCondition(p.file, joinPointer(pointer, 'detection', 'files', j, 'when'), f.when));
      x.requiredBy.forEach((id, j) => {
        if (!settings.has(id)) {
          report(p.file, joinPointer(pointer, 'requiredBy', j), `prerequisite ${x.id} names setting "${id}", which is not one of this profile's settings`);
        }
      });
    });
    (p.value.warnings ?? []).forEach((x, i) => checkCondition(p.file, joinPointer(p.pointer, 'warnings', i, 'when'), x.when));
    if (!profile) continue;
    const covered = new Set(profile.targets.value);
    const checkCovered = (pointer: string, targets: readonly string[] | undefined) =>
      targets?.forEach((id, i) => {
        if (!catalog.targets.has(id)) checkTarget(p.file, joinPointer(pointer, 'targets', i), id);
        else if (!covered.has(id))
          report(p.file, joinPointer(pointer, 'targets', i), `target ${id} is not one of this profile's targets (${[...covered].join(', ')})`);
      });
    const checkSetting = (pointer: string, id: string, what: string) => {
      if (!kept.has(id)) report(p.file, joinPointer(pointer, 'setting'), `${what} names setting "${id}", which ${notWritten(profile, id)}`);
    };
    (p.value.remove ?? []).forEach((x, i) => {
      const pointer = joinPointer(p.pointer, 'remove', i);
      if (!settings.has(x.setting))
        report(p.file, joinPointer(pointer, 'setting'), `remove names setting "${x.setting}", which is not one of this profile's settings`);
      else if (!inherited.has(x.setting) && x.targets === undefined)
        report(
          p.file,
          joinPointer(pointer, 'setting'),
          `remove names this profile's own setting "${x.setting}" everywhere: leave it out of settings instead, or give targets`,
        );
      checkCovered(pointer, x.targets);
    });
    (p.value.exceptions ?? []).forEach((x, i) => {
      const pointer = joinPointer(p.pointer, 'exceptions', i);
      checkSetting(pointer, x.setting, 'exception');
      checkCovered(pointer, x.targets);
    });
    (p.value.overrides ?? []).forEach((x, i) => checkCovered(joinPointer(p.pointer, 'overrides', i), x.targets));
    // Lint reports per edition, so an allowance may name a Windows version or one of its editions (win10-x86).
    const editions = new Map(
      [...covered].flatMap((id) => (catalog.targets.get(id) ? variantsOf(catalog.targets.get(id)!.value) : [])).map((v) => [v.variantId, v.target.id]),
    );
    (p.value.lint?.allow ?? []).forEach((x, i) =>
      x.targets?.forEach((id, j) => {
        const pointer = joinPointer(p.pointer, 'lint', 'allow', i, 'targets', j);
        if (editions.has(id) || unseen('windows', id)) return;
        const of = [...catalog.targets.values()].find((t) => variantsOf(t.value).some((v) => v.variantId === id));
        if (of)
          report(
            p.file,
            pointer,
            `${of.value.id === id ? 'target' : `edition ${id} of`} ${of.value.id} is not one of this profile's targets (${[...covered].join(', ')})`,
          );
        else report(p.file, pointer, `unknown Windows target or edition ${quote(id)}; this profile's are: ${[...editions.keys()].join(', ')}`);
      }),
    );
    (p.value.leftOut ?? []).forEach((x, i) =>
      x.targets.forEach((id, j) => {
        const pointer = joinPointer(p.pointer, 'leftOut', i, 'targets', j);
        if (!catalog.targets.has(id)) checkTarget(p.file, pointer, id);
        else if (covered.has(id)) report(p.file, pointer, `target ${id} is listed as left out, but the profile covers it`);
      }),
    );
  }
};

/** Why a composed profile does not write `setting`: removed everywhere by a profile of its chain, or never listed. */
function notWritten(profile: ComposedProfile | undefined, setting: string): string {
  const removal = profile?.removals.find((r) => r.value.setting === setting && r.value.targets === undefined);
  return removal ? `profile ${removal.profile} removes everywhere, so this profile does not write it` : "is not one of this profile's settings";
}

/**
 * A profile writes something: a profile without `extends` must list a setting (schema), and one whose
 * own `remove` entries leave none of what it inherits would build folders of empty artifacts.
 */
const everyProfileKeepsASetting: Rule = ({ set, report, composed }) => {
  for (const p of set.profiles) {
    const profile = composed.get(p.value.id);
    // A profile that inherits nothing already had it reported at the ancestor that removed the last one.
    const parent = p.value.extends === undefined ? undefined : composed.get(p.value.extends);
    if (!profile || profile.settings.length > 0 || !parent || parent.settings.length === 0 || (p.value.remove ?? []).length === 0) continue;
    report(
      p.file,
      joinPointer(p.pointer, 'remove'),
      `remove takes away every setting profile ${p.value.id} has: it would write nothing on any target; keep a setting, list one, or extend another profile`,
    );
  }
};

/**
 * A value policy says how values are written and judged; the profile's own policy fields must do
 * something and agree. acceptEnabled must accept what policy.enabled writes (the audit would call the
 * profile's own data non-compliant otherwise), and winhttpProtocols needs a WinHTTP
 * DefaultSecureProtocols value among the profile's settings.
 */
const everyPolicyFieldFitsTheProfile: Rule = ({ set, catalog, report, composed }) => {
  for (const p of set.profiles) {
    const profile = composed.get(p.value.id);
    const own = p.value.policy;
    if (!profile || !own) continue;
    const { policy } = profile;
    if (
      (own.acceptEnabled !== undefined || own.enabled !== undefined) &&
      policy.chosenBy.acceptEnabled !== null &&
      !policy.acceptEnabled.includes(policy.enabled)
    ) {
      const data = policy.enabled === 1 ? '1' : '0xFFFFFFFF';
      const [field, message] =
        own.acceptEnabled !== undefined
          ? [
              'acceptEnabled',
              `acceptEnabled must include the Enabled data the profile writes: ${data} (${policy.chosenBy.enabled === null ? 'the default' : `policy.enabled of profile ${policy.chosenBy.enabled}`})`,
            ]
          : [
              'enabled',
              `enabled writes ${data}, which acceptEnabled of profile ${policy.chosenBy.acceptEnabled} does not include; give acceptEnabled here too`,
            ];
      report(p.file, joinPointer(p.pointer, 'policy', field), message);
    }
    if (own.winhttpProtocols !== undefined) {
      const writesWinHttp = profile.settings.some(({ value: id }) =>
        (catalog.settings.get(id)?.value.values ?? []).some((op) => {
          const key = parseKeyPath(op.key);
          return (op.action ?? 'set') === 'set' && key.ok && isWinHttpDefaultSecureProtocols(key.value.hive, key.value.path, op.name ?? '');
        }),
      );
      if (!writesWinHttp)
        report(
          p.file,
          joinPointer(p.pointer, 'policy', 'winhttpProtocols'),
          `winhttpProtocols would change nothing: none of profile ${p.value.id}'s settings writes WinHTTP DefaultSecureProtocols`,
        );
    }
  }
};

/** An override replaces data the profile's own setting writes: the setting and value name must exist, the data must fit. */
const everyOverrideReplacesAValueTheProfileWrites: Rule = ({ set, catalog, report, checkData, composed }) => {
  for (const p of set.profiles) {
    const profile = composed.get(p.value.id);
    const settings = new Set(profile ? profile.settings.map((s) => s.value) : (p.value.settings ?? []));
    const earlier: { identity: string; targets: readonly string[] | undefined }[] = [];
    (p.value.overrides ?? []).forEach((x, i) => {
      const pointer = joinPointer(p.pointer, 'overrides', i);
      const identity = `${x.setting}|${valueNameIdentity(x.name)}`;
      const overlaps = (a: readonly string[] | undefined, b: readonly string[] | undefined) => !a || !b || a.some((id) => b.includes(id));
      if (earlier.some((e) => e.identity === identity && overlaps(e.targets, x.targets)))
        report(p.file, pointer, `value ${quote(x.name)} of setting "${x.setting}" is overridden twice for the same target`);
      earlier.push({ identity, targets: x.targets });
      if (!settings.has(x.setting)) {
        const removal = profile?.removals.find((r) => r.value.setting === x.setting && r.value.targets === undefined);
        report(
          p.file,
          joinPointer(pointer, 'setting'),
          removal
            ? `setting "${x.setting}" is removed everywhere by profile ${removal.profile}, so this override changes nothing`
            : `setting "${x.setting}" is not one of this profile's settings`,
        );
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
      if (x.protocols !== undefined) {
        const winhttp = written.every((op) => {
          const key = parseKeyPath(op.key);
          return op.type === 'REG_DWORD' && key.ok && isWinHttpDefaultSecureProtocols(key.value.hive, key.value.path, op.name ?? '');
        });
        if (!winhttp)
          report(
            p.file,
            joinPointer(pointer, 'protocols'),
            `protocols names WinHTTP protocols; setting "${x.setting}" ${quote(x.name)} is not WinHTTP's DefaultSecureProtocols: give data instead`,
          );
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
const dscWritesEveryValueFaithfully: Rule = ({ catalog, report, composed }) => {
  const reported = new Set<string>();
  for (const profile of composed.values()) {
    const inbox = (profile.dscResourceModule ?? 'PSDesiredStateConfiguration') === 'PSDesiredStateConfiguration';
    for (const { value: id } of profile.settings) {
      const setting = catalog.settings.get(id);
      setting?.value.values.forEach((op, i) => {
        if (op.type === undefined || op.data === undefined || (op.action ?? 'set') !== 'set') return;
        const overrides = profile.overrides.filter(
          (o) => o.value.setting === id && valueNameIdentity(o.value.name) === valueNameIdentity(op.name ?? '') && o.value.data !== undefined,
        );
        const candidates = [
          // The setting's own data counts unless an override replaces it on every target.
          ...(overrides.some((o) => o.value.targets === undefined)
            ? []
            : [{ data: op.data, file: setting.file, pointer: joinPointer(setting.pointer, 'values', i, 'data') }]),
          ...overrides.map((o) => ({ data: o.value.data, file: o.file, pointer: joinPointer(o.pointer, 'data') })),
        ];
        for (const candidate of candidates) {
          const data = parseValueData(op.type, candidate.data);
          if (!data.ok) continue;
          const refusal = (inbox ? inboxDscCannotWrite(data.value) : null) ?? psDscResourcesCannotWrite(data.value);
          if (!refusal) continue;
          const message = `${refusal} (profile ${profile.id}, DSC module ${inbox ? 'PSDesiredStateConfiguration' : 'PSDscResources'})`;
          const id = `${candidate.file}|${candidate.pointer}|${message}`;
          if (!reported.has(id)) report(candidate.file, candidate.pointer, message);
          reported.add(id);
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
const everyValueHasOneOutcomePerTarget: Rule = ({ catalog, report, composed }) => {
  for (const profile of composed.values()) {
    const settings = profile.settings.flatMap(({ value: id }) => catalog.settings.get(id) ?? []);
    const targets = profile.targets.value.flatMap((id) => catalog.targets.get(id) ?? []);
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
            report(selected.setting.file, selected.pointer, `${problem} (profile ${profile.id}, target ${variant.variantId})`);
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
  everyProfileKeepsASetting,
  everyPolicyFieldFitsTheProfile,
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
