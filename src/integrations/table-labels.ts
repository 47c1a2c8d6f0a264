/**
 * Gives every body cell of a lesson's Markdown table its column heading as `data-label`. On a narrow
 * screen postlab.css lays such a table out as one card per row with each value under its heading,
 * instead of columns too narrow for a word (Korean keeps its words whole, so squeezed columns would
 * push the table past the screen). Done while the page is built: no script is shipped for it.
 * Node-only: runs while Astro renders Markdown, never in the browser.
 */
import type { AstroIntegration } from 'astro';
import { addHastPlugin, isElement, type HastChild, type HastContext, type HastElement, type HastPlugin } from './satteri-hast.ts';

function elements(node: HastElement, tagName: string): HastElement[] {
	return node.children.filter((child): child is HastElement => isElement(child, tagName));
}

/** The table with `data-label` on each `td`, from the `th` in the same column of the first head row. */
export function labelTable(table: HastElement, textOf: (node: HastChild) => string): HastElement {
	const [headRow] = elements(table, 'thead').flatMap((head) => elements(head, 'tr'));
	if (!headRow) return table;
	const labels = elements(headRow, 'th').map((th) => textOf(th).trim());
	const labelRow = (row: HastElement): HastElement => {
		let column = 0;
		const children = row.children.map((cell) => {
			if (!isElement(cell, 'td') && !isElement(cell, 'th')) return cell;
			const label = labels[column++] ?? '';
			return isElement(cell, 'td') && label !== '' ? { ...cell, properties: { ...cell.properties, 'data-label': label } } : cell;
		});
		return { ...row, children };
	};
	const children = table.children.map((part) =>
		isElement(part, 'tbody') ? { ...part, children: part.children.map((row) => (isElement(row, 'tr') ? labelRow(row) : row)) } : part,
	);
	return { ...table, children };
}

const tableLabelPlugin: HastPlugin = {
	name: 'postlab-table-labels',
	element: {
		filter: ['table'],
		visit: (node: HastElement, ctx: HastContext) => labelTable(node, (child) => ctx.textContent(child)),
	},
};

export function tableLabels(): AstroIntegration {
	return {
		name: 'postlab:table-labels',
		hooks: {
			'astro:config:setup'({ config, logger }) {
				addHastPlugin(config.markdown.processor, () => tableLabelPlugin, logger, 'Tables keep their columns on phones');
			},
		},
	};
}
