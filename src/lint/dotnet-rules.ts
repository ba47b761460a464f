/**
 * TG002: on 64-bit Windows, 32-bit .NET applications read their settings under SOFTWARE\WOW6432Node;
 * a .NET value written for one bitness only leaves the other bitness's applications on the old
 * behaviour (Microsoft's TLS best practices for .NET set both).
 */
import { windowsUpperInvariant, valueNameIdentity } from '../model/registry.js';
import { leftOutCause, operationCause } from './context.js';
import type { ProfileContext } from './context.js';
import { dotNetValueOf, intendedValues } from './registry-facts.js';
import type { DotNetValue } from './registry-facts.js';

export function dotNetValuesForBothBitnesses(context: ProfileContext): void {
  for (const target of context.plan.targets.filter((t) => t.architecture === 'x64')) {
    const dotNet = intendedValues(target)
      .map(dotNetValueOf)
      .filter((v): v is DotNetValue => v !== null);
    const written = new Set(dotNet.map((v) => `${v.key}\n${v.nameIdentity}`));
    const lonely = dotNet.filter((v) => !written.has(`${v.twinKey}\n${v.nameIdentity}`));
    for (const [setting, group] of groupBySetting(lonely)) {
      const first = group[0]!;
      // The twin is missing because a `remove` or an exception left out the setting that writes it: point there.
      const twins = new Set(group.map((v) => `${v.twinKey}\n${v.nameIdentity}`));
      const leftOut = leftOutCause(
        context,
        target,
        (w) => w.hive === 'HKEY_LOCAL_MACHINE' && twins.has(`${windowsUpperInvariant(w.path)}\n${valueNameIdentity(w.name)}`),
      );
      context.reportOn('TG002', leftOut ?? operationCause(context, first.operation), target, {
        setting,
        message: (on) =>
          `setting ${setting} writes ${group.map((v) => `${v.operation.path}\\${v.operation.name}`).join(', ')} for ${first.bitness} .NET only ` +
          `on ${on.text} in profile ${context.plan.id}: ${other(first.bitness)} .NET applications keep their old TLS behaviour; ` +
          `write the same value under ${first.bitness === '64-bit' ? 'SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework' : 'SOFTWARE\\Microsoft\\.NETFramework'} too`,
      });
    }
  }
}

function other(bitness: DotNetValue['bitness']): string {
  return bitness === '64-bit' ? '32-bit' : '64-bit';
}

function groupBySetting(values: readonly DotNetValue[]): Map<string, DotNetValue[]> {
  const groups = new Map<string, DotNetValue[]>();
  for (const value of values) groups.set(value.operation.setting.id, [...(groups.get(value.operation.setting.id) ?? []), value]);
  return groups;
}
