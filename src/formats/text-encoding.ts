/**
 * Text → bytes for each artifact family. Renderers produce LF text; these add the line ends and
 * encoding the consumer needs. Input must not contain CR: every CR in an artifact comes from here.
 */

function assertNoCarriageReturn(text: string): void {
  if (text.includes('\r')) throw new Error('internal: rendered text contains a carriage return; line ends are added at encoding');
}

/** regedit's own export encoding: UTF-16LE with BOM (FF FE), CRLF line ends. */
export function utf16leBomCrlf(text: string): Uint8Array {
  assertNoCarriageReturn(text);
  const crlf = text.replace(/\n/g, '\r\n');
  const bytes = new Uint8Array(2 + crlf.length * 2);
  bytes[0] = 0xff;
  bytes[1] = 0xfe;
  for (let i = 0; i < crlf.length; i++) {
    const unit = crlf.charCodeAt(i);
    bytes[2 + i * 2] = unit & 0xff;
    bytes[3 + i * 2] = unit >> 8;
  }
  return bytes;
}

/** Plain UTF-8 with LF: Markdown and checksum lists (sha256sum reads LF lines). */
export function utf8Lf(text: string): Uint8Array {
  assertNoCarriageReturn(text);
  return new TextEncoder().encode(text);
}

/** Script text: no trailing white space (it would change signed bytes invisibly), ends with a line end. */
function assertScriptText(text: string): void {
  assertNoCarriageReturn(text);
  if (/[ \t]\n/.test(text) || !text.endsWith('\n')) {
    throw new Error('internal: script text has trailing white space or no final line end');
  }
}

/**
 * Signable PowerShell: UTF-8 with BOM (Windows PowerShell 5.1 reads BOM-less files in the ANSI
 * code page, which breaks signatures on non-ASCII text), CRLF, no trailing spaces, ends with CRLF.
 */
export function utf8BomCrlf(text: string): Uint8Array {
  assertScriptText(text);
  const body = new TextEncoder().encode(text.replace(/\n/g, '\r\n'));
  const bytes = new Uint8Array(3 + body.length);
  bytes.set([0xef, 0xbb, 0xbf]);
  bytes.set(body, 3);
  return bytes;
}

/** GPMC's XML files: UTF-8 without BOM, CRLF line ends. */
export function utf8NoBomCrlf(text: string): Uint8Array {
  assertNoCarriageReturn(text);
  return new TextEncoder().encode(text.replace(/\n/g, '\r\n'));
}

/**
 * Intune Remediations scripts: ASCII, CRLF, no BOM. With "Enforce script signature check" Intune
 * wants UTF-8 without BOM, and Windows PowerShell 5.1 reads a BOM-less file in the ANSI code page:
 * pure ASCII is the only text both read the same way (MicrosoftDocs/memdocs, intune/fundamentals/
 * remediations.md; PowerShell/PowerShell#3466). Any other character is a bug of the renderer,
 * which must splice non-ASCII data in as [char]0xNNNN codes, so it throws instead of encoding it.
 */
export function asciiCrlf(text: string): Uint8Array {
  assertScriptText(text);
  const crlf = text.replace(/\n/g, '\r\n');
  const bytes = new Uint8Array(crlf.length);
  for (let i = 0; i < crlf.length; i++) {
    const unit = crlf.charCodeAt(i);
    if (unit > 0x7e || (unit < 0x20 && unit !== 0x09 && unit !== 0x0a && unit !== 0x0d)) {
      const line = crlf.slice(0, i).split('\r\n').length;
      throw new Error(`internal: ASCII script text has character U+${unit.toString(16).toUpperCase().padStart(4, '0')} on line ${line}`);
    }
    bytes[i] = unit;
  }
  return bytes;
}
