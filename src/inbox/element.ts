/**
 * A tiny element builder for the inbox's browser scripts. Everything from a captured message is
 * untrusted, so text only ever goes in through `textContent` and attributes through `setAttribute`;
 * there is deliberately no way to pass HTML.
 */

type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
	tag: K,
	attributes: Record<string, string | number | boolean | undefined> = {},
	...children: Child[]
): HTMLElementTagNameMap[K] {
	const node = document.createElement(tag);
	for (const [name, value] of Object.entries(attributes)) {
		if (value === undefined || value === false) continue;
		node.setAttribute(name, value === true ? '' : String(value));
	}
	for (const child of children) {
		if (child === null || child === undefined || child === false) continue;
		node.append(typeof child === 'string' ? document.createTextNode(child) : child);
	}
	return node;
}

/** Fills `{{name}}` placeholders of a translated string. */
export function fill(template: string, values: Record<string, string | number>): string {
	return template.replace(/\{\{(\w+)\}\}/g, (match, key: string) =>
		key in values ? String(values[key]) : match,
	);
}
