/**
 * Text → bytes for each artifact family. Renderers produce LF text; these add the line ends and
 * encoding the consumer needs. Input must not contain CR: every CR in an artifact comes from here.
 */

function assertNoCarriageReturn(text: string): void {
  if (text.includes('\r')) throw new Error('internal: rendered text contains a carriage return; line ends are added at encoding');
}

/**
 * `prefix`, then `text` encoded, in one new array. Node's own encoders do the work: UTF-16LE copies
 * each code unit as it is (a lone surrogate included), UTF-8 writes U+FFFD for a lone surrogate, as
 * TextEncoder does.
 */
function encodeAfter(prefix: readonly number[], text: string, encoding: 'utf16le' | 'utf8' | 'latin1'): Uint8Array {
  const length = encoding === 'utf16le' ? text.length * 2 : encoding === 'latin1' ? text.length : Buffer.byteLength(text, 'utf8');
  const bytes = new Uint8Array(prefix.length + length);
  bytes.set(prefix);
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).write(text, prefix.length, length, encoding);
  return bytes;
}

const NO_BYTES: readonly number[] = [];

/** regedit's own export encoding: UTF-16LE with BOM (FF FE), CRLF line ends. */
export function utf16leBomCrlf(text: string): Uint8Array {
  assertNoCarriageReturn(text);
  return encodeAfter([0xff, 0xfe], text.replace(/\n/g, '\r\n'), 'utf16le');
}

/** Plain UTF-8 with LF: Markdown and checksum lists (sha256sum reads LF lines). */
export function utf8Lf(text: string): Uint8Array {
  assertNoCarriageReturn(text);
  return encodeAfter(NO_BYTES, text, 'utf8');
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
  return encodeAfter([0xef, 0xbb, 0xbf], text.replace(/\n/g, '\r\n'), 'utf8');
}

/** GPMC's XML files: UTF-8 without BOM, CRLF line ends. */
export function utf8NoBomCrlf(text: string): Uint8Array {
  assertNoCarriageReturn(text);
  return encodeAfter(NO_BYTES, text.replace(/\n/g, '\r\n'), 'utf8');
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
  const i = crlf.search(/[^\t\n\r\x20-\x7e]/);
  if (i !== -1) {
    const unit = crlf.charCodeAt(i);
    const line = crlf.slice(0, i).split('\r\n').length;
    throw new Error(`internal: ASCII script text has character U+${unit.toString(16).toUpperCase().padStart(4, '0')} on line ${line}`);
  }
  return encodeAfter(NO_BYTES, crlf, 'latin1');
}
