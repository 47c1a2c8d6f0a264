/**
 * The few shapes of a Sätteri hast tree and plugin that Postlab's Markdown plugins touch (the full types
 * live in Astro's dependencies, not ours), and how to add a plugin to the configured processor.
 * Node-only: runs while Astro renders Markdown, never in the browser.
 */
import type { AstroIntegrationLogger } from 'astro';

export type HastText = { type: 'text'; value: string };
export type HastElement = { type: 'element'; tagName: string; properties?: Record<string, unknown>; children: HastChild[] };
export type HastChild = HastElement | HastText | { type: string };
export type HastContext = { textContent(node: HastChild): string };
export type HastPlugin = { name: string; element: { filter: string[]; visit(node: HastElement, ctx: HastContext): HastElement | void } };
export type HastPluginFactory = (file: { fileURL: URL | undefined }) => HastPlugin | undefined;
type SatteriOptions = { hastPlugins: HastPluginFactory[] };
type Processor = { name: string; options: object } | undefined;

export function isElement(node: HastChild | undefined, tagName: string, className?: string): node is HastElement {
	if (node?.type !== 'element' || (node as HastElement).tagName !== tagName) return false;
	return className === undefined || String((node as HastElement).properties?.['class'] ?? '').split(' ').includes(className);
}

function isSatteri(processor: Processor): processor is { name: string; options: SatteriOptions } {
	return processor?.name === 'satteri' && Array.isArray((processor.options as Partial<SatteriOptions>).hastPlugins);
}

/**
 * Adds a hast plugin to Astro's Markdown processor (MDX uses the same one). `what` says, for the warning,
 * what is lost when the processor is not Sätteri.
 */
export function addHastPlugin(processor: Processor, plugin: HastPluginFactory, logger: AstroIntegrationLogger, what: string): void {
	if (!isSatteri(processor)) {
		logger.warn(`${what}: the Markdown processor "${processor?.name}" is not Sätteri.`);
		return;
	}
	processor.options.hastPlugins.push(plugin);
}
