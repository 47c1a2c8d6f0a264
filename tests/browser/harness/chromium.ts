/**
 * Finds the Chromium the browser tests drive. Browsers cannot be downloaded here, so the tests use
 * the system's Chromium (Debian's package) or the one CHROME_PATH names, and say how to get one
 * when there is none: a missing browser must fail `npm test`, never skip the browser tests.
 */
import { accessSync, constants } from 'node:fs';

const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** The Chromium executable to launch, or an Error that tells the reader how to install one. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | Error {
	const fromEnv = env['CHROME_PATH'];
	const candidate = fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_CHROMIUM;
	try {
		accessSync(candidate, constants.X_OK);
		return candidate;
	} catch {
		const where = fromEnv ? `CHROME_PATH=${fromEnv} is not an executable file.` : `No Chromium at ${DEFAULT_CHROMIUM}.`;
		return new Error(
			`${where} The browser tests need Chromium. Install it with "sudo apt-get install chromium" ` +
				`(Debian/Ubuntu), or point CHROME_PATH at a Chrome or Chromium executable, then run npm test again.`,
		);
	}
}
