/**
 * Postlab's pages have no fixed address: each learner serves them from their own computer, an instructor
 * from whatever address the class reaches, on any port. So astro.config.mjs names no `site`, and the
 * built pages carry no canonical link, no hreflang alternates and no sitemap that would point every
 * reader at http://127.0.0.1:4321 whatever address they used.
 *
 * Starlight adds @astrojs/sitemap unless an integration of that name is already listed (it has no
 * opt-out: withastro/starlight#717), and that integration warns on every build that it needs `site`.
 * This one takes its name so that Starlight leaves it out, and does nothing.
 */
import type { AstroIntegration } from 'astro';

export function noSitemap(): AstroIntegration {
	return { name: '@astrojs/sitemap', hooks: {} };
}
