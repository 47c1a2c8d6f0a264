/**
 * Makes every code block's `<pre>` keyboard-focusable in the built HTML, so a block wider than the
 * page can be scrolled with the arrow keys from the moment it is shown (WCAG 2.1.1; axe's
 * `scrollable-region-focusable`).
 *
 * Expressive Code does this with a script that measures each block after a ResizeObserver, a 250 ms
 * debounce and an idle callback, then adds `tabindex="0"` to the blocks that scroll and removes it from
 * those that do not. Until that script has run (or without scripts at all) a wide block could not be
 * reached from the keyboard. Starting every block focusable keeps the script's result and closes the gap.
 */
import type { ExpressiveCodePlugin } from '@astrojs/starlight/expressive-code';
import type { Element } from '@astrojs/starlight/expressive-code/hast';

function findPre(node: Element): Element | undefined {
	if (node.tagName === 'pre') return node;
	for (const child of node.children) {
		if (child.type !== 'element') continue;
		const found = findPre(child);
		if (found) return found;
	}
	return undefined;
}

export function focusableCodeBlocks(): ExpressiveCodePlugin {
	return {
		name: 'Focusable code blocks',
		hooks: {
			postprocessRenderedBlock: ({ renderData }) => {
				const pre = findPre(renderData.blockAst);
				if (pre) pre.properties['tabIndex'] = 0;
			},
		},
	};
}
