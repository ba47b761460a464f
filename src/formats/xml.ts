/**
 * XML 1.0 byte rules for GPP Registry.xml and the GPO backup files, in one place.
 * Attribute values (always in double quotes) escape & < > " and write tab, LF and CR as character references (a literal
 * line break in an attribute would be normalised to a space by every XML parser). Other control
 * characters cannot exist in XML 1.0 at all: validation rejects them (rules.ts), and this module
 * refuses them as a last line of defence.
 */
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

const ATTRIBUTE_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

export function xmlAttribute(text: string): string {
  assertXmlCharacters(text);
  return text.replace(/[&<>"\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c]!);
}

/** Element text: the same escapes (CR as a reference, or a parser would turn CRLF into LF). */
export function xmlText(text: string): string {
  return xmlAttribute(text);
}

/** CDATA, as GPMC writes backup metadata; `]]>` inside is split across two sections. */
export function xmlCdata(text: string): string {
  assertXmlCharacters(text);
  return `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

function assertXmlCharacters(text: string): void {
  if (XML_FORBIDDEN.test(text)) throw new Error('internal: text with a control character XML 1.0 cannot carry reached an XML artifact');
}
