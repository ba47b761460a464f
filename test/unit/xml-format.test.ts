import { describe, expect, it } from 'vitest';
import { xmlAttribute, xmlCdata } from '../../src/formats/xml.js';
import { stableGuid } from '../../src/render/stable-ids.js';
import { machineExtensionGuids } from '../../src/render/gpo-backup.js';
import { parseValueData } from '../../src/model/registry.js';

describe('XML escaping', () => {
  it('escapes markup and writes line breaks and tabs as references', () => {
    expect(xmlAttribute(`a & b < c > d " e ' f`)).toBe(`a &amp; b &lt; c &gt; d &quot; e ' f`);
    expect(xmlAttribute('x\r\ny\tz')).toBe('x&#13;&#10;y&#9;z');
  });

  it('splits ]]> across CDATA sections', () => {
    expect(xmlCdata('a]]>b')).toBe('<![CDATA[a]]]]><![CDATA[>b]]>');
  });

  it('refuses characters XML 1.0 cannot carry', () => {
    expect(() => xmlAttribute('a\u0001b')).toThrow(/control character/);
    expect(xmlAttribute('a\tb\nc')).toBe('a&#9;b&#10;c');
    expect(() => xmlAttribute('bell\u0007')).toThrow(/control character/);
  });

  it('validation rejects string data that GPP XML cannot carry', () => {
    const result = parseValueData('REG_SZ', 'bell\u0007');
    expect(result.ok).toBe(false);
    expect(parseValueData('REG_SZ', 'tab\tand\r\nbreaks').ok).toBe(true);
  });
});

describe('stable identifiers', () => {
  it('derives the same GUID from the same names, in GPMC’s upper-case braces', () => {
    expect(stableGuid('a', 'b')).toBe(stableGuid('a', 'b'));
    expect(stableGuid('a', 'b')).not.toBe(stableGuid('a', 'c'));
    expect(stableGuid('x')).toMatch(/^\{[0-9A-F]{8}-[0-9A-F]{4}-8[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}\}$/);
  });

  it('sorts the extension-names string by CSE GUID, as [MS-GPOL] requires', () => {
    expect(machineExtensionGuids()).toBe(
      '[{00000000-0000-0000-0000-000000000000}{BEE07A6A-EC9F-4659-B8C9-0B1937907C83}][{B087BE9D-ED37-454F-AF9C-04291E351182}{BEE07A6A-EC9F-4659-B8C9-0B1937907C83}]',
    );
  });
});
