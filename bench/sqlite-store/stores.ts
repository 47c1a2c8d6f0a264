/**
 * The stores bench/store-compare.ts weighs, behind the few calls it makes: the product's journal MailStore and
 * the SQLite prototype in four settings.
 */
import { EventBus } from '../../sandbox/events/event-bus.ts';
import { logIn } from '../../sandbox/operator-log.ts';
import { MailStore, type IncomingMail, type ListOptions, type ListPage } from '../../sandbox/store/mail-store.ts';
import type { MessageSummary, SessionFacts } from '../../sandbox/store/types.ts';
import { SqliteMailStore } from './sqlite-mail-store.ts';

export const KINDS = ['journal', 'sqlite-main-full', 'sqlite-main-normal', 'sqlite-worker-full', 'sqlite-worker-nofts'] as const;
export type Kind = (typeof KINDS)[number];

export const DESCRIPTION: Record<Kind, string> = {
	journal: 'journal (product), fdatasync per batch',
	'sqlite-main-full': 'SQLite, writer on the main thread, FULL, body FTS',
	'sqlite-main-normal': 'SQLite, writer on the main thread, NORMAL, body FTS',
	'sqlite-worker-full': 'SQLite, writer in a worker, FULL, body FTS',
	'sqlite-worker-nofts': 'SQLite, writer in a worker, FULL, no body FTS',
};

export interface ComparedStore {
	add(mail: IncomingMail): Promise<MessageSummary>;
	list(options?: ListOptions): ListPage;
	readonly count: number;
	readRaw(id: string): Promise<Buffer | null>;
	close(): Promise<void>;
}

export function isKind(value: string | undefined): value is Kind {
	return (KINDS as readonly string[]).includes(value ?? '');
}

export async function openStore(kind: Kind, dataDir: string): Promise<ComparedStore> {
	const maxMessages = 1_000_000;
	const events = new EventBus();
	if (kind === 'journal') {
		const store = await MailStore.open({ dataDir, maxMessages, events, warn: logIn('en', (line) => console.error(line)) });
		return store;
	}
	const store = SqliteMailStore.open({
		dataDir,
		maxMessages,
		events,
		synchronous: kind === 'sqlite-main-normal' ? 'NORMAL' : 'FULL',
		writer: kind.startsWith('sqlite-worker') ? 'worker' : 'main',
		searchBodies: kind !== 'sqlite-worker-nofts',
	});
	return {
		add: (mail) => store.add(mail),
		list: (options) => store.list(options),
		get count() {
			return store.count;
		},
		readRaw: (id) => store.readRaw(id),
		close: () => store.close(),
	};
}

/** Delivery facts the size of a real SMTP session's (the store keeps them with every message). */
export function benchSession(n: number): SessionFacts {
	const at = new Date().toISOString();
	const lines = ['EHLO bench.example', '250-localhost', 'MAIL FROM:<noreply@forum.example>', '250 Accepted', 'RCPT TO:<learner@example.com>', '250 Accepted', 'DATA', '354 End data with <CR><LF>.<CR><LF>'];
	return {
		remoteAddress: '127.0.0.1',
		localPort: 2525,
		clientHostname: 'localhost',
		helo: 'bench.example',
		tls: 'none',
		envelope: { mailFrom: 'noreply@forum.example', rcptTo: ['learner@example.com'], smtpUtf8: false, bodyType: '8bitmime' },
		connectionId: `bench${n % 4}`,
		timings: { connectedAt: at, dataStartedAt: at, storeMs: 0 },
		transcript: lines.map((line, i) => ({ at: i, from: i % 2 === 0 ? 'client' : 'server', line })),
	};
}
