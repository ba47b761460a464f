/**
 * The plan: what every renderer consumes and nothing else. One TargetPlan per profile × target
 * variant, with ordered registry operations that carry their provenance and classification.
 */
import type { Hive, RegistryValue } from '../model/registry.js';
import type { Architecture, NtVersion, OutputMode, ProtocolSides, TargetKind } from '../definitions/types.js';
import type { Benchmark, ComposedPolicy, Workload } from '../model/compose.js';

export interface SourceRef {
  readonly id: string;
  readonly title: string;
  readonly url: string;
}

export interface SettingRef {
  readonly id: string;
  readonly title: string;
  readonly rationale: string;
  readonly source: SourceRef;
  readonly reboot: { readonly required: boolean; readonly source: SourceRef; readonly note: string | null };
}

/** Where an operation's data came from: which profile brought its setting, and what changed the data. */
export interface Origin {
  /** The profile whose `settings` list names the setting (the profile itself or one it extends). */
  readonly profile: string;
  /** The profile override that replaced the setting's own data, or null. */
  readonly override: {
    readonly profile: string;
    readonly reason: string;
    readonly source: SourceRef | null;
    /** Where the override entry is written (lint points there). */
    readonly entry: { readonly file: string; readonly pointer: string };
  } | null;
  /** The value policy that changed the data or left the value out (e.g. "enabled: 0xFFFFFFFF"), or null. */
  readonly policy: string | null;
}

interface OperationBase {
  readonly hive: Hive;
  /** Key path below the hive. */
  readonly path: string;
  readonly setting: SettingRef;
  readonly rebootRequired: boolean;
  readonly origin: Origin;
}

export interface SetValueOperation extends OperationBase {
  readonly action: 'set';
  /** '' is the key's default value. */
  readonly name: string;
  readonly value: RegistryValue;
  /** Non-null when this data is already what Windows does on this target without the value. */
  readonly windowsDefault: { readonly source: SourceRef; readonly note: string | null } | null;
  /**
   * Other data of the same type the audit, the installer and Intune detection accept as compliant
   * (the profile's policy allows it), e.g. a legacy Enabled=0xFFFFFFFF where 1 is written. Usually empty.
   */
  readonly alsoAccepted: RegistryValue[];
}

export interface DeleteValueOperation extends OperationBase {
  readonly action: 'delete-value';
  readonly name: string;
}

export interface DeleteKeyOperation extends OperationBase {
  readonly action: 'delete-key';
}

export type RegistryOperation = SetValueOperation | DeleteValueOperation | DeleteKeyOperation;

/** A file whose version proves an update (or a later one that contains it) is installed. */
export interface FileVersionCheck {
  /** Windows path with environment variables, e.g. %SystemRoot%\System32\winhttp.dll. */
  readonly path: string;
  /** Dotted four-part version, e.g. 6.1.7601.23375. */
  readonly minVersion: string;
  readonly source: SourceRef;
}

export interface Prerequisite {
  readonly id: string;
  readonly title: string;
  readonly url: string;
  readonly source: SourceRef;
  readonly note: string | null;
  /**
   * Ids of the settings in this target's plan that need the update. Only their values wait for it:
   * they are still written (Windows ignores them until the update is there), and scripts report
   * them as not yet effective. Never empty: a prerequisite no planned setting needs is dropped.
   */
  readonly requiredBy: string[];
  /**
   * Capability detection: the update's code is present when every file is at least its version
   * (updates that arrived inside a rollup included). Get-HotFix -Id <id> is the second signal,
   * used when a file check is inconclusive (file missing) or the list is empty.
   */
  readonly detection: { readonly files: FileVersionCheck[] };
}

/**
 * A check that warns and never blocks, e.g. the .NET Framework release that honours a value.
 * Scripts read `HKLM\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full` `Release` and warn below minRelease.
 */
export interface DotNetReleaseAdvisory {
  readonly kind: 'dotnet-release';
  /** Settings whose values need it. */
  readonly requiredBy: string[];
  /** Lowest `Release` that honours the values on its own (e.g. 460798, .NET Framework 4.7). */
  readonly minRelease: number;
  /** Said when the machine's release is lower (e.g. which rollups make 4.5.2 to 4.6.2 work). */
  readonly text: string;
  readonly source: SourceRef;
}

/** Whether a deployment channel can run on a Windows version, and what it needs first. */
export interface ChannelSupport {
  readonly supported: boolean;
  /** What must be installed first, e.g. "WMF 5.1"; null when nothing. */
  readonly requires: string | null;
  /** Why not, or what to use instead; null when nothing to say. */
  readonly note: string | null;
  readonly source: SourceRef;
}

/** Deployment channels recorded per Windows version in windows.yaml. */
export interface TargetChannels {
  /** PowerShell DSC with the in-box PSDesiredStateConfiguration module (WMF 4.0+). */
  readonly dsc: ChannelSupport;
  /** The installer and audit scripts (Windows PowerShell 2.0+). */
  readonly scripts: ChannelSupport;
  /** Intune Remediations (detection and remediation script pair). */
  readonly intune: ChannelSupport;
}

export interface PlanWarning {
  readonly text: string;
  readonly source: SourceRef;
}

export interface TargetInfo {
  readonly id: string;
  readonly product: string;
  readonly kind: TargetKind;
  readonly ntVersion: NtVersion;
  readonly build: { readonly min: number; readonly max: number | null };
  readonly gppOsVersion: string;
  readonly note: string | null;
  readonly sources: SourceRef[];
  readonly channels: TargetChannels;
  /** Schannel's default per protocol and side on this version, with no registry value (windows.yaml). */
  readonly schannel: Readonly<Record<string, ProtocolSides>>;
}

/** A setting the profile (or one it extends) leaves out on this target, and why. */
export interface PlannedRemoval {
  readonly setting: string;
  readonly reason: string;
  readonly profile: string;
}

/** A setting left out on this target by a dated exception (lint refuses it after `until`). */
export interface PlannedException {
  readonly setting: string;
  /** YYYY-MM-DD: the last day the exception holds. */
  readonly until: string;
  readonly reason: string;
  readonly ticket: string | null;
  readonly profile: string;
}

/** Windows versions a profile does not cover, and why. */
export interface LeftOutPlan {
  readonly targets: readonly string[];
  readonly reason: string;
  readonly source: SourceRef;
}

export interface TargetPlan {
  readonly variantId: string;
  readonly target: TargetInfo;
  readonly architecture: Architecture;
  /** Operations the apply artifacts perform, in order. */
  readonly apply: RegistryOperation[];
  /** Operations left out because they are already the Windows default here (minimal mode only). */
  readonly skipped: SetValueOperation[];
  /** Values the profile's value policy leaves out (DisabledByDefault: omit). */
  readonly omittedByPolicy: SetValueOperation[];
  /** Undo of apply: deletes exactly the values apply sets, so Windows falls back to its defaults. */
  readonly rollback: DeleteValueOperation[];
  readonly prerequisites: Prerequisite[];
  readonly advisories: DotNetReleaseAdvisory[];
  readonly warnings: PlanWarning[];
  /** Settings of the profile left out here by `remove`. */
  readonly removed: PlannedRemoval[];
  /** Settings of the profile left out here by a dated exception. */
  readonly exceptions: PlannedException[];
  readonly rebootRequired: boolean;
  /** Every source the operations, prerequisites and warnings cite, first-use order. */
  readonly sources: SourceRef[];
}

export interface ProfilePlan {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly source: SourceRef;
  /** The profiles this one extends, nearest first; empty when it extends none. */
  readonly extends: readonly string[];
  readonly mode: OutputMode;
  /** The value policy in force, with the profile that chose each field. */
  readonly policy: ComposedPolicy;
  readonly workloads: readonly Workload[];
  readonly compliance: readonly Benchmark[];
  readonly leftOut: readonly LeftOutPlan[];
  /** Module whose Registry resource the DSC configuration uses. */
  readonly dscResourceModule: 'PSDesiredStateConfiguration' | 'PSDscResources';
  /** GPP items use "remove this item when it is no longer applied" (action Replace). */
  readonly gppRemovePolicy: boolean;
  /** YYYY-MM-DD from the profile, or null: display-only dates in GPP and the GPO backup. */
  readonly updated: string | null;
  readonly settings: SettingRef[];
  readonly targets: TargetPlan[];
}
