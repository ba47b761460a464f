/** `tlsgen list`: the profiles, targets and settings the definitions hold. */
import type { Catalog } from '../model/catalog.js';
import { variantsOf } from '../model/targets.js';
import { formatTable } from './table.js';

export type ListKind = 'profiles' | 'targets' | 'settings';

export function listData(catalog: Catalog, kind: ListKind): Record<string, unknown>[] {
  switch (kind) {
    case 'profiles':
      return [...catalog.profiles.values()].map(({ value: p }) => ({
        id: p.id,
        title: p.title,
        mode: p.mode ?? 'explicit',
        targets: p.targets,
        settings: p.settings,
      }));
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
