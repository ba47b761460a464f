/**
 * Group Policy output checked by consumers none of us wrote: xmllint validates every GPP
 * Registry.xml against test/schemas/gpp-registry.xsd (transcribed from [MS-GPPREF]) and checks the
 * GPO backup's XML; .NET's System.Xml (through PowerShell) reads the files for the targeting test,
 * which evaluates each item's filters for sample machines and requires exactly the values of that
 * machine's .reg file (cross-format parity for GPP), on the committed out/, the goldens and output
 * generated fresh from definitions/ by this test.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { multiStringBytes, qwordBytes, utf16leZ } from '../src/formats/reg.js';
import { generate } from '../src/pipeline.js';
import { describeConsumer, findOnPath } from './consumers/consumer-policy.js';
import { applicableItems, matchingTargetGroups } from './support/gpp-targeting.js';
import type { XmlNode } from './support/gpp-targeting.js';
import { REPO, generatedProfileFolders, readTree } from './support/golden.js';
import { pwshPath, runPwshScript } from './support/powershell.js';
import { deleteKeyOutcome, deleteValueOutcome, regFileOutcomes, setOutcome } from './support/registry-outcomes.js';
import { MACHINES } from './support/windows-machines.js';

const XSD = join(REPO, 'test/schemas/gpp-registry.xsd');

/** Output generated now from definitions/, so a stale out/ cannot hide a change. */
const fresh = (() => {
  const result = generate({ definitionsDir: join(REPO, 'definitions') });
  const root = mkdtempSync(join(tmpdir(), 'tlsgen-gpp-fresh-'));
  for (const file of result.files) {
    mkdirSync(dirname(join(root, file.path)), { recursive: true });
    writeFileSync(join(root, file.path), file.bytes);
  }
  const profiles = readdirSync(root).filter((name) => existsSync(join(root, name, 'gpp')));
  return { root, diagnostics: result.diagnostics.filter((d) => d.severity === 'error'), folders: profiles.map((name) => join(root, name)) };
})();

const folders = [...generatedProfileFolders('gpp'), ...fresh.folders];
const short = (path: string) => (path.startsWith(fresh.root) ? `(fresh)${path.slice(fresh.root.length)}` : path.slice(REPO.length + 1));
const registryXmlFiles = folders.flatMap((folder) =>
  [...readTree(folder).keys()].filter((p) => p.endsWith('Registry.xml')).map((p) => join(folder, p)),
);

function xmllint(args: string[]): { status: number | null; output: string } {
  const result = spawnSync('xmllint', args, { encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

it('finds GPP and GPO output for every profile, freshly generated ones included', () => {
  expect(fresh.diagnostics).toEqual([]);
  expect(fresh.folders.length).toBeGreaterThanOrEqual(1);
  expect(folders.length).toBeGreaterThanOrEqual(4);
  expect(registryXmlFiles.length).toBe(folders.length * 3); // gpp/, gpp/rollback/ and the GPO backup
});

describe('byte layout GPMC writes: UTF-8 without BOM, the XML declaration, CRLF', () => {
  for (const file of registryXmlFiles) {
    it(short(file), () => {
      const bytes = readFileSync(file);
      expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
      const text = bytes.toString('utf8');
      expect(text.startsWith('<?xml version="1.0" encoding="utf-8"?>\r\n<RegistrySettings clsid="{A3CCFC41-DFDB-43a5-8D26-0FE8B954DA51}">')).toBe(true);
      expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
      expect(text.endsWith('</RegistrySettings>\r\n')).toBe(true);
    });
  }
});

describeConsumer('xmllint --schema gpp-registry.xsd ([MS-GPPREF])', findOnPath('xmllint') !== null, () => {
  for (const file of registryXmlFiles) {
    it(short(file), () => {
      const result = xmllint(['--noout', '--schema', XSD, file]);
      expect(result.output).toContain('validates');
      expect(result.status).toBe(0);
    });
  }

  for (const folder of folders) {
    it(`${short(folder)}/gpo: every XML file is well-formed and Backup.xml lists every file it ships`, () => {
      const gpo = join(folder, 'gpo');
      const files = [...readTree(gpo).keys()];
      for (const path of files.filter((p) => p.endsWith('.xml'))) expect(xmllint(['--noout', join(gpo, path)]).status, path).toBe(0);
      const [backupFolder, ...others] = readdirSync(gpo, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
      expect(others).toEqual([]);
      expect(backupFolder).toMatch(/^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/);
      const backupXml = readFileSync(join(gpo, backupFolder!, 'Backup.xml'), 'utf8');
      const listed = [...backupXml.matchAll(/FSObjectFile bkp:Path="[^"]*" bkp:Location="([^"]*)"/g)].map((m) => m[1]!.replace(/\\/g, '/'));
      const shipped = files.filter((p) => p.startsWith(`${backupFolder}/DomainSysvol/`)).map((p) => p.slice(backupFolder!.length + 1));
      expect(listed.sort()).toEqual(shipped.sort());
      const gpoGuid = /<ID><!\[CDATA\[(\{[^}]+\})\]\]><\/ID>/.exec(backupXml)?.[1];
      for (const meta of ['manifest.xml', `${backupFolder}/bkupInfo.xml`]) {
        const text = readFileSync(join(gpo, meta), 'utf8');
        expect(text, meta).toContain(`<ID><![CDATA[${backupFolder}]]></ID>`);
        expect(text, meta).toContain(`<GPOGuid><![CDATA[${gpoGuid}]]></GPOGuid>`);
      }
      const extensions = /<MachineExtensionGuids><!\[CDATA\[(.*?)\]\]><\/MachineExtensionGuids>/.exec(backupXml)?.[1] ?? '';
      const cses = [...extensions.matchAll(/\[(\{[^}]+\})/g)].map((m) => m[1]!.toUpperCase());
      expect(cses).toEqual([...cses].sort());
      expect(extensions).toContain('{B087BE9D-ED37-454F-AF9C-04291E351182}{BEE07A6A-EC9F-4659-B8C9-0B1937907C83}');
      const copy = readFileSync(join(gpo, backupFolder!, 'DomainSysvol/GPO/Machine/Preferences/Registry/Registry.xml'));
      expect(copy.equals(readFileSync(join(folder, 'gpp/Registry.xml')))).toBe(true);
    });
  }
});

describeConsumer('item-level targeting: each machine gets exactly its .reg (System.Xml via PowerShell)', pwshPath() !== null, () => {
  const trees = pwshPath() ? readXmlTrees(folders.flatMap((f) => [join(f, 'gpp/Registry.xml'), join(f, 'gpp/rollback/Registry.xml')])) : new Map();
  for (const folder of folders) {
    for (const rollback of [false, true]) {
      const xml = join(folder, rollback ? 'gpp/rollback/Registry.xml' : 'gpp/Registry.xml');
      for (const machine of MACHINES) {
        it(`${short(xml)} on ${machine.description}`, () => {
          const regFile = machine.variant ? join(folder, 'reg', `${machine.variant}${rollback ? '.rollback' : ''}.reg`) : null;
          const expected = regFile && existsSync(regFile) ? regFileOutcomes(regFile) : [];
          const applied = applicableItems(trees.get(xml)!, machine).map(itemOutcome).sort();
          expect(applied).toEqual(expected);
        });
      }
    }
  }
});

describeConsumer('targeting details (System.Xml via PowerShell)', pwshPath() !== null, () => {
  const paths = folders.flatMap((f) => [join(f, 'gpp/Registry.xml'), join(f, 'gpp/rollback/Registry.xml')]);
  const trees = pwshPath() ? readXmlTrees(paths) : new Map<string, XmlNode>();

  it('32-bit machines never get a WOW6432Node value, even where an installer created that key', () => {
    const x86 = MACHINES.filter((machine) => machine.addressWidth === 32);
    expect(x86.some((machine) => machine.wow6432NodeKey)).toBe(true);
    for (const [path, tree] of trees) {
      for (const machine of x86) {
        const keys = applicableItems(tree, machine).map((item) => item.children.find((c) => c.name === 'Properties')!.attributes.key ?? '');
        expect(keys.filter((key) => /WOW6432Node/i.test(key)), `${short(path)} on ${machine.description}`).toEqual([]);
      }
    }
  });

  it('each machine matches exactly one target group of every item it gets (no item applies for the wrong version)', () => {
    for (const [path, tree] of trees) {
      for (const machine of MACHINES) {
        for (const item of applicableItems(tree, machine)) {
          expect(matchingTargetGroups(item, machine), `${short(path)} on ${machine.description}: ${item.attributes.name}`).toHaveLength(1);
        }
      }
    }
  });

  it('editions are told apart by Win32_Processor.AddressWidth, never by a registry key', () => {
    for (const [path, tree] of trees) {
      const filters = descendants(tree).filter((n) => n.name.startsWith('Filter'));
      expect(filters.filter((f) => f.name === 'FilterRegistry'), short(path)).toEqual([]);
      for (const wmi of filters.filter((f) => f.name === 'FilterWmi' && f.attributes.query!.includes('Win32_Processor'))) {
        expect(wmi.attributes.query, short(path)).toMatch(/^SELECT AddressWidth FROM Win32_Processor WHERE AddressWidth = (32|64)$/);
        expect(wmi.attributes.nameSpace).toBe('root\\CIMV2');
      }
    }
  });

  it('rollback deletes name the type of the value they delete, with its delete icon', () => {
    for (const folder of folders) {
      const set = new Map<string, string>();
      for (const item of registryItems(trees.get(join(folder, 'gpp/Registry.xml'))!)) {
        const p = item.children.find((c) => c.name === 'Properties')!.attributes;
        if (p.action !== 'D') set.set(`${p.hive}\\${p.key}|${p.name}`.toUpperCase(), p.type!);
      }
      for (const item of registryItems(trees.get(join(folder, 'gpp/rollback/Registry.xml'))!)) {
        const p = item.children.find((c) => c.name === 'Properties')!.attributes;
        expect(p.action).toBe('D');
        const type = set.get(`${p.hive}\\${p.key}|${p.name}`.toUpperCase());
        expect(type, `${short(folder)}: ${p.key}\\${p.name}`).toBeDefined();
        expect(p.type).toBe(type);
        // GPMC's icons, four per kind in the order create, replace, update, delete (src/render/gpp.ts).
        expect(Number(item.attributes.image)).toBe(DELETE_IMAGE[type!]);
      }
    }
  });
});

const DELETE_IMAGE: Record<string, number> = { REG_SZ: 8, REG_EXPAND_SZ: 8, REG_MULTI_SZ: 8, REG_DWORD: 13, REG_QWORD: 13, REG_BINARY: 18 };

function descendants(node: XmlNode): XmlNode[] {
  return node.children.flatMap((child) => [child, ...descendants(child)]);
}

function registryItems(root: XmlNode): XmlNode[] {
  return descendants(root).filter((n) => n.name === 'Registry');
}

function readXmlTrees(paths: string[]): Map<string, XmlNode> {
  const { files } = JSON.parse(runPwshScript(join(REPO, 'test/powershell/xml-to-json.ps1'), paths)) as { files: { path: string; root: XmlNode }[] };
  return new Map(files.map((f) => [f.path, f.root]));
}

const TYPE_NUMBER: Record<string, number> = { REG_SZ: 1, REG_EXPAND_SZ: 2, REG_BINARY: 3, REG_DWORD: 4, REG_MULTI_SZ: 7, REG_QWORD: 11 };

/** What one Registry item does to the registry, in the shared outcome notation. */
function itemOutcome(item: XmlNode): string {
  const properties = item.children.find((c) => c.name === 'Properties')!;
  const p = properties.attributes as Record<string, string>;
  const key = `${p.hive}\\${p.key}`;
  const name = p.default === '1' ? '' : p.name!;
  if (p.action === 'D') return p.type === '' && p.name === '' && p.default === '0' ? deleteKeyOutcome(key) : deleteValueOutcome(key, name);
  const values = properties.children.find((c) => c.name === 'Values')?.children.map((v) => v.text) ?? [];
  return setOutcome(key, name, TYPE_NUMBER[p.type!]!, gppBytes(p.type!, p.value!, values));
}

function gppBytes(type: string, value: string, values: string[]): Uint8Array {
  switch (type) {
    case 'REG_DWORD':
      return Buffer.from(value.match(/../g)!.reverse().join(''), 'hex');
    case 'REG_QWORD':
      return qwordBytes(BigInt(`0x${value}`));
    case 'REG_BINARY':
      return Buffer.from(value, 'hex');
    case 'REG_MULTI_SZ':
      return multiStringBytes(values);
    default:
      return utf16leZ(value);
  }
}
