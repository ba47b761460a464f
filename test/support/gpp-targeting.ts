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
  // A Collection's own Filters, if it had any, would gate every item inside it; tlsgen writes none
  // (see src/render/gpp.ts), and the evaluator refuses them so a change there cannot go unchecked.
  const walk = (node: XmlNode) => {
    for (const child of node.children) {
      if (child.name === 'Collection') {
        if (child.children.some((c) => c.name === 'Filters')) throw new Error('the test evaluator does not model Filters on a Collection');
        walk(child);
      }
      if (
        child.name === 'Registry' &&
        filtersPass(
          child.children.find((c) => c.name === 'Filters'),
          machine,
        )
      )
        items.push(child);
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
      if ((a.nameSpace ?? '').toLowerCase() !== 'root\\cimv2') throw new Error(`unexpected WMI namespace ${a.nameSpace}`);
      return evaluateWql(a.query ?? '', machine);
    case 'FilterRegistry':
      // No longer written (AddressWidth replaced it); kept so that reintroducing the key test fails
      // on the x86 machines whose installers created the key.
      if (a.type !== 'KEYEXISTS' || a.hive !== 'HKEY_LOCAL_MACHINE' || a.key !== 'SOFTWARE\\WOW6432Node')
        throw new Error(`unexpected FilterRegistry ${JSON.stringify(a)}`);
      return machine.wow6432NodeKey;
    default:
      throw new Error(`the test evaluator does not know ${filter.name}`);
  }
}

/**
 * A WMI query matches when it returns at least one instance. Two classes, one instance each here
 * (every processor of a machine reports the same AddressWidth). WQL semantics kept exactly:
 * Win32_OperatingSystem.BuildNumber is a string, so its comparisons are ordinal string comparisons
 * ('9600' > '10000'); ProductType, OperatingSystemSKU and AddressWidth are integers. The grammar
 * is the subset tlsgen writes: comparisons joined by AND, with OR only inside parentheses.
 */
function evaluateWql(query: string, machine: Machine): boolean {
  const match = /^SELECT (\w+) FROM (Win32_OperatingSystem|Win32_Processor) WHERE (.+)$/.exec(query);
  if (!match) throw new Error(`unexpected WMI query ${query}`);
  const [, , wmiClass, where] = match as unknown as [string, string, string, string];
  const properties: Record<string, string | number> =
    wmiClass === 'Win32_Processor'
      ? { AddressWidth: machine.addressWidth }
      : { BuildNumber: machine.build, ProductType: machine.productType, OperatingSystemSKU: machine.sku };
  const tokens = where.match(/\(|\)|'[^']*'|<>|>=|<=|=|\w+/g) ?? [];
  if (tokens.join('') !== where.replace(/ /g, '')) throw new Error(`unexpected WQL in ${query}`);
  let position = 0;
  const next = () => tokens[position++];
  const peek = () => tokens[position];
  const comparison = (): boolean => {
    if (peek() === '(') {
      next();
      let result = comparison();
      while (peek() === 'OR') {
        next();
        result = comparison() || result;
      }
      if (next() !== ')') throw new Error(`unbalanced parentheses in ${query}`);
      return result;
    }
    const property = next()!;
    const operator = next()!;
    const literal = next()!;
    const actual = properties[property];
    if (actual === undefined) throw new Error(`${wmiClass} has no property ${property} in this model (${query})`);
    const expected = typeof actual === 'string' ? /^'(\d+)'$/.exec(literal)?.[1] : /^\d+$/.test(literal) ? Number(literal) : undefined;
    if (expected === undefined) throw new Error(`literal ${literal} does not fit ${property} (${query})`);
    switch (operator) {
      case '=':
        return actual === expected;
      case '<>':
        return actual !== expected;
      case '>=':
        return actual >= expected;
      case '<=':
        return actual <= expected;
      default:
        throw new Error(`unexpected operator ${operator} in ${query}`);
    }
  };
  let result = comparison();
  while (peek() === 'AND') {
    next();
    result = comparison() && result;
  }
  if (position !== tokens.length) throw new Error(`unexpected WQL after position ${position} in ${query}`);
  return result;
}

/**
 * The names of an item's top-level FilterCollections (one per target version, OR'ed) that hold for
 * the machine: a machine must be recognised as exactly one Windows version, so that an item applies
 * to it for the right reason (Windows 11 multi-session as Windows 11, not as Server 2025).
 */
export function matchingTargetGroups(item: XmlNode, machine: Machine): string[] {
  const filters = item.children.find((c) => c.name === 'Filters');
  if (filters === undefined) return [];
  return filters.children
    .filter((f) => f.name === 'FilterCollection' && evaluate(f, machine) !== (f.attributes.not === '1'))
    .map((f) => f.attributes.name ?? '');
}
