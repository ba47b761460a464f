/**
 * The artifact registry: one entry per output format. Adding a format means adding an entry,
 * its template folder and its golden cases; the pipeline and emit phase do not change.
 */
import { asciiCrlf, utf8BomCrlf, utf8Lf, utf8NoBomCrlf } from '../formats/text-encoding.js';
import { dscFileNames, renderDscConfiguration, renderDscConfigurationData } from './dsc.js';
import { REGISTRY_XML_IN_BACKUP, gpoBackupIds, renderBackupInfo, renderBackupXml, renderManifest } from './gpo-backup.js';
import { renderGppRegistryXml } from './gpp.js';
import { intuneFileNames, intuneTargets, renderIntuneScripts } from './intune.js';
import { renderScripts, scriptFileNames } from './scripts.js';
import type { ProfilePlan } from '../resolve/plan.js';
import { renderChecksums } from './checksums.js';
import { type RenderContext, createRenderContext, gppOptions, regFilesOf } from './context.js';
import { renderProfileReadme } from './readme.js';

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
  render(profile: ProfilePlan, context: RenderContext): GeneratedFile[];
}

const regFormat: Format = {
  id: 'reg',
  // The bytes the render context made once; the installer embeds their SHA-256.
  render: (profile, context) =>
    profile.targets.flatMap((plan) => {
      const { apply, rollback } = regFilesOf(context, plan);
      return [apply, rollback].map(
        (file): GeneratedFile => ({
          path: `${profile.id}/reg/${file.name}`,
          bytes: file.bytes,
          format: 'reg',
          targetId: plan.variantId,
        }),
      );
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

const gppFormat: Format = {
  id: 'gpp',
  render: (profile, context) => {
    const file = (name: string, bytes: Uint8Array): GeneratedFile => ({ path: `${profile.id}/gpp/${name}`, bytes, format: 'gpp', targetId: null });
    return [
      file('Registry.xml', context.gppApplyBytes()),
      file('rollback/Registry.xml', utf8NoBomCrlf(renderGppRegistryXml(profile, 'rollback', { ...gppOptions(profile), removePolicy: false }))),
    ];
  },
};

const gpoFormat: Format = {
  id: 'gpo',
  render: (profile, context) => {
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
      { path: `${profile.id}/gpo/${backupId}/${REGISTRY_XML_IN_BACKUP}`, bytes: context.gppApplyBytes(), format: 'gpo', targetId: null },
    ];
  },
};

/** The signed-ready installer (verifies, backs up, imports the .reg) and the audit. */
const scriptsFormat: Format = {
  id: 'scripts',
  render: (profile, context) => {
    const names = scriptFileNames(profile.id);
    const file = (name: string, text: string): GeneratedFile => ({
      path: `${profile.id}/scripts/${name}`,
      bytes: utf8BomCrlf(text),
      format: 'scripts',
      targetId: null,
    });
    // Both carry the scripts/data table, which holds each .reg file's SHA-256 (the installer verifies against it).
    const regFiles = regFilePaths(profile, context);
    const scripts = renderScripts(profile, context);
    return [
      { ...file(names.install, scripts.install), embedsHashesOf: regFiles },
      { ...file(names.audit, scripts.audit), embedsHashesOf: regFiles },
    ];
  },
};

/** The paths of a profile's .reg files, whose SHA-256 the scripts embed. */
function regFilePaths(profile: ProfilePlan, context: RenderContext): string[] {
  return profile.targets.flatMap((plan) => {
    const { apply, rollback } = regFilesOf(context, plan);
    return [apply, rollback].map((f) => `${profile.id}/reg/${f.name}`);
  });
}

/** Intune Remediations: a self-contained detection/remediation pair, ASCII without BOM; only for profiles with a target Intune supports. */
const intuneFormat: Format = {
  id: 'intune',
  render: (profile, context) => {
    if (intuneTargets(profile).length === 0) return [];
    const names = intuneFileNames(profile.id);
    const file = (name: string, text: string): GeneratedFile => ({
      path: `${profile.id}/intune/${name}`,
      bytes: asciiCrlf(text),
      format: 'intune',
      targetId: null,
    });
    const scripts = renderIntuneScripts(profile, context);
    // They include the scripts/data table too, .reg hashes and all.
    const regFiles = regFilePaths(profile, context);
    return [
      { ...file(names.detect, scripts.detect), embedsHashesOf: regFiles },
      { ...file(names.remediate, scripts.remediate), embedsHashesOf: regFiles },
    ];
  },
};

const FORMATS: readonly Format[] = [regFormat, dscFormat, gppFormat, gpoFormat, scriptsFormat, intuneFormat];

/**
 * Every file of one profile: all formats, then README.md, then SHA256SUMS over all of them. What
 * several formats share (each .reg rendered once) lives in this call's render context, and nowhere
 * after it returns.
 */
export function renderProfileFiles(profile: ProfilePlan): GeneratedFile[] {
  const context = createRenderContext(profile);
  const artifacts = FORMATS.flatMap((format) => format.render(profile, context));
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
