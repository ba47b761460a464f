/**
 * The artifact registry: one entry per output format. Adding a format means adding an entry,
 * its template folder and its golden cases; the pipeline and emit phase do not change.
 */
import { asciiCrlf, utf16leBomCrlf, utf8BomCrlf, utf8Lf, utf8NoBomCrlf } from '../formats/text-encoding.js';
import { dscFileNames, renderDscConfiguration, renderDscConfigurationData } from './dsc.js';
import { REGISTRY_XML_IN_BACKUP, gpoBackupIds, renderBackupInfo, renderBackupXml, renderManifest } from './gpo-backup.js';
import { renderGppRegistryXml } from './gpp.js';
import { intuneFileNames, intuneTargets, renderIntuneDetect, renderIntuneRemediate } from './intune.js';
import { renderAuditScript, renderInstallScript, scriptFileNames } from './scripts.js';
import type { ProfilePlan } from '../resolve/plan.js';
import { renderChecksums } from './checksums.js';
import { renderProfileReadme } from './readme.js';
import { regFileNames, renderRegApply, renderRegRollback } from './reg-file.js';

export const FORMAT_IDS = ['reg', 'dsc', 'gpp', 'gpo', 'scripts', 'intune'] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

export interface GeneratedFile {
  /** Path below the output folder, with forward slashes: `<profile>/reg/ws2016.reg`. */
  readonly path: string;
  readonly bytes: Uint8Array;
  /** The format it belongs to; profile-level files (README.md, SHA256SUMS) belong to every format. */
  readonly format: FormatId | null;
  /** The target it was made for (`win10`, `win10-x86`), or null for files about the whole profile. */
  readonly targetId: string | null;
  /** Paths of generated files whose SHA-256 this file embeds: it is stale whenever one of them changes. */
  readonly embedsHashesOf?: readonly string[];
}

interface Format {
  readonly id: FormatId;
  render(profile: ProfilePlan): GeneratedFile[];
}

const regFormat: Format = {
  id: 'reg',
  render: (profile) =>
    profile.targets.flatMap((plan) => {
      const names = regFileNames(plan);
      const file = (name: string, text: string): GeneratedFile => ({
        path: `${profile.id}/reg/${name}`,
        bytes: utf16leBomCrlf(text),
        format: 'reg',
        targetId: plan.variantId,
      });
      return [file(names.apply, renderRegApply(profile, plan)), file(names.rollback, renderRegRollback(profile, plan))];
    }),
};

/** One configuration for the whole fleet (targets chosen per node), its rollback, and ConfigurationData. */
const dscFormat: Format = {
  id: 'dsc',
  render: (profile) => {
    const names = dscFileNames(profile.id);
    const file = (name: string, text: string): GeneratedFile => ({
      path: `${profile.id}/dsc/${name}`,
      bytes: utf8BomCrlf(text),
      format: 'dsc',
      targetId: null,
    });
    return [
      file(names.apply, renderDscConfiguration(profile, 'apply')),
      file(names.rollback, renderDscConfiguration(profile, 'rollback')),
      file(names.data, renderDscConfigurationData(profile)),
    ];
  },
};

/** Display-only dates from the profile's `updated`, never from the clock. */
function gppOptions(profile: ProfilePlan) {
  return { removePolicy: profile.gppRemovePolicy, changed: profile.updated === null ? null : `${profile.updated} 00:00:00` };
}

const gppFormat: Format = {
  id: 'gpp',
  render: (profile) => {
    const file = (name: string, text: string): GeneratedFile => ({
      path: `${profile.id}/gpp/${name}`,
      bytes: utf8NoBomCrlf(text),
      format: 'gpp',
      targetId: null,
    });
    return [
      file('Registry.xml', renderGppRegistryXml(profile, 'apply', gppOptions(profile))),
      file('rollback/Registry.xml', renderGppRegistryXml(profile, 'rollback', { ...gppOptions(profile), removePolicy: false })),
    ];
  },
};

const gpoFormat: Format = {
  id: 'gpo',
  render: (profile) => {
    const { backupId } = gpoBackupIds(profile);
    const backupTime = `${profile.updated ?? '2000-01-01'}T00:00:00`;
    const file = (name: string, text: string): GeneratedFile => ({
      path: `${profile.id}/gpo/${name}`,
      bytes: utf8NoBomCrlf(text),
      format: 'gpo',
      targetId: null,
    });
    return [
      file('manifest.xml', renderManifest(profile, backupTime)),
      file(`${backupId}/Backup.xml`, renderBackupXml(profile, backupTime)),
      file(`${backupId}/bkupInfo.xml`, renderBackupInfo(profile, backupTime)),
      file(`${backupId}/${REGISTRY_XML_IN_BACKUP}`, renderGppRegistryXml(profile, 'apply', gppOptions(profile))),
    ];
  },
};

/** The signed-ready installer (verifies, backs up, imports the .reg) and the audit. */
const scriptsFormat: Format = {
  id: 'scripts',
  render: (profile) => {
    const names = scriptFileNames(profile.id);
    const file = (name: string, text: string): GeneratedFile => ({
      path: `${profile.id}/scripts/${name}`,
      bytes: utf8BomCrlf(text),
      format: 'scripts',
      targetId: null,
    });
    // The installer verifies each .reg file against the SHA-256 it embeds.
    const regFiles = profile.targets.flatMap((plan) => Object.values(regFileNames(plan)).map((name) => `${profile.id}/reg/${name}`));
    return [{ ...file(names.install, renderInstallScript(profile)), embedsHashesOf: regFiles }, file(names.audit, renderAuditScript(profile))];
  },
};

/** Intune Remediations: a self-contained detection/remediation pair, ASCII without BOM; only for profiles with a target Intune supports. */
const intuneFormat: Format = {
  id: 'intune',
  render: (profile) => {
    if (intuneTargets(profile).length === 0) return [];
    const names = intuneFileNames(profile.id);
    const file = (name: string, text: string): GeneratedFile => ({
      path: `${profile.id}/intune/${name}`,
      bytes: asciiCrlf(text),
      format: 'intune',
      targetId: null,
    });
    return [file(names.detect, renderIntuneDetect(profile)), file(names.remediate, renderIntuneRemediate(profile))];
  },
};

const FORMATS: readonly Format[] = [regFormat, dscFormat, gppFormat, gpoFormat, scriptsFormat, intuneFormat];

/** Every file of one profile: all formats, then README.md, then SHA256SUMS over all of them. */
export function renderProfileFiles(profile: ProfilePlan): GeneratedFile[] {
  const artifacts = FORMATS.flatMap((format) => format.render(profile));
  const readme: GeneratedFile = {
    path: `${profile.id}/README.md`,
    bytes: utf8Lf(renderProfileReadme(profile)),
    format: null,
    targetId: null,
  };
  const sums: GeneratedFile = {
    path: `${profile.id}/SHA256SUMS`,
    bytes: utf8Lf(renderChecksums(profile.id, [...artifacts, readme])),
    format: null,
    targetId: null,
  };
  return [...artifacts, readme, sums];
}
