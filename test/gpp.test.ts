/**
 * Group Policy output checked by consumers none of us wrote: xmllint validates every GPP
 * Registry.xml against test/schemas/gpp-registry.xsd (transcribed from [MS-GPPREF]) and checks the
 * GPO backup's XML; .NET's System.Xml (through PowerShell) reads the files for the targeting test,
 * which evaluates each item's filters for sample machines and requires exactly what the plan says
 * for that machine's target, and exactly that machine's .reg file (cross-format parity for GPP).
 *
 * Everything is checked on output generated now (test/support/fresh-output.ts: definitions/ and
 * every golden case); the committed out/ and goldens equal it byte for byte or
 * out-is-current.test.ts / golden.test.ts fail. PowerShell runs in beforeAll, one file at a time
 * when reading them together fails, so one unreadable file fails its own tests only. Item data is
 * decoded here from [MS-GPPREF]'s value formats, never with the product's encoders.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeConsumer, findOnPath } from './consumers/consumer-policy.js';
import { freshOutputProblems, freshProfileFolders, shortFresh } from './support/fresh-output.js';
import { applicableItems, matchingTargetGroups } from './support/gpp-targeting.js';
import type { XmlNode } from './support/gpp-targeting.js';
import { REPO, readTree } from './support/golden.js';
import { PWSH_VERSION } from './support/pester.js';
import { pwshPath, runPwshScript } from './support/powershell.js';
import {
  TYPE_NUMBER,
  deleteKeyOutcome,
  deleteValueOutcome,
  littleEndian,
  planOutcomes,
  regFileOutcomes,
  registryMultiString,
  registryString,
  setOutcome,
} from './support/registry-outcomes.js';
import { MACHINES } from './support/windows-machines.js';

const XSD = join(REPO, 'test/schemas/gpp-registry.xsd');

const profiles = freshProfileFolders('gpp');
const folders = profiles.map((p) => p.folder);
const planOfFolder = new Map(profiles.map((p) => [p.folder, p.plan]));
const short = shortFresh;
const registryXmlFiles = folders.flatMap((folder) => [...readTree(folder).keys()].filter((p) => p.endsWith('Registry.xml')).map((p) => join(folder, p)));

function xmllint(args: string[]): { status: number | null; output: string } {
  const result = spawnSync('xmllint', args, { encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

it('generates GPP and GPO output now for every profile, from definitions/ and every golden case', () => {
  expect(freshOutputProblems()).toEqual([]);
  expect(folders.length).toBeGreaterThanOrEqual(4);
  for (const folder of ['definitions/azure-backup-tls12', 'every-value-type/every-type']) {
    expect(profiles.map((p) => p.label)).toContain(folder);
  }
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
      const [backupFolder, ...others] = readdirSync(gpo, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name);
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

/**
 * System.Xml's reading of every Registry.xml, filled in beforeAll (never while tests are collected).
 * All files go to one pwsh call; if that fails, each file is read alone so the failure is pinned
 * on the file that causes it, and only that file's tests fail.
 */
const trees = new Map<string, XmlNode>();
const treeErrors = new Map<string, string>();
const xmlPaths = folders.flatMap((f) => [join(f, 'gpp/Registry.xml'), join(f, 'gpp/rollback/Registry.xml')]);

function treeOf(path: string): XmlNode {
  const tree = trees.get(path);
  if (!tree) throw new Error(`System.Xml could not read ${short(path)}: ${treeErrors.get(path) ?? 'not read'}`);
  return tree;
}

let psVersion = '';

describeConsumer(`PowerShell ${PWSH_VERSION} (System.Xml reads the GPP files)`, pwshPath() !== null, () => {
  beforeAll(() => {
    psVersion = spawnSync(pwshPath()!, ['-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.ToString()'], {
      encoding: 'utf8',
    }).stdout.trim();
    try {
      for (const [path, tree] of readXmlTrees(xmlPaths)) trees.set(path, tree);
    } catch {
      for (const path of xmlPaths) {
        try {
          for (const [p, tree] of readXmlTrees([path])) trees.set(p, tree);
        } catch (err) {
          treeErrors.set(path, err instanceof Error ? err.message : String(err));
        }
      }
    }
  }, 120_000);

  describe('item-level targeting: each machine gets exactly what the plan says for its target, and its .reg', () => {
    for (const folder of folders) {
      for (const rollback of [false, true]) {
        const xml = join(folder, rollback ? 'gpp/rollback/Registry.xml' : 'gpp/Registry.xml');
        for (const machine of MACHINES) {
          it(`${short(xml)} on ${machine.description}`, () => {
            const target = machine.variant ? planOfFolder.get(folder)!.targets.find((t) => t.variantId === machine.variant) : undefined;
            const planned = target ? planOutcomes(rollback ? target.rollback : target.apply) : [];
            const applied = applicableItems(treeOf(xml), machine).map(itemOutcome).sort();
            expect(applied).toEqual(planned);
            const regFile = machine.variant ? join(folder, 'reg', `${machine.variant}${rollback ? '.rollback' : ''}.reg`) : null;
            expect(applied).toEqual(regFile && existsSync(regFile) ? regFileOutcomes(regFile) : []);
          });
        }
      }
    }
  });

  describe('targeting details', () => {
    it(`runs in PowerShell ${PWSH_VERSION}, the version the README names`, () => {
      expect(psVersion).toBe(PWSH_VERSION);
    });

    it('System.Xml read every Registry.xml', () => {
      expect([...treeErrors].map(([path, error]) => `${short(path)}: ${error}`)).toEqual([]);
      expect([...trees.keys()].sort()).toEqual([...xmlPaths].sort());
    });

    it('32-bit machines never get a WOW6432Node value, even where an installer created that key', () => {
      const x86 = MACHINES.filter((machine) => machine.addressWidth === 32);
      expect(x86.some((machine) => machine.wow6432NodeKey)).toBe(true);
      for (const [path, tree] of trees) {
        for (const machine of x86) {
          const keys = applicableItems(tree, machine).map((item) => item.children.find((c) => c.name === 'Properties')!.attributes.key ?? '');
          expect(
            keys.filter((key) => /WOW6432Node/i.test(key)),
            `${short(path)} on ${machine.description}`,
          ).toEqual([]);
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
        expect(
          filters.filter((f) => f.name === 'FilterRegistry'),
          short(path),
        ).toEqual([]);
        for (const wmi of filters.filter((f) => f.name === 'FilterWmi' && f.attributes.query!.includes('Win32_Processor'))) {
          expect(wmi.attributes.query, short(path)).toMatch(/^SELECT AddressWidth FROM Win32_Processor WHERE AddressWidth = (32|64)$/);
          expect(wmi.attributes.nameSpace).toBe('root\\CIMV2');
        }
      }
    });

    it('rollback deletes name the type of the value they delete, with its delete icon', () => {
      for (const folder of folders) {
        const set = new Map<string, string>();
        for (const item of registryItems(treeOf(join(folder, 'gpp/Registry.xml')))) {
          const p = item.children.find((c) => c.name === 'Properties')!.attributes;
          if (p.action !== 'D') set.set(`${p.hive}\\${p.key}|${p.name}`.toUpperCase(), p.type!);
        }
        for (const item of registryItems(treeOf(join(folder, 'gpp/rollback/Registry.xml')))) {
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

/**
 * The bytes a GPP Registry item stores ([MS-GPPREF] 2.2.1.4.3.1, Properties `value`): REG_DWORD and
 * REG_QWORD as 8 or 16 hexadecimal digits, most significant first; REG_BINARY as hex pairs in
 * byte order; REG_MULTI_SZ as its Values/Value elements; REG_SZ and REG_EXPAND_SZ as the text.
 */
function gppBytes(type: string, value: string, values: string[]): Uint8Array {
  switch (type) {
    case 'REG_DWORD':
      expect(value, 'REG_DWORD value').toMatch(/^[0-9A-F]{8}$/);
      return littleEndian(BigInt(`0x${value}`), 4);
    case 'REG_QWORD':
      expect(value, 'REG_QWORD value').toMatch(/^[0-9A-F]{16}$/);
      return littleEndian(BigInt(`0x${value}`), 8);
    case 'REG_BINARY':
      expect(value, 'REG_BINARY value').toMatch(/^(?:[0-9A-F]{2})*$/);
      return Buffer.from(value, 'hex');
    case 'REG_MULTI_SZ':
      return registryMultiString(values);
    default:
      return registryString(value);
  }
}
