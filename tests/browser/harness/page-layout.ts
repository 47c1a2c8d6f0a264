/**
 * What a reader would see wrong on a page, measured in the browser: the page scrolling sideways, text
 * too faint for its background (WCAG's contrast ratios: 4.5:1, or 3:1 for large text; a guard against a
 * theme or a component that forgets dark mode, not a replacement for axe), and tab labels broken over two
 * lines. Text in iframes (mail, drawn on white on purpose) is not the page's.
 */
import type { Page } from 'playwright-core';

export function layoutProblems(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const problems: string[] = [];
		const sideways = document.documentElement.scrollWidth - document.documentElement.clientWidth;
		if (sideways > 0) problems.push(`the page scrolls ${sideways} px sideways`);

		type Rgba = [number, number, number, number];
		const parse = (css: string): Rgba | null => {
			let match = /^rgba?\(([^)]+)\)$/.exec(css);
			if (match) {
				const [r = 0, g = 0, b = 0, a = 1] = match[1]!.split(/[\s,/]+/).filter(Boolean).map(Number);
				return [r, g, b, a];
			}
			match = /^color\(srgb ([^)]+)\)$/.exec(css);
			if (match) {
				const [r = 0, g = 0, b = 0, a = 1] = match[1]!.split(/[\s/]+/).filter(Boolean).map(Number);
				return [r * 255, g * 255, b * 255, a];
			}
			return null;
		};
		const over = (top: Rgba, under: Rgba): Rgba => {
			const a = top[3];
			return [top[0] * a + under[0] * (1 - a), top[1] * a + under[1] * (1 - a), top[2] * a + under[2] * (1 - a), 1];
		};
		const luminance = ([r, g, b]: Rgba): number => {
			const linear = (v: number) => {
				const c = v / 255;
				return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
			};
			return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
		};
		// A lesson has thousands of text nodes under a few hundred elements: remember each element's answers.
		const backdrops = new Map<Element | null, Rgba | null>([[null, [255, 255, 255, 1]]]);
		/** The colour behind an element, or null where it cannot be told (an image or a colour we do not parse). */
		const backdrop = (element: Element | null): Rgba | null => {
			if (backdrops.has(element)) return backdrops.get(element)!;
			const style = getComputedStyle(element!);
			const colour = parse(style.backgroundColor);
			let result: Rgba | null;
			if (style.backgroundImage !== 'none' || !colour) result = null;
			else if (colour[3] >= 1) result = colour;
			else {
				const under = backdrop(element!.parentElement);
				result = under && (colour[3] > 0 ? over(colour, under) : under);
			}
			backdrops.set(element, result);
			return result;
		};
		const opacities = new Map<Element | null, number>([[null, 1]]);
		const opacity = (element: Element | null): number => {
			if (opacities.has(element)) return opacities.get(element)!;
			const result = Number(getComputedStyle(element!).opacity) * opacity(element!.parentElement);
			opacities.set(element, result);
			return result;
		};

		const judged = new Set<Element>();
		const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			const element = node.parentElement;
			if (!element || judged.has(element) || !node.textContent?.trim()) continue;
			judged.add(element);
			if (element.closest('.sr-only, [hidden], [aria-hidden="true"], option, script, style, noscript, svg, template')) continue;
			const box = element.getBoundingClientRect();
			if (box.width === 0 || box.height === 0) continue;
			const style = getComputedStyle(element);
			if (style.visibility !== 'visible') continue;
			if (opacity(element) < 1) continue;
			const text = parse(style.color);
			const behind = backdrop(element);
			if (!text || !behind) continue;
			const [lighter, darker] = [luminance(over(text, behind)), luminance(behind)].sort((a, b) => b - a) as [number, number];
			const ratio = (lighter + 0.05) / (darker + 0.05);
			const size = parseFloat(style.fontSize);
			const large = size >= 24 || (Number(style.fontWeight) >= 700 && size >= 18.66);
			if (ratio < (large ? 3 : 4.5)) {
				problems.push(`contrast ${ratio.toFixed(2)}:1 for <${element.tagName.toLowerCase()}> "${node.textContent.trim().slice(0, 40)}"`);
			}
		}

		for (const tab of document.querySelectorAll('[role="tab"]')) {
			const rects: DOMRect[] = [];
			const texts = document.createTreeWalker(tab, NodeFilter.SHOW_TEXT);
			for (let text = texts.nextNode(); text; text = texts.nextNode()) {
				const range = document.createRange();
				range.selectNodeContents(text);
				rects.push(...[...range.getClientRects()].filter((rect) => rect.width > 0));
			}
			const [first] = rects;
			if (first && rects.some((rect) => Math.abs(rect.top - first.top) > first.height / 2)) {
				problems.push(`the tab "${tab.textContent?.trim()}" takes more than one line`);
			}
		}
		return problems;
	});
}
