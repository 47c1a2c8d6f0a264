/**
 * Shows a parsed value so that what cannot be seen can be: blanks at either end, line breaks, tabs.
 * The playground shows dotenv's and django-environ's values side by side, and their differences are
 * often exactly these characters.
 */

export interface ValuePiece {
	text: string;
	/** A stand-in symbol for an invisible character, with the character's name key for screen readers. */
	marker?: 'space' | 'newline' | 'carriageReturn' | 'tab' | 'bom';
}

const MARKERS: Record<string, { symbol: string; marker: NonNullable<ValuePiece['marker']> }> = {
	'\n': { symbol: '↵', marker: 'newline' },
	'\r': { symbol: '␍', marker: 'carriageReturn' },
	'\t': { symbol: '⇥', marker: 'tab' },
	'\uFEFF': { symbol: '␣BOM', marker: 'bom' },
};

/** Splits a value into plain runs and markers; blanks are marked only at the ends. */
export function visibleValue(value: string): ValuePiece[] {
	const pieces: ValuePiece[] = [];
	const leading = /^ */.exec(value)?.[0].length ?? 0;
	const trailingStart = value.length - (/ *$/.exec(value.slice(leading))?.[0].length ?? 0);
	let plain = '';
	const flush = (): void => {
		if (plain !== '') pieces.push({ text: plain });
		plain = '';
	};
	for (let index = 0; index < value.length; ) {
		const char = String.fromCodePoint(value.codePointAt(index) ?? 0);
		const special = MARKERS[char];
		if (special) {
			flush();
			pieces.push({ text: special.symbol, marker: special.marker });
		} else if (char === ' ' && (index < leading || index >= trailingStart)) {
			flush();
			pieces.push({ text: '·', marker: 'space' });
		} else {
			plain += char;
		}
		index += char.length;
	}
	flush();
	return pieces;
}

/** Fills `{{name}}` placeholders; unknown names stay visible so a missing parameter is noticed. */
export function fillTemplate(template: string, params: Readonly<Record<string, string>>): string {
	return template.replace(/\{\{(\w+)\}\}/g, (all, name: string) => params[name] ?? all);
}
