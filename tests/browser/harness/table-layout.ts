/**
 * Measures the tables on a page as a reader sees them: whether each fits the box it sits in (no part
 * cut off or scrolled away), and whether any word is split across two lines inside it. Words are found
 * with the browser's own word segmenter (Intl.Segmenter, so 포트, 587 and STARTTLS are each one word)
 * and checked with their line boxes (Range.getClientRects), not with pixels.
 */
import type { Page } from 'playwright-core';

export interface TableLayout {
	readonly tables: number;
	readonly words: number;
	/** One line per table that overflows its box, and per word broken across lines. */
	readonly problems: readonly string[];
}

export function measureTables(page: Page): Promise<TableLayout> {
	return page.evaluate(() => {
		const problems: string[] = [];
		let words = 0;
		const tables = [...document.querySelectorAll('main table')];
		const segmenter = new Intl.Segmenter(document.documentElement.lang || 'en', { granularity: 'word' });
		tables.forEach((table, index) => {
			const name = `table ${index + 1} (${(table.querySelector('th')?.textContent ?? '').trim().slice(0, 20)}…)`;
			// A table that scrolls sideways sits in a scrolling box of its own (the .env playground), or is one (Markdown).
			const box = (table.closest('[role="region"]') as HTMLElement | null) ?? (table as HTMLElement);
			const container = box.parentElement?.getBoundingClientRect();
			const hidden = box.scrollWidth - box.clientWidth;
			const sticksOut = container ? table.getBoundingClientRect().right - container.right : 0;
			const overflow = Math.max(hidden, sticksOut);
			if (overflow > 1) problems.push(`${name}: ${Math.round(overflow)} px wider than its box`);

			const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
			for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
				// The playground shows values character for character and may wrap them anywhere, on purpose.
				if (node.parentElement?.closest('[data-parser]')) continue;
				for (const segment of segmenter.segment(node.data)) {
					if (!segment.isWordLike) continue;
					words += 1;
					const range = document.createRange();
					range.setStart(node, segment.index);
					range.setEnd(node, segment.index + segment.segment.length);
					const rects = [...range.getClientRects()].filter((rect) => rect.width > 0);
					const first = rects[0];
					if (first && rects.some((rect) => Math.abs(rect.top - first.top) > first.height / 2)) {
						problems.push(`${name}: "${segment.segment}" is broken across lines`);
					}
				}
			}
		});
		return { tables: tables.length, words, problems };
	});
}
