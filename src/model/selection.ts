/**
 * Which registry operations of a profile apply to one target variant, in profile order.
 * Shared by the semantic rules (conflict detection) and resolve (the plan), so both see
 * exactly the same selection.
 */
import type { Located, OperationDef, SettingDef } from '../definitions/types.js';
import { joinPointer } from '../diagnostics.js';
import { conditionMatches } from './targets.js';
import type { TargetVariant } from './targets.js';

export interface SelectedOperation {
  readonly setting: Located<SettingDef>;
  readonly operation: OperationDef;
  /** JSON pointer of the operation in its settings file. */
  readonly pointer: string;
}

export function selectOperations(settings: readonly Located<SettingDef>[], variant: TargetVariant): SelectedOperation[] {
  return settings
    .filter((setting) => conditionMatches(setting.value.when, variant))
    .flatMap((setting) =>
      setting.value.values.map((operation, index) => ({
        setting,
        operation,
        pointer: joinPointer(setting.pointer, 'values', index),
      })),
    );
}
