/**
 * No generated line may read like an Authenticode signature marker. osslsigncode (script.c,
 * script_ctx_get) takes the first line that starts with `# SIG # Begin signature block` for the
 * start of the signature block and signs only what comes before it; a definition line reading
 * `SIG # Begin signature block` became such a comment line and `sign` cut a 324-line DSC
 * configuration to 35 lines. Every text path is fed the marker here.
 */
import type { HelperOptions } from 'handlebars';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/pipeline.js';
import { helpers } from '../../src/render/helpers.js';
import { psCommentText, psLooksLikeSignatureMarker, psStringArray, psStringExpression } from '../../src/formats/powershell.js';
import { withoutSignatureBlock } from '../../src/sign/sign.js';
import { MARKER, MARKER_LIKE_LINE, OSSLSIGNCODE_MARKER_LINE, hostileMarkerDefinitions, physicalLines } from '../support/signature-marker.js';

function psComment(text: string, indent?: number): string[] {
  const options = { fn: () => text, hash: indent === undefined ? {} : { indent } } as unknown as HelperOptions;
  return String(helpers.psComment!.call({}, options)).split('\n');
}

describe('comment lines', () => {
  it.each([[MARKER], ['sig # begin signature block'], ['SIG#Begin signature block'], ['SIG # End signature block'], [`\u00A0${MARKER}`]])(
    'quotes comment text that would read like a marker: %j',
    (text) => {
      expect(psCommentText(text)).toBe(`> ${text}`);
      expect(psLooksLikeSignatureMarker(`# ${psCommentText(text)}`)).toBe(false);
    },
  );

  it('leaves every other comment text as it is', () => {
    for (const text of ['', 'SIGNATURE # x', `# ${MARKER}`, `a ${MARKER}`, '> SIG # Begin signature block']) expect(psCommentText(text)).toBe(text);
  });

  it('no wrapped comment line reads like a marker, at any indent and any wrap position, and none is wider than 100 columns', () => {
    for (const indent of [undefined, 0, 4, 8, 12]) {
      for (let prefix = 0; prefix <= 110; prefix++) {
        const text = `${'x'.repeat(prefix)} ${`${MARKER} `.repeat(6)}\n${MARKER}\n${'a '.repeat(prefix)}${MARKER}`;
        const lines = psComment(text, indent);
        for (const line of lines) {
          expect(line, JSON.stringify(line)).not.toMatch(MARKER_LIKE_LINE);
          // (A single word wider than the line cannot be wrapped.)
          if ((indent ?? 0) + 4 + prefix <= 100) expect(line.length, line).toBeLessThanOrEqual(100);
        }
        // Nothing is lost: the words are the same, in the same order, quotes aside.
        const words = lines
          .map((l) => l.replace(/^\s*#( > | )?/, ''))
          .join(' ')
          .split(/\s+/)
          .filter(Boolean);
        expect(words).toEqual(text.split(/\s+/).filter(Boolean));
      }
    }
  });

  it('a definition line reading the marker becomes a quoted comment, not the marker (defect 2)', () => {
    expect(psComment(`Golden case for the .reg writer.\n${MARKER}`)).toEqual(['# Golden case for the .reg writer.', `# > ${MARKER}`]);
  });
});

describe('string data', () => {
  it('a literal never spans lines, so data never starts a line', () => {
    for (const text of [`a\r\n# ${MARKER}\r\nb`, `\n# ${MARKER}`, `# ${MARKER}`, `\r# ${MARKER}`]) {
      expect(psStringExpression(text)).not.toMatch(/[\r\n]/);
      expect(psStringArray([text, text])).not.toMatch(/[\r\n]/);
    }
  });
});

describe('every text path into generated scripts', () => {
  const definitions = hostileMarkerDefinitions();
  afterAll(() => rmSync(dirname(definitions), { recursive: true, force: true }));
  const result = generate({ definitionsDir: definitions });
  const scripts = result.files.filter((f) => /\.(ps1|psd1)$/.test(f.path));

  it('the hostile definitions are valid, and reach every kind of script', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(scripts.map((f) => f.path.replace(/^[^/]+\//, '').replace(/[A-Z][A-Za-z]*(?=\.ps)/, '*')).sort()).toEqual(
      ['dsc/*.ps1', 'dsc/*.psd1', 'dsc/*.ps1', 'intune/Detect-*.ps1', 'intune/Remediate-*.ps1', 'scripts/Install-*.ps1', 'scripts/Test-*.ps1'].sort(),
    );
    for (const file of scripts) {
      const text = Buffer.from(file.bytes).toString('utf8');
      // In comments (quoted) and in data (inside literals): the marker text itself is carried.
      expect(text.split('Begin signature block').length - 1, file.path).toBeGreaterThanOrEqual(3);
    }
  });

  it('no physical line of any generated script reads like a marker', () => {
    for (const file of scripts) {
      physicalLines(file.bytes).forEach((line, index) => {
        expect(line.startsWith(OSSLSIGNCODE_MARKER_LINE), `${file.path}:${index + 1}: ${line}`).toBe(false);
        expect(line, `${file.path}:${index + 1}`).not.toMatch(MARKER_LIKE_LINE);
      });
    }
  });

  it('no generated script looks already signed', () => {
    for (const file of scripts) expect(withoutSignatureBlock(Buffer.from(file.bytes)), file.path).toBeNull();
  });
});

describe('an existing signature is found only at the end of the file', () => {
  const block = `\r\n# SIG # Begin signature block\r\n# MIIFowYJKoZIhvcNAQcCoIIF\r\n# lDCCBZACAQExDzANBglghkgB==\r\n# SIG # End signature block\r\n`;
  const script = '\uFEFFWrite-Host 1\r\n# x\r\n';

  it('finds the final block and returns the bytes before it', () => {
    expect(withoutSignatureBlock(Buffer.from(script + block))?.toString()).toBe(script);
    expect(withoutSignatureBlock(Buffer.from(script + block + '\r\n\r\n'))?.toString()).toBe(script);
    expect(withoutSignatureBlock(Buffer.from(script + block.replace(/\r\n/g, '\n')))?.toString()).toBe(script);
  });

  it('a marker anywhere else is no signature', () => {
    expect(withoutSignatureBlock(Buffer.from(script))).toBeNull();
    expect(withoutSignatureBlock(Buffer.from(`${script}# SIG # Begin signature block\r\nWrite-Host 2\r\n`))).toBeNull();
    expect(withoutSignatureBlock(Buffer.from(`${script}$x = '# SIG # Begin signature block'\r\n`))).toBeNull();
    expect(withoutSignatureBlock(Buffer.from(script + block + 'Write-Host 2\r\n'))).toBeNull();
    expect(withoutSignatureBlock(Buffer.from(script + block.replace('# SIG # End signature block\r\n', '')))).toBeNull();
    expect(withoutSignatureBlock(Buffer.from(script + block.replace('# lDCC', '# not base64 ')))).toBeNull();
  });

  it('of two blocks, the final one is the signature', () => {
    const twice = `${script}${block}Write-Host 2\r\n`;
    expect(withoutSignatureBlock(Buffer.from(twice + block))?.toString()).toBe(twice);
  });
});
