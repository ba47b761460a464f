/**
 * The plan: what every renderer consumes and nothing else. One TargetPlan per profile × target
 * variant, with ordered registry operations that carry their provenance and classification.
 */
import type { Hive, RegistryValue } from '../model/registry.js';
import type { Architecture, NtVersion, OutputMode, TargetKind } from '../validate/definitions.js';

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

interface OperationBase {
  readonly hive: Hive;
  /** Key path below the hive. */
  readonly path: string;
  readonly setting: SettingRef;
  readonly rebootRequired: boolean;
}

export interface SetValueOperation extends OperationBase {
  readonly action: 'set';
  /** '' is the key's default value. */
  readonly name: string;
  readonly value: RegistryValue;
  /** Non-null when this data is already what Windows does on this target without the value. */
  readonly windowsDefault: { readonly source: SourceRef; readonly note: string | null } | null;
}

export interface DeleteValueOperation extends OperationBase {
  readonly action: 'delete-value';
  readonly name: string;
}

export interface DeleteKeyOperation extends OperationBase {
  readonly action: 'delete-key';
}

export type RegistryOperation = SetValueOperation | DeleteValueOperation | DeleteKeyOperation;

export interface Prerequisite {
  readonly id: string;
  readonly title: string;
  readonly url: string;
  readonly source: SourceRef;
  readonly note: string | null;
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
}

export interface TargetPlan {
  readonly variantId: string;
  readonly target: TargetInfo;
  readonly architecture: Architecture;
  /** Operations the apply artifacts perform, in order. */
  readonly apply: RegistryOperation[];
  /** Operations left out because they are already the Windows default here (minimal mode only). */
  readonly skipped: SetValueOperation[];
  /** Undo of apply: deletes exactly the values apply sets, so Windows falls back to its defaults. */
  readonly rollback: DeleteValueOperation[];
  readonly prerequisites: Prerequisite[];
  readonly warnings: PlanWarning[];
  readonly rebootRequired: boolean;
  /** Every source the operations, prerequisites and warnings cite, first-use order. */
  readonly sources: SourceRef[];
}

export interface ProfilePlan {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly source: SourceRef;
  readonly mode: OutputMode;
  /** Module whose Registry resource the DSC configuration uses. */
  readonly dscResourceModule: 'PSDesiredStateConfiguration' | 'PSDscResources';
  /** GPP items use "remove this item when it is no longer applied" (action Replace). */
  readonly gppRemovePolicy: boolean;
  /** YYYY-MM-DD from the profile, or null: display-only dates in GPP and the GPO backup. */
  readonly updated: string | null;
  readonly settings: SettingRef[];
  readonly targets: TargetPlan[];
}
