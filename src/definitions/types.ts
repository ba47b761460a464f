/**
 * TypeScript shapes of schema-valid definition files. The shapes themselves are generated from
 * definitions/schema/*.schema.json at build time (scripts/definition-types.mjs, into
 * src/generated/definition-types.ts), so they cannot drift from the schemas; this module only gives
 * them the names the code uses and adds the types that are not in any schema (Located, DefinitionSet).
 *
 * Both validate/ (which checks definitions) and model/ (which interprets them) import from here; this
 * folder imports nothing but the generated types, so neither depends on the other for its types.
 */
import type { ProfileFile, Setting, Source, Target } from '../generated/definition-types.js';

export type {
  Architecture,
  Channel as ChannelDef,
  Condition,
  DscResourceModule,
  FileVersionCheck as FileVersionCheckDef,
  NtVersion,
  NtVersionRange,
  Operation as OperationDef,
  OutputMode,
  Override as OverrideDef,
  Prerequisite as PrerequisiteDef,
  ProfileFile as ProfileDef,
  Protocol,
  ProtocolDefault,
  ProtocolSides,
  Setting as SettingDef,
  SettingsFile,
  Source as SourceDef,
  SourcesFile,
  Target as TargetDef,
  TargetKind,
  ValuePolicy as ValuePolicyDef,
  ValueType as ValueTypeName,
  Warning as WarningDef,
  WindowsFile,
} from '../generated/definition-types.js';
export { PROTOCOLS, VALUE_TYPES } from '../generated/definition-types.js';

/** Where a definition came from, so later phases can point diagnostics at it. */
export interface Located<T> {
  readonly value: T;
  readonly file: string;
  readonly pointer: string;
}

/** All definitions after schema validation: the input of the semantic rules and of resolve. */
export interface DefinitionSet {
  readonly sources: Located<Source>[];
  readonly targets: Located<Target>[];
  readonly settings: Located<Setting>[];
  readonly profiles: Located<ProfileFile>[];
}
