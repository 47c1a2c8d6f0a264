/**
 * The language of what Postlab prints in a terminal (start-up lines, the build line), from the locale
 * variables as POSIX orders them: Korean when they say so, else English. Kept free of other imports so
 * the short-lived `npm start` build check can use it without loading the sandbox.
 */
export function logLanguage(env: Readonly<Record<string, string | undefined>> = process.env): 'ko' | 'en' {
	const locale = env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG'] || '';
	return locale.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}
