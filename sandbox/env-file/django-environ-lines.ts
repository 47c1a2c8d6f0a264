/**
 * What django-environ 0.12 (the version the course installs) stores from a `.env` file when
 * settings.py calls `environ.Env.read_env(path)`. Runs in the browser.
 *
 * Source followed: joke2k/django-environ, `environ/environ.py`, classmethod `Env.read_env` as released
 * in 0.12.0 (default `parse_comments=False`; the CHANGELOG for 0.12.0 says inline-comment handling was
 * switched off by default, issue #499). The regular expressions below are transcribed from it, quoted
 * exactly (lines 980–1022 of Debian's 0.12.0 package). tests/unit/labs/django-environ.test.ts compares
 * this port with what that release itself did, recorded by tests/unit/labs/fixtures/.
 *
 *   open(str(env_file), encoding=encoding)   # encoding='utf8': a BOM stays in the text as U+FEFF;
 *                                            # text mode turns \r\n and \r into \n
 *   for line in content.splitlines():
 *       m1 = re.match(r'\A(?:export )?([A-Za-z_0-9]+)=(.*)\Z', line)
 *       if m1:
 *           key, val = m1.group(1), m1.group(2)
 *           if not parse_comments:
 *               m2 = re.match(r"\A'(.*)'\Z", val)        # whole value in single quotes
 *               if m2: val = m2.group(1)
 *           m3 = re.match(r'\A"(.*)"\Z', val)            # then, whole value in double quotes
 *           if m3:
 *               val = re.sub(r'\\(.)', _keep_escaped_format_characters, m3.group(1))
 *           overrides[key] = str(val)
 *       elif not line or line.startswith('#'):
 *           pass                                          # blank line or comment
 *       else:
 *           logger.warning('Invalid line: %s', line)     # skipped
 *   # _keep_escaped_format_characters: for \r, \n, \t keep backslash and letter (two characters);
 *   # for any other escaped character keep the character alone.
 *   # Finally every key is set with os.environ.setdefault (an existing variable wins; a later line
 *   # of the same key has already replaced the earlier one in `overrides`).
 *
 * Consequences worth showing learners: no blanks are allowed around `=` or before the key; the value
 * is taken raw (a `# comment` stays part of it, leading and trailing blanks too); single quotes are
 * removed before double quotes, so `'"x"'` reads as `x`; in double quotes `\n` stays two characters;
 * a quoted value cannot span lines.
 */

/** `\A(?:export )?([A-Za-z_0-9]+)=(.*)\Z`; lines never contain `\n` here. */
const ASSIGNMENT = /^(?:export )?([A-Za-z_0-9]+)=(.*)$/su;
/** `\A'(.*)'\Z` */
const SINGLE_QUOTED = /^'(.*)'$/su;
/** `\A"(.*)"\Z` */
const DOUBLE_QUOTED = /^"(.*)"$/su;
/** `\\(.)` */
const ESCAPE = /\\(.)/gsu;

/**
 * Python's `str.splitlines()` boundaries besides `\n` (which, with `\r`, text mode has already made
 * into `\n`): vertical tab, form feed, file/group/record separators, NEL, line and paragraph separators.
 */
const PYTHON_EXTRA_LINE_BREAKS = /[\v\f\x1c\x1d\x1e\x85\u2028\u2029]/u;

export type DjangoEnvironLine =
	| { kind: 'assignment'; key: string; value: string; raw: string }
	| { kind: 'blank' }
	| { kind: 'comment' }
	/** Logged as "Invalid line" by django-environ and skipped. */
	| { kind: 'invalid' };

/** How django-environ 0.12's `read_env` treats one line (as `str.splitlines()` gives it). */
export function readEnvLine(line: string): DjangoEnvironLine {
	const assignment = ASSIGNMENT.exec(line);
	if (assignment) {
		const key = assignment[1] ?? '';
		const raw = assignment[2] ?? '';
		let value = raw;
		const single = SINGLE_QUOTED.exec(value);
		if (single) value = single[1] ?? '';
		const double = DOUBLE_QUOTED.exec(value);
		if (double) value = (double[1] ?? '').replace(ESCAPE, (_all, escaped: string) => ('rnt'.includes(escaped) ? `\\${escaped}` : escaped));
		return { kind: 'assignment', key, value, raw };
	}
	if (line === '') return { kind: 'blank' };
	if (line.startsWith('#')) return { kind: 'comment' };
	return { kind: 'invalid' };
}

export interface DjangoEnvironEntry {
	/** 0-based display line (lines split at `\n` after `\r\n`/`\r` became `\n`). */
	line: number;
	/** The line as django-environ sees it (and quotes it when it logs "Invalid line"). */
	text: string;
	result: DjangoEnvironLine;
	/** True when Python split this display line further (a rare separator such as U+2028). */
	splitFurther: boolean;
}

/**
 * Every line django-environ looks at, mapped to the display line it sits on. Python's text mode
 * turns `\r\n` and a lone `\r` into `\n`, exactly as the display does; `splitlines()` then also
 * splits at a few rarer characters, which stay inside one display line here.
 */
export function djangoEnvironEntries(text: string): DjangoEnvironEntry[] {
	const display = text.replace(/\r\n?/g, '\n').split('\n');
	const entries: DjangoEnvironEntry[] = [];
	display.forEach((displayLine, line) => {
		const pieces = displayLine.split(PYTHON_EXTRA_LINE_BREAKS);
		for (const piece of pieces) entries.push({ line, text: piece, result: readEnvLine(piece), splitFurther: pieces.length > 1 });
	});
	// splitlines() gives no empty line after a final line break.
	const last = entries[entries.length - 1];
	if (last && last.result.kind === 'blank') {
		const lastDisplay = display[display.length - 1] ?? '';
		if (lastDisplay === '' || PYTHON_EXTRA_LINE_BREAKS.test(lastDisplay.slice(-1))) entries.pop();
	}
	return entries;
}

/** The key → value map `read_env` would hand to `os.environ.setdefault` (later lines win). */
export function djangoEnvironParse(text: string): Map<string, string> {
	const parsed = new Map<string, string>();
	for (const { result } of djangoEnvironEntries(text)) {
		if (result.kind === 'assignment') parsed.set(result.key, result.value);
	}
	return parsed;
}
