/**
 * Profile composition as it reaches the plan: the nearer profile wins between a policy and an
 * override (and `origin` says which one decided), a setting removed by an ancestor comes back when
 * a descendant lists it again, inherited `leftOut` keeps only versions the profile does not cover,
 * and the checks accept only the Enabled data actually written unless acceptEnabled says more.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDefinitions, resolvePlans } from '../src/pipeline.js';
import type { CheckedDefinitions } from '../src/pipeline.js';
import type { ProfilePlan, SetValueOperation } from '../src/resolve/plan.js';
import { BASE_DEFINITIONS } from './support/golden.js';

const SCHANNEL = 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2';
const WINHTTP = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\WinHttp';

const SETTINGS = `settings:
  - id: tls12-server
    title: TLS 1.2 server
    rationale: Example rationale.
    source: doc
    reboot: { required: true, source: doc }
    values:
      - { key: '${SCHANNEL}\\Server', name: Enabled, type: REG_DWORD, data: 1 }
      - { key: '${SCHANNEL}\\Server', name: DisabledByDefault, type: REG_DWORD, data: 0 }
  - id: winhttp
    title: WinHTTP default secure protocols
    rationale: Example rationale.
    source: doc
    reboot: { required: false, source: doc }
    values:
      - { key: '${WINHTTP}', name: DefaultSecureProtocols, type: REG_DWORD, data: 0xA00 }
`;

const PROFILES: Record<string, string> = {
  // An ancestor with overrides, a leftOut, and a removal its descendants may undo.
  par: `id: par
title: Parent
summary: Overrides WinHTTP and Enabled; leaves ws2022 out.
source: doc
targets: [win10]
settings: [tls12-server, winhttp]
overrides:
  - { setting: winhttp, name: DefaultSecureProtocols, data: 0xAA0, reason: legacy clients }
  - { setting: tls12-server, name: Enabled, data: 0xFFFFFFFF, reason: legacy scanner }
leftOut:
  - { targets: [ws2022], reason: not yet, source: doc }
`,
  // Its policy is nearer than par's overrides: it wins for the values it is about.
  kid: `id: kid
extends: par
title: Kid
summary: Policy against the parent's overrides; covers ws2022 after all.
source: doc
targets: [win10, ws2022]
policy: { winhttpProtocols: tls12, enabled: 1 }
`,
  // Its override is nearer than kid's policy: it wins.
  grandkid: `id: grandkid
extends: kid
title: Grandkid
summary: Override against the parent's policy.
source: doc
overrides:
  - { setting: winhttp, name: DefaultSecureProtocols, protocols: tls12+tls13, reason: TLS 1.3 too }
`,
  // Within one profile the override, which names the value, beats the policy.
  both: `id: both
title: Both
summary: Policy and override in one profile.
source: doc
targets: [win10]
settings: [winhttp]
policy: { winhttpProtocols: tls12 }
overrides:
  - { setting: winhttp, name: DefaultSecureProtocols, data: 0xAA0, reason: this value differs }
`,
  drops: `id: drops
extends: par
title: Drops
summary: Removes WinHTTP everywhere.
source: doc
remove:
  - { setting: winhttp, reason: not here }
`,
  back: `id: back
extends: drops
title: Back
summary: Lists WinHTTP again.
source: doc
settings: [winhttp]
`,
  ffpar: `id: ffpar
title: Writes 0xFFFFFFFF
summary: policy.enabled 0xFFFFFFFF.
source: doc
targets: [ws2022]
settings: [tls12-server]
policy: { enabled: 0xFFFFFFFF }
`,
  ffkid: `id: ffkid
extends: ffpar
title: Back to 1
summary: Overrides Enabled back to 1.
source: doc
overrides:
  - { setting: tls12-server, name: Enabled, data: 1, reason: the scanner wants 1 }
`,
  accepts: `id: accepts
extends: ffkid
title: Accepts both
summary: Accepts both on purpose.
source: doc
policy: { enabled: 1, acceptEnabled: [1, 0xFFFFFFFF] }
`,
};

let work: string;
let checked: CheckedDefinitions;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tlsgen-composition-'));
  const defs = join(work, 'definitions');
  cpSync(BASE_DEFINITIONS, defs, { recursive: true });
  writeFileSync(join(defs, 'settings/tls.yaml'), SETTINGS);
  for (const [id, text] of Object.entries(PROFILES)) writeFileSync(join(defs, `profiles/${id}.yaml`), text);
  checked = checkDefinitions(defs);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

function plan(id: string): ProfilePlan {
  return resolvePlans(checked, { profiles: [id] })[0]!;
}

function value(id: string, variant: string, name: string): SetValueOperation {
  const target = plan(id).targets.find((t) => t.variantId === variant)!;
  const op = target.apply.find((o): o is SetValueOperation => o.action === 'set' && o.name === name);
  if (!op) throw new Error(`${id} ${variant}: no value ${name}`);
  return op;
}

describe('composition', () => {
  it('the definitions are valid', () => {
    expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it("a child's policy beats an ancestor's override for the values it is about, and origin says so", () => {
    const winhttp = value('kid', 'win10', 'DefaultSecureProtocols');
    expect(winhttp.value).toEqual({ type: 'REG_DWORD', data: 0x800 });
    expect(winhttp.origin).toMatchObject({ profile: 'par', override: null, policy: 'winhttpProtocols: tls12 (profile kid)' });
    const enabled = value('kid', 'win10', 'Enabled');
    expect(enabled.value).toEqual({ type: 'REG_DWORD', data: 1 });
    expect(enabled.origin).toMatchObject({ override: null, policy: 'enabled: 1 (profile kid)' });
  });

  it("a child's override beats an ancestor's policy", () => {
    const winhttp = value('grandkid', 'win10', 'DefaultSecureProtocols');
    expect(winhttp.value).toEqual({ type: 'REG_DWORD', data: 0x2800 });
    expect(winhttp.origin).toMatchObject({ override: { profile: 'grandkid', reason: 'TLS 1.3 too' }, policy: null });
    // kid's policy.enabled still beats par's Enabled override.
    expect(value('grandkid', 'win10', 'Enabled').value.data).toBe(1);
  });

  it('within one profile the override beats the policy', () => {
    const winhttp = value('both', 'win10', 'DefaultSecureProtocols');
    expect(winhttp.value).toEqual({ type: 'REG_DWORD', data: 0xaa0 });
    expect(winhttp.origin).toMatchObject({ override: { profile: 'both' }, policy: null });
  });

  it('without a nearer policy the ancestor override still applies', () => {
    expect(value('par', 'win10', 'DefaultSecureProtocols').value.data).toBe(0xaa0);
    expect(value('drops', 'win10', 'Enabled').value.data).toBe(0xffffffff);
  });

  it('a setting an ancestor removed everywhere comes back when a descendant lists it again', () => {
    expect(plan('drops').settings.map((s) => s.id)).toEqual(['tls12-server']);
    const back = plan('back');
    expect(back.settings.map((s) => s.id)).toEqual(['tls12-server', 'winhttp']);
    const win10 = back.targets.find((t) => t.variantId === 'win10')!;
    expect(win10.removed).toEqual([]);
    expect(value('back', 'win10', 'DefaultSecureProtocols').origin.profile).toBe('back');
  });

  it('an inherited leftOut keeps only the versions the profile does not cover', () => {
    expect(plan('par').leftOut.map((l) => l.targets)).toEqual([['ws2022']]);
    expect(plan('kid').leftOut).toEqual([]);
    expect(plan('drops').leftOut.map((l) => l.targets)).toEqual([['ws2022']]);
  });

  it('by default the checks accept only the Enabled data actually written', () => {
    expect(value('ffpar', 'ws2022', 'Enabled')).toMatchObject({ value: { data: 0xffffffff }, alsoAccepted: [] });
    // A child's override back to 1 under a 0xFFFFFFFF parent: 0xFFFFFFFF is not compliant.
    expect(value('ffkid', 'ws2022', 'Enabled')).toMatchObject({ value: { data: 1 }, alsoAccepted: [] });
    // Unless acceptEnabled says so.
    expect(value('accepts', 'ws2022', 'Enabled')).toMatchObject({ value: { data: 1 }, alsoAccepted: [{ type: 'REG_DWORD', data: 0xffffffff }] });
  });
});
