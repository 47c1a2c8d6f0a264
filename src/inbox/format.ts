/**
 * Formatting shared by the inbox list and the message view. Runs in the browser.
 */
import type { Address } from '../../sandbox/store/types';

const UNITS = ['B', 'KB', 'MB', 'GB'] as const;

/** 1536 → "1.5 KB". Binary multiples, because that is what file managers show learners. */
export function formatSize(bytes: number): string {
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < UNITS.length - 1) {
		value /= 1024;
		unit += 1;
	}
	const rounded = unit === 0 || value >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
	return `${rounded} ${UNITS[unit]}`;
}

/** `"Name" <a@b>` when there is a name, else the bare address. */
export function formatAddress(address: Address | null): string {
	if (!address) return '';
	return address.name ? `${address.name} <${address.address}>` : address.address;
}

export function formatAddresses(addresses: Address[]): string {
	return addresses.map(formatAddress).join(', ');
}

/** Today's messages show the time; older ones the date. */
export function formatListDate(iso: string, lang: string, now: Date = new Date()): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return '';
	const sameDay = date.toDateString() === now.toDateString();
	return new Intl.DateTimeFormat(lang, sameDay ? { timeStyle: 'short' } : { dateStyle: 'medium' }).format(date);
}

/**
 * A moment as date and time to the minute ("2026. 12. 7. 오후 8:24" / "Dec 7, 2026, 8:24 PM"), in the
 * viewer's time zone unless `timeZone` names one (the server, which cannot know it, passes "UTC").
 */
export function formatMoment(iso: string, lang: string, timeZone?: string): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return iso;
	return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(date);
}

export function formatFullDate(iso: string, lang: string): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return iso;
	return new Intl.DateTimeFormat(lang, { dateStyle: 'full', timeStyle: 'medium' }).format(date);
}

/** Only links a reader may safely follow are made clickable; the rest are shown as text. */
export function isFollowableLink(href: string): boolean {
	return /^(https?:|mailto:)/i.test(href.trim());
}
