/**
 * TypeScript shapes of schema-valid definition files (definitions/schema/*.schema.json).
 * test/unit/schema-types.test.ts keeps these in step with the schemas.
 */

export type Architecture = 'x64' | 'x86';
export type TargetKind = 'server' | 'workstation';
export type NtVersion = '6.0' | '6.1' | '6.2' | '6.3' | '10.0';
export const PROTOCOLS = ['SSL 2.0', 'SSL 3.0', 'TLS 1.0', 'TLS 1.1', 'TLS 1.2', 'TLS 1.3', 'DTLS 1.0', 'DTLS 1.2'] as const;
export type Protocol = (typeof PROTOCOLS)[number];
export type ProtocolDefault = 'enabled' | 'disabled' | 'unsupported';

export interface Condition {
  readonly targets?: string[];
  readonly architectures?: Architecture[];
  readonly kinds?: TargetKind[];
  readonly ntVersion?: { readonly min?: NtVersion; readonly max?: NtVersion };
  readonly protocolSupported?: Protocol;
}

export interface SourceDef {
  readonly id: string;
  readonly title: string;
  readonly url: string;
  readonly note?: string;
}

export interface SourcesFile {
  readonly sources: SourceDef[];
}

export interface TargetDef {
  readonly id: string;
  readonly product: string;
  readonly kind: TargetKind;
  readonly ntVersion: NtVersion;
  readonly build: { readonly min: number; readonly max?: number };
  readonly architectures: Architecture[];
  readonly gppOsVersion: string;
  readonly schannel: {
    readonly source: string;
    readonly protocols: Record<Protocol, { readonly client: ProtocolDefault; readonly server: ProtocolDefault }>;
  };
  readonly sources: string[];
  readonly note?: string;
  readonly channels: { readonly dsc: ChannelDef; readonly scripts: ChannelDef; readonly intune: ChannelDef };
}

export interface ChannelDef {
  readonly supported: boolean;
  readonly requires?: string;
  readonly note?: string;
  readonly source: string;
}

export interface WindowsFile {
  readonly targets: TargetDef[];
}

export const VALUE_TYPES = ['REG_SZ', 'REG_EXPAND_SZ', 'REG_MULTI_SZ', 'REG_DWORD', 'REG_QWORD', 'REG_BINARY'] as const;
export type ValueTypeName = (typeof VALUE_TYPES)[number];

export interface OperationDef {
  readonly action?: 'set' | 'delete-value' | 'delete-key';
  readonly key: string;
  readonly name?: string;
  readonly type?: ValueTypeName;
  readonly data?: number | string | string[];
  readonly windowsDefault?: { readonly when: Condition; readonly source: string; readonly note?: string };
}

export interface SettingDef {
  readonly id: string;
  readonly title: string;
  readonly rationale: string;
  readonly source: string;
  readonly reboot: { readonly required: boolean; readonly source: string; readonly note?: string };
  readonly when?: Condition;
  readonly requiresDotNet?: { readonly minRelease: number; readonly text: string; readonly source: string };
  readonly values: OperationDef[];
}

export interface SettingsFile {
  readonly settings: SettingDef[];
}

export interface PrerequisiteDef {
  readonly id: string;
  readonly title: string;
  readonly url: string;
  readonly when: Condition;
  readonly requiredBy: string[];
  readonly detection?: { readonly files: FileVersionCheckDef[] };
  readonly source: string;
  readonly note?: string;
}

export interface FileVersionCheckDef {
  readonly path: string;
  readonly minVersion: string;
  readonly when: Condition;
  readonly source: string;
}

/** Data a profile writes instead of a setting's own for one value name. */
export interface OverrideDef {
  readonly setting: string;
  readonly name: string;
  readonly data: number | string | string[];
  readonly reason: string;
  readonly source?: string;
}

export interface WarningDef {
  readonly text: string;
  readonly when: Condition;
  readonly source: string;
}

export type OutputMode = 'explicit' | 'minimal';

export interface ProfileDef {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly source: string;
  readonly mode?: OutputMode;
  readonly targets: string[];
  readonly settings: string[];
  readonly overrides?: OverrideDef[];
  readonly prerequisites?: PrerequisiteDef[];
  readonly warnings?: WarningDef[];
  readonly dsc?: { readonly resourceModule?: 'PSDesiredStateConfiguration' | 'PSDscResources' };
  readonly gpp?: { readonly removePolicy?: boolean };
  /** YYYY-MM-DD: when the profile was last checked against its source. */
  readonly updated?: string;
}

/** Where a definition came from, so later phases can point diagnostics at it. */
export interface Located<T> {
  readonly value: T;
  readonly file: string;
  readonly pointer: string;
}

/** All definitions after schema validation: the input of the semantic rules and of resolve. */
export interface DefinitionSet {
  readonly sources: Located<SourceDef>[];
  readonly targets: Located<TargetDef>[];
  readonly settings: Located<SettingDef>[];
  readonly profiles: Located<ProfileDef>[];
}
