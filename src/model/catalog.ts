/** Id → definition lookups over a DefinitionSet (the first definition wins when ids repeat). */
import type { DefinitionSet, Located, ProfileDef, SettingDef, SourceDef, TargetDef } from '../definitions/types.js';

export interface Catalog {
  readonly sources: ReadonlyMap<string, Located<SourceDef>>;
  readonly targets: ReadonlyMap<string, Located<TargetDef>>;
  readonly settings: ReadonlyMap<string, Located<SettingDef>>;
  readonly profiles: ReadonlyMap<string, Located<ProfileDef>>;
}

export function catalogOf(set: DefinitionSet): Catalog {
  return {
    sources: byId(set.sources),
    targets: byId(set.targets),
    settings: byId(set.settings),
    profiles: byId(set.profiles),
  };
}

function byId<T extends { id: string }>(items: readonly Located<T>[]): Map<string, Located<T>> {
  const map = new Map<string, Located<T>>();
  for (const item of items) if (!map.has(item.value.id)) map.set(item.value.id, item);
  return map;
}
