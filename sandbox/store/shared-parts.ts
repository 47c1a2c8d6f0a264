/**
 * Summaries stay in memory for every message, and most mail in a sandbox comes from one application to a
 * few addresses: the sender, recipients, mailbox and Date header are shared between summaries instead of
 * kept once per message (~300 bytes a message). Summaries are never mutated, so sharing is safe. The table
 * is emptied when it grows past its cap, so varied mail costs no more than unshared.
 */
import type { Address, MessageSummary } from './types.ts';

const shared = new Map<string, unknown>();
const SHARED_CAP = 4096;

function share<T>(key: string, value: T): T {
	const known = shared.get(key);
	if (known !== undefined) return known as T;
	if (shared.size >= SHARED_CAP) shared.clear();
	shared.set(key, value);
	return value;
}

export function shareCommonParts(summary: MessageSummary): MessageSummary {
	const addressKey = (address: Address) => `${address.name}\u0000${address.address}`;
	return {
		...summary,
		mailbox: share(`m:${summary.mailbox}`, summary.mailbox),
		from: summary.from === null ? null : share(`f:${addressKey(summary.from)}`, summary.from),
		to: share(`t:${summary.to.map(addressKey).join('\u0001')}`, summary.to),
		date: share(`d:${summary.date}`, summary.date),
	};
}
