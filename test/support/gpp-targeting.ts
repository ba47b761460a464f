/**
 * A small evaluator of GPP item-level targeting for tests: which Registry items of a
 * Registry.xml (as a JSON tree from xml-to-json.ps1) apply to a sample machine. Filters combine
 * left to right with their bool attribute; not="1" negates one filter; FilterCollection groups.
 * It understands exactly the filters tlsgen writes and fails on anything else.
 */
import type { Machine } from './windows-machines.js';

export interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
  text: string;
}

export function applicableItems(root: XmlNode, machine: Machine): XmlNode[] {
  const items: XmlNode[] = [];
  const walk = (node: XmlNode) => {
    for (const child of node.children) {
      if (child.name === 'Collection') walk(child);
      if (child.name === 'Registry' && filtersPass(child.children.find((c) => c.name === 'Filters'), machine)) items.push(child);
    }
  };
  walk(root);
  return items;
}

function filtersPass(filters: XmlNode | undefined, machine: Machine): boolean {
  return filters === undefined ? true : combine(filters.children, machine);
}

function combine(filters: XmlNode[], machine: Machine): boolean {
  let result = true;
  filters.forEach((filter, index) => {
    const value = evaluate(filter, machine) !== (filter.attributes.not === '1');
    result = index === 0 ? value : filter.attributes.bool === 'OR' ? result || value : result && value;
  });
  return result;
}

function evaluate(filter: XmlNode, machine: Machine): boolean {
  const a = filter.attributes;
  switch (filter.name) {
    case 'FilterCollection':
      return combine(filter.children, machine);
    case 'FilterOs':
      if (a.class !== 'NT' || a.type !== 'NE' || a.edition !== 'NE' || a.sp !== 'NE') throw new Error(`unexpected FilterOs ${JSON.stringify(a)}`);
      return a.version === machine.osToken;
    case 'FilterWmi':
      return evaluateBuildQuery(a.query ?? '', machine.build);
    case 'FilterRegistry':
      if (a.type !== 'KEYEXISTS' || a.hive !== 'HKEY_LOCAL_MACHINE' || a.key !== 'SOFTWARE\\WOW6432Node') throw new Error(`unexpected FilterRegistry ${JSON.stringify(a)}`);
      return machine.x64;
    default:
      throw new Error(`the test evaluator does not know ${filter.name}`);
  }
}

/**
 * WQL over Win32_OperatingSystem.BuildNumber, which is a string: comparisons are ordinal string
 * comparisons, exactly as WMI performs them (so '9600' > '10000').
 */
function evaluateBuildQuery(query: string, build: string): boolean {
  const where = /^SELECT BuildNumber FROM Win32_OperatingSystem WHERE (.+)$/.exec(query)?.[1];
  if (!where) throw new Error(`unexpected WMI query ${query}`);
  return where.split(' AND ').every((condition) => {
    const match = /^BuildNumber (=|>=|<=) '(\d+)'$/.exec(condition);
    if (!match) throw new Error(`unexpected WMI condition ${condition}`);
    const [, op, value] = match as unknown as [string, string, string];
    return op === '=' ? build === value : op === '>=' ? build >= value : build <= value;
  });
}
