/**
 * What the values a plan writes mean for lint: each Schannel protocol's switches per side (the
 * values are recognised in src/model/tls-values.ts) and .NET Framework values with their
 * other-bitness twin, compared as Windows compares key and value names (case-insensitively).
 */
import { valueNameIdentity, windowsUpperInvariant } from '../model/registry.js';
import { schannelProtocolValue } from '../model/tls-values.js';
import type { Side } from '../model/tls-values.js';
import type { RegistryOperation, SetValueOperation, TargetPlan } from '../resolve/plan.js';

export type { Side } from '../model/tls-values.js';

export interface ProtocolValue {
  /** As windows.yaml spells it, e.g. "TLS 1.3". */
  readonly protocol: string;
  readonly side: Side;
  readonly name: 'Enabled' | 'DisabledByDefault';
  /** DWORD data; lint reads only DWORD switches (another type is not a switch Schannel reads). */
  readonly data: number;
  readonly operation: SetValueOperation;
}

/** The values the profile means on this target: written ones and, in minimal mode, those skipped as already the default. */
export function intendedValues(target: TargetPlan): SetValueOperation[] {
  return [...target.apply, ...target.skipped].filter((op: RegistryOperation): op is SetValueOperation => op.action === 'set');
}

/** The Schannel protocol switch an operation sets, or null when it is another value. */
export function protocolValueOf(op: SetValueOperation): ProtocolValue | null {
  if (op.value.type !== 'REG_DWORD') return null;
  const known = schannelProtocolValue(op.hive, op.path, op.name);
  return known && { ...known, data: op.value.data, operation: op };
}

/** What one side of one protocol is set to on a target (undefined: not written). */
export interface SideSwitches {
  readonly enabled: number | undefined;
  readonly disabledByDefault: number | undefined;
  readonly values: ProtocolValue[];
}

export type ProtocolSwitches = Record<Side, SideSwitches>;

/** Per protocol written on this target, both sides' switches, in the order the plan first writes them. */
export function protocolSwitches(target: TargetPlan): Map<string, ProtocolSwitches> {
  const byProtocol = new Map<string, { client: ProtocolValue[]; server: ProtocolValue[] }>();
  for (const value of intendedValues(target).map(protocolValueOf)) {
    if (value === null) continue;
    const sides = byProtocol.get(value.protocol) ?? { client: [], server: [] };
    sides[value.side].push(value);
    byProtocol.set(value.protocol, sides);
  }
  return new Map([...byProtocol].map(([protocol, sides]) => [protocol, { client: switchesOf(sides.client), server: switchesOf(sides.server) }]));
}

function switchesOf(values: ProtocolValue[]): SideSwitches {
  // The last write wins, as it would in the registry.
  const last = (name: ProtocolValue['name']) => values.filter((v) => v.name === name).at(-1)?.data;
  return { enabled: last('Enabled'), disabledByDefault: last('DisabledByDefault'), values };
}

/** Turned on: Enabled non-zero, or DisabledByDefault=0 without Enabled=0 (which would keep it off anyway). */
export function turnsOn(side: SideSwitches): boolean {
  return (side.enabled !== undefined && side.enabled !== 0) || (side.disabledByDefault === 0 && side.enabled !== 0);
}

/** Turned off or off by default: Enabled=0, or DisabledByDefault non-zero (applications that take the system default lose it). */
export function turnsOff(side: SideSwitches): boolean {
  return side.enabled === 0 || (side.disabledByDefault !== undefined && side.disabledByDefault !== 0);
}

/** The values that turn a side on (for locating the setting responsible). */
export function valuesTurningOn(side: SideSwitches): ProtocolValue[] {
  return side.values.filter((v) => (v.name === 'Enabled' ? v.data !== 0 : v.data === 0));
}

/** The values that turn a side off. */
export function valuesTurningOff(side: SideSwitches): ProtocolValue[] {
  return side.values.filter((v) => (v.name === 'Enabled' ? v.data === 0 : v.data !== 0));
}

export const LEGACY_PROTOCOLS: readonly string[] = ['TLS 1.0', 'TLS 1.1'];

/**
 * A .NET Framework value and its other-bitness twin: 64-bit Windows keeps the 32-bit runtime's
 * settings under SOFTWARE\WOW6432Node, so a value under only one of them reaches only the
 * applications of that bitness.
 */
export interface DotNetValue {
  readonly bitness: '64-bit' | '32-bit';
  /** Key identity (path below HKLM, as Windows compares it). */
  readonly key: string;
  /** Key identity of the same value for the other bitness. */
  readonly twinKey: string;
  readonly nameIdentity: string;
  readonly operation: SetValueOperation;
}

const DOTNET_KEY = /^SOFTWARE\\(WOW6432NODE\\)?(MICROSOFT\\\.NETFRAMEWORK\\V[^\\]*(?:\\.*)?)$/;

export function dotNetValueOf(op: SetValueOperation): DotNetValue | null {
  if (op.hive !== 'HKEY_LOCAL_MACHINE') return null;
  const key = windowsUpperInvariant(op.path);
  const match = DOTNET_KEY.exec(key);
  if (!match) return null;
  const rest = match[2]!;
  const wow = match[1] !== undefined;
  return {
    bitness: wow ? '32-bit' : '64-bit',
    key,
    twinKey: wow ? `SOFTWARE\\${rest}` : `SOFTWARE\\WOW6432NODE\\${rest}`,
    nameIdentity: valueNameIdentity(op.name),
    operation: op,
  };
}
