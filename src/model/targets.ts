/**
 * Target variants (a Windows version on one architecture) and the condition language that
 * settings, defaults, prerequisites and warnings use to select them.
 */
import type { Architecture, Condition, NtVersion, TargetDef } from '../definitions/types.js';

export interface TargetVariant {
  readonly target: TargetDef;
  readonly architecture: Architecture;
  /** File-name id: the target id for x64, `<id>-x86` for the 32-bit edition. */
  readonly variantId: string;
}

/** x64 first: it is the edition every target has; 32-bit editions get the `-x86` suffix. */
export function variantsOf(target: TargetDef): TargetVariant[] {
  const order: Architecture[] = ['x64', 'x86'];
  return order
    .filter((arch) => target.architectures.includes(arch))
    .map((architecture) => ({ target, architecture, variantId: architecture === 'x64' ? target.id : `${target.id}-x86` }));
}

const NT_ORDER: Record<NtVersion, number> = { '6.0': 60, '6.1': 61, '6.2': 62, '6.3': 63, '10.0': 100 };

export function compareNtVersions(a: NtVersion, b: NtVersion): number {
  return NT_ORDER[a] - NT_ORDER[b];
}

export function conditionMatches(condition: Condition | undefined, variant: TargetVariant): boolean {
  if (!condition) return true;
  const { target, architecture } = variant;
  if (condition.targets && !condition.targets.includes(target.id)) return false;
  if (condition.architectures && !condition.architectures.includes(architecture)) return false;
  if (condition.kinds && !condition.kinds.includes(target.kind)) return false;
  const nt = condition.ntVersion;
  if (nt?.min && compareNtVersions(target.ntVersion, nt.min) < 0) return false;
  if (nt?.max && compareNtVersions(target.ntVersion, nt.max) > 0) return false;
  if (condition.protocolSupported) {
    const sides = target.schannel.protocols[condition.protocolSupported];
    if (sides.client === 'unsupported' && sides.server === 'unsupported') return false;
  }
  return true;
}

/**
 * Is `name` (an id, or a file name) one Windows maps to a device, so that no file can have it?
 * CON, PRN, AUX, NUL, COM0–COM9 and LPT0–LPT9, in any case, alone or followed by an extension
 * ("nul.txt", "con.rollback.reg"), and with trailing spaces or dots, which Win32 strips. Source:
 * Microsoft, Naming Files, Paths, and Namespaces,
 * https://learn.microsoft.com/windows/win32/fileio/naming-a-file#naming-conventions
 * (COM¹–COM³ and LPT¹–LPT³ are reserved too; ids cannot hold superscript digits). COM0 and LPT0
 * are on that list as well, although Git for Windows found `com0.c` usable on Windows 10
 * (git-for-windows/git#2470): refused anyway, since an id loses nothing by avoiding them.
 */
export function windowsDeviceName(name: string): boolean {
  const base = name.split('.')[0]!.replace(/[ .]+$/, '');
  return /^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])$/i.test(base);
}
