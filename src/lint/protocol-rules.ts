/**
 * Rules about Schannel protocol switches: TLS 1.3 where it cannot work (TG001, TG005; for WinHTTP's
 * DefaultSecureProtocols too), Client and Server out of step (TG003), legacy protocols turned off
 * under software that still needs them (TG004), the legacy 0xFFFFFFFF form of Enabled in a STIG
 * profile (TG006), and protocols left off by default because DisabledByDefault=0 is omitted (TG010).
 */
import type { Workload } from '../model/compose.js';
import type { SetValueOperation, TargetPlan } from '../resolve/plan.js';
import { isWinHttpDefaultSecureProtocols, policyDataText, schannelProtocolValue, WINHTTP_PROTOCOL_BITS } from '../model/tls-values.js';
import { leftOutCause, operationCause, policyEntry } from './context.js';
import { namedList } from './findings.js';
import type { ProfileContext, Where } from './context.js';
import { LEGACY_PROTOCOLS, intendedValues, protocolSwitches, protocolValueOf, turnsOff, turnsOn, valuesTurningOff, valuesTurningOn } from './registry-facts.js';
import type { ProtocolSwitches, ProtocolValue, Side, SideSwitches } from './registry-facts.js';

const SIDES: readonly Side[] = ['client', 'server'];
const SIDE_NAME: Record<Side, string> = { client: 'Client', server: 'Server' };

/** TG001: Microsoft's Schannel table marks TLS 1.3 unsupported before Server 2022 / Windows 11; turning it on there is not a safe configuration. */
export function tls13OnlyWhereWindowsSupportsIt(context: ProfileContext): void {
  for (const target of context.plan.targets) {
    const unsupported = SIDES.filter((side) => target.target.schannel['TLS 1.3']?.[side] === 'unsupported');
    for (const { op, sides } of settingsTurningOnTls13(target, unsupported)) {
      context.reportOn('TG001', operationCause(context, op), target, {
        setting: op.setting.id,
        message: (on) =>
          `setting ${op.setting.id} turns TLS 1.3 ${sidesText(sides)} on for ${on.text} in profile ${context.plan.id}, ` +
          `but Schannel there does not support TLS 1.3 (windows.yaml marks it unsupported): ` +
          `limit the setting with when: { protocolSupported: "TLS 1.3" }, or leave it out there with ` +
          `remove: [{ setting: ${op.setting.id}, targets: [${on.versions}], reason: ... }]`,
      });
    }
  }
  winHttpTls13OnlyWhereWindowsSupportsIt(context);
}

const WINHTTP_TLS13 = WINHTTP_PROTOCOL_BITS.tls13!;

/**
 * TG001 for WinHTTP: DefaultSecureProtocols with the TLS 1.3 bit (WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_3,
 * 0x2000) asks WinHTTP, a client of Schannel, for a protocol Schannel there does not have. One finding
 * per place that writes it (policy.winhttpProtocols, an override, or the setting's own data).
 */
function winHttpTls13OnlyWhereWindowsSupportsIt(context: ProfileContext): void {
  for (const target of context.plan.targets) {
    if (target.target.schannel['TLS 1.3']?.client !== 'unsupported') continue;
    const byCause = new Map<string, { where: Where; ops: SetValueOperation[]; byPolicy: boolean; byOverride: boolean }>();
    for (const op of intendedValues(target)) {
      if (op.value.type !== 'REG_DWORD' || (op.value.data & WINHTTP_TLS13) === 0 || !isWinHttpDefaultSecureProtocols(op.hive, op.path, op.name)) continue;
      const byPolicy = op.origin.policy !== null;
      const where = byPolicy ? policyEntry(context, 'winhttpProtocols') : operationCause(context, op);
      const key = `${where.file}\n${where.pointer}`;
      const group = byCause.get(key) ?? { where, ops: [], byPolicy, byOverride: !byPolicy && op.origin.override !== null };
      group.ops.push(op);
      byCause.set(key, group);
    }
    for (const { where, ops, byPolicy, byOverride } of byCause.values()) {
      const first = ops[0]!;
      const fix = byPolicy
        ? 'leave tls13 out of policy.winhttpProtocols and add it with an override (protocols, targets) only where TLS 1.3 is supported'
        : byOverride
          ? 'give the override targets where TLS 1.3 is supported, or leave tls13 out of its protocols there'
          : `limit the setting with when: { protocolSupported: "TLS 1.3" }, or give it an override without tls13 on those targets`;
      context.reportOn('TG001', where, target, {
        setting: first.setting.id,
        message: (on) =>
          `WinHTTP DefaultSecureProtocols (${ops.map((op) => op.path).join(', ')}) is written as ${policyDataText(first.value.data as number)} with the TLS 1.3 bit (0x2000) ` +
          `for ${on.text} in profile ${context.plan.id} (setting ${first.setting.id}), but Schannel there does not support TLS 1.3 ` +
          `(windows.yaml marks it unsupported), so WinHTTP cannot use it: ${fix}`,
      });
    }
  }
}

/**
 * TG005: Exchange supports TLS 1.3 only from Exchange 2019 CU15 on Server 2022/2025, and not for SMTP
 * (Exchange's TLS article, 2025); its HealthChecker still reports TLS 1.3 that is not disabled as an
 * error. A warning, so a profile for Exchange SE on 2025 can allow it with its reason.
 */
export function noTls13ForExchange(context: ProfileContext): void {
  if (!context.plan.workloads.includes('exchange')) return;
  for (const target of context.plan.targets) {
    for (const { op, sides } of settingsTurningOnTls13(target, SIDES)) {
      context.reportOn('TG005', operationCause(context, op), target, {
        setting: op.setting.id,
        message: (on) =>
          `setting ${op.setting.id} turns TLS 1.3 ${sidesText(sides)} on for ${on.text}, but profile ${context.plan.id} lists the workload exchange ` +
          `and Exchange supports TLS 1.3 only from Exchange 2019 CU15 on Server 2022/2025, never for SMTP (its HealthChecker reports it as an error): ` +
          `leave TLS 1.3 out, or add lint.allow { rule: TG005, reason: ... } naming the Exchange version`,
      });
    }
  }
}

/** The settings (one operation each, to point at) that turn TLS 1.3 on for the given sides. */
function settingsTurningOnTls13(target: TargetPlan, sides: readonly Side[]): { op: SetValueOperation; sides: Side[] }[] {
  const tls13 = protocolSwitches(target).get('TLS 1.3');
  if (!tls13) return [];
  const bySetting = new Map<string, { op: SetValueOperation; sides: Side[] }>();
  for (const side of sides) {
    if (!turnsOn(tls13[side])) continue;
    for (const { operation } of valuesTurningOn(tls13[side])) {
      const entry = bySetting.get(operation.setting.id) ?? { op: operation, sides: [] };
      if (!entry.sides.includes(side)) entry.sides.push(side);
      bySetting.set(operation.setting.id, entry);
    }
  }
  return [...bySetting.values()];
}

/**
 * TG003: a protocol on for clients and off for servers (or written on one side only) is rarely
 * meant; where a source asks for one side only, `lint.allow` states that reason.
 */
export function clientAndServerAlike(context: ProfileContext): void {
  for (const target of context.plan.targets) {
    for (const [protocol, sides] of protocolSwitches(target)) {
      const differing = differingSwitches(sides);
      if (differing.length === 0) continue;
      // An override is the deliberate change that made the sides differ: point there when there is one.
      const candidates = [...sides.client.values, ...sides.server.values].filter((v) => differing.includes(v.name));
      const first = candidates.find((v) => v.operation.origin.override !== null) ?? candidates[0]!;
      // A side missing or different because a `remove` or an exception left a setting out: that entry is the cause.
      const leftOut = leftOutCause(context, target, (v) => {
        const known = schannelProtocolValue(v.hive, v.path, v.name);
        return known !== null && known.protocol === protocol && differing.includes(known.name);
      });
      context.reportOn('TG003', leftOut ?? operationCause(context, first.operation), target, {
        setting: first.operation.setting.id,
        message: (on) =>
          `${protocol} Client and Server are set differently for ${on.text} in profile ${context.plan.id} ` +
          `(Client: ${switchesText(sides.client)}; Server: ${switchesText(sides.server)}): set both sides alike, ` +
          `or add lint.allow { rule: TG003, reason: ... } saying why one side differs`,
      });
    }
  }
}

function differingSwitches(sides: ProtocolSwitches): ProtocolValue['name'][] {
  const names: ProtocolValue['name'][] = [];
  if (sides.client.enabled !== sides.server.enabled) names.push('Enabled');
  if (sides.client.disabledByDefault !== sides.server.disabledByDefault) names.push('DisabledByDefault');
  return names;
}

function switchesText(side: SideSwitches): string {
  const parts = [
    ...(side.enabled === undefined ? [] : [`Enabled=${policyDataText(side.enabled)}`]),
    ...(side.disabledByDefault === undefined ? [] : [`DisabledByDefault=${policyDataText(side.disabledByDefault)}`]),
  ];
  return parts.length === 0 ? 'not set' : parts.join(', ');
}

/** Software that breaks when TLS 1.0/1.1 go away, and on which targets / sides it does. */
interface LegacyConsumer {
  readonly workload: Workload;
  /** Part of Windows itself: checked whatever workloads the profile lists. */
  readonly builtIn?: boolean;
  readonly breaks: (target: TargetPlan, sides: ProtocolSwitches, protocol: string) => boolean;
  readonly why: string;
}

const LEGACY_CONSUMERS: readonly LegacyConsumer[] = [
  {
    workload: 'sql-server',
    breaks: (_target, sides) => turnsOff(sides.client) || turnsOff(sides.server),
    why: 'SQL Server releases before 2016 connect only with TLS 1.0 until their TLS 1.2 update is installed (KB3135244); install it first on every instance',
  },
  {
    workload: 'wid',
    breaks: (_target, sides) => turnsOff(sides.client) || turnsOff(sides.server),
    why: 'Windows Internal Database (WSUS, AD FS, RDS) is SQL Server underneath and needs its TLS 1.2 update first, or the role stops connecting to its database',
  },
  {
    // Remote Desktop ships with every Windows, so it is checked whatever the profile lists; only
    // TLS 1.0 matters, since without the update RDP speaks nothing newer.
    workload: 'rds',
    builtIn: true,
    breaks: (target, sides, protocol) => protocol === 'TLS 1.0' && target.target.ntVersion === '6.1' && (turnsOff(sides.client) || turnsOff(sides.server)),
    why: 'Remote Desktop on Windows 7 and Server 2008 R2 speaks only TLS 1.0 until KB3080079 is installed; without it RDP connections fail',
  },
  {
    workload: 'exchange',
    breaks: (_target, sides) => turnsOff(sides.client) !== turnsOff(sides.server),
    why: "Exchange's HealthChecker requires each protocol to be set alike for Client and Server; turn it off on both sides",
  },
];

/** TG004: turning TLS 1.0/1.1 off breaks software named in the profile's workloads unless it is updated first. */
export function legacyProtocolsOffOnlyWhereConsumersCope(context: ProfileContext): void {
  const consumers = LEGACY_CONSUMERS.filter((c) => c.builtIn === true || context.plan.workloads.includes(c.workload));
  for (const target of context.plan.targets) {
    const switches = protocolSwitches(target);
    for (const protocol of LEGACY_PROTOCOLS) {
      const sides = switches.get(protocol);
      if (!sides || !(turnsOff(sides.client) || turnsOff(sides.server))) continue;
      const cause = [...valuesTurningOff(sides.client), ...valuesTurningOff(sides.server)][0]!.operation;
      for (const consumer of consumers.filter((c) => c.breaks(target, sides, protocol))) {
        context.reportOn('TG004', operationCause(context, cause), target, {
          setting: cause.setting.id,
          message: (on) =>
            `setting ${cause.setting.id} turns ${protocol} off ${offSidesText(sides)} for ${on.text} in profile ${context.plan.id}, ` +
            `${consumer.builtIn ? `where ${consumer.workload} is part of Windows` : `which lists the workload ${consumer.workload}`}: ${consumer.why}`,
        });
      }
    }
  }
}

function offSidesText(sides: ProtocolSwitches): string {
  const off = SIDES.filter((side) => turnsOff(sides[side]));
  return `(${off.map((s) => SIDE_NAME[s]).join(' and ')})`;
}

const LEGACY_ENABLED = 0xffffffff;

/**
 * TG006: DISA STIG checks expect Enabled=1; 0xFFFFFFFF is older Microsoft guidance that a STIG
 * scan reports as a finding. One finding per place that writes it (the policy, an override, a setting).
 */
export function stigProfilesWriteEnabledAsOne(context: ProfileContext): void {
  if (!context.plan.compliance.includes('disa-stig')) return;
  const byCause = new Map<string, { where: Where; values: ProtocolValue[]; targets: Set<string> }>();
  for (const target of context.plan.targets) {
    for (const value of intendedValues(target).map(protocolValueOf)) {
      if (value === null || value.name !== 'Enabled' || value.data !== LEGACY_ENABLED) continue;
      const where = value.operation.origin.policy !== null ? policyEntry(context, 'enabled') : operationCause(context, value.operation);
      const key = `${where.file}\n${where.pointer}`;
      const group = byCause.get(key) ?? { where, values: [], targets: new Set() };
      group.values.push(value);
      group.targets.add(target.variantId);
      byCause.set(key, group);
    }
  }
  for (const { where, values, targets } of byCause.values()) {
    const first = values[0]!;
    const byPolicy = first.operation.origin.policy !== null;
    context.report('TG006', where, {
      setting: byPolicy ? null : first.operation.setting.id,
      message:
        `profile ${context.plan.id} lists compliance disa-stig but writes Schannel Enabled as 0xFFFFFFFF ` +
        `(${protocolsText(values)}, on ${namedList([...targets])}); DISA STIG checks expect Enabled=1: ` +
        (byPolicy ? 'set policy.enabled to 1 (policy.acceptEnabled can still accept 0xFFFFFFFF in the audit)' : 'write 1 instead'),
    });
  }
}

/**
 * TG010: where Windows's Schannel table marks a protocol side `disabled` (TLS 1.1 and 1.2 on Windows 7,
 * Server 2008 R2 and Server 2008), Enabled=1 alone makes it available only to applications that ask for
 * it; the system default (what most applications use) turns it on only with DisabledByDefault=0,
 * which policy.disabledByDefault: omit leaves out (Microsoft, "TLS registry settings").
 */
export function disabledByDefaultWrittenWhereWindowsNeedsIt(context: ProfileContext): void {
  if (context.plan.policy.disabledByDefault !== 'omit') return;
  const where = policyEntry(context, 'disabledByDefault');
  for (const target of context.plan.targets) {
    const offByDefault: string[] = [];
    for (const [protocol, sides] of protocolSwitches(target)) {
      const left = SIDES.filter(
        (side) =>
          sides[side].enabled !== undefined &&
          sides[side].enabled !== 0 &&
          sides[side].disabledByDefault === undefined &&
          target.target.schannel[protocol]?.[side] === 'disabled',
      );
      if (left.length > 0) offByDefault.push(`${protocol} ${sidesText(left)}`);
    }
    if (offByDefault.length === 0) continue;
    context.reportOn('TG010', where, target, {
      message: (on) =>
        `profile ${context.plan.id} has Enabled written without DisabledByDefault=0 where Windows disables the protocol by default ` +
        `(${offByDefault.join(', ')} on ${on.text}): it stays off for applications that do not ask for it; ` +
        'set policy.disabledByDefault to write, or add lint.allow { rule: TG010, reason: ... } if only applications that ask for the protocol need it',
    });
  }
}

function protocolsText(values: readonly ProtocolValue[]): string {
  const names = new Set(values.map((v) => `${v.protocol} ${SIDE_NAME[v.side]}`));
  return [...names].join(', ');
}

function sidesText(sides: readonly Side[]): string {
  return sides.map((s) => SIDE_NAME[s]).join(' and ');
}
