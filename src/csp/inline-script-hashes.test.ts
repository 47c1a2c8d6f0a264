import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inlineScriptHashes, inlineScriptHashesFor } from './inline-script-hashes.mjs';

const sha256 = (text: string) => `sha256-${createHash('sha256').update(text).digest('base64')}`;

describe('inline script hashes', () => {
	it('hashes the exact text of each is:inline script and skips bundled ones', () => {
		const source = '---\n---\n<script is:inline>\n\tboot();\n</script>\n<script>import "./x";</script>\n<script is:inline aria-hidden="true">a()</script>';
		expect(inlineScriptHashes(source)).toEqual([sha256('\n\tboot();\n'), sha256('a()')]);
	});
	it("covers Starlight's theme script", () => {
		// ThemeProvider.astro's script defines window.StarlightThemeProvider; without its hash the
		// theme could not be restored under the CSP.
		expect(inlineScriptHashesFor([]).length).toBeGreaterThanOrEqual(5);
	});
});
