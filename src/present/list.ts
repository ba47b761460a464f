/** `tlsgen list`: the profiles, targets and settings the definitions hold. */
import type { Catalog } from '../model/catalog.js';
import { composeProfile } from '../model/compose.js';
import { variantsOf } from '../model/targets.js';
import { formatTable } from './table.js';

export type ListKind = 'profiles' | 'targets' | 'settings';

export function listData(catalog: Catalog, kind: ListKind): Record<string, unknown>[] {
  switch (kind) {
    case 'profiles':
      // What a profile writes includes what it inherits (validation made sure every profile composes).
      return [...catalog.profiles.values()].map(({ value: p }) => {
        const composition = composeProfile(catalog, p.id);
        const composed = composition.ok ? composition.profile : null;
        return {
          id: p.id,
          title: p.title,
          extends: p.extends ?? null,
          mode: composed?.mode ?? 'explicit',
          targets: composed?.targets.value ?? [],
          settings: composed?.settings.map((s) => s.value) ?? [],
        };
      });
    case 'targets':
      return [...catalog.targets.values()].map(({ value: t }) => ({
        id: t.id,
        product: t.product,
        kind: t.kind,
        ntVersion: t.ntVersion,
        build: t.build,
        architectures: t.architectures,
        variants: variantsOf(t).map((v) => v.variantId),
      }));
    case 'settings':
      return [...catalog.settings.values()].map(({ value: s }) => ({
        id: s.id,
        title: s.title,
        values: s.values.length,
        reboot: s.reboot.required,
      }));
  }
}

export function listText(catalog: Catalog, kind: ListKind): string {
  const rows = listData(catalog, kind);
  switch (kind) {
    case 'profiles':
      return formatTable(
        ['Profile', 'Mode', 'Targets', 'Title'],
        rows.map((r) => [String(r.id), String(r.mode), String((r.targets as string[]).length), String(r.title)]),
      );
    case 'targets':
      return formatTable(
        ['Target', 'Files', 'NT', 'Product'],
        rows.map((r) => [String(r.id), (r.variants as string[]).join(' '), String(r.ntVersion), String(r.product)]),
      );
    case 'settings':
      return formatTable(
        ['Setting', 'Values', 'Reboot', 'Title'],
        rows.map((r) => [String(r.id), String(r.values), r.reboot ? 'yes' : 'no', String(r.title)]),
      );
  }
}
