/**
 * Counts the open connections of one service (the web server, SMTP, POP3 or IMAP; a service's plain and
 * TLS ports share one count) in total and per client address, and says whether one more may come in. A
 * service refuses the connection over a limit with its protocol's own "try later" (SMTP 421, POP3
 * `-ERR [SYS/TEMP]`, IMAP `* BYE [UNAVAILABLE]`, HTTP 429/503), so one laptop in a loop fills its own
 * share and nobody else's.
 *
 * Telling a client "try later" takes a socket for a moment too, and a client that opens sockets faster
 * than it reads its refusals would fill the service with them. So every socket is also held (`hold`):
 * refusals in progress may take a quarter of the total on top of it, and an address its share plus that
 * quarter; beyond, a new socket is closed at once without a word.
 */

export interface ConnectionLimits {
	/** Open connections of the service at once, from everyone. */
	total: number;
	/** Open connections of the service from one client address; null: no per-address limit (local mode). */
	perAddress: number | null;
	/**
	 * Addresses without a per-address share, only the total: this machine's loopback, where Postlab's own
	 * protocol console bridge (sandbox/console/) connects from on behalf of every learner at once. Each
	 * learner's consoles are counted by their own address at the bridge instead.
	 */
	unsharedAddresses?: readonly string[];
}

export type Admission =
	| { admitted: true; release(): void }
	/** `address`: this client has its share open; `total`: the service is full. */
	| { admitted: false; reason: 'address' | 'total'; limit: number };

export class ConnectionLimiter {
	readonly limits: ConnectionLimits;
	/** Sockets the service may hold at once: the admitted ones, and those being told to try later. */
	readonly socketCap: number;
	/** Sockets one address may hold at once (classroom mode); null: no per-address bound. */
	readonly socketCapPerAddress: number | null;
	readonly #byAddress = new Map<string, number>();
	readonly #socketsByAddress = new Map<string, number>();
	#open = 0;
	#sockets = 0;

	constructor(limits: ConnectionLimits) {
		this.limits = limits;
		const refusing = Math.max(1, Math.floor(limits.total / 4));
		this.socketCap = limits.total + refusing;
		this.socketCapPerAddress = limits.perAddress === null ? null : limits.perAddress + refusing;
	}

	/**
	 * Holds one socket from `address` for as long as it is open, admitted or not; returns its release, or
	 * null when the socket should be closed at once (the client is flooding, or the service is far over).
	 */
	hold(address: string | undefined): (() => void) | null {
		const key = clientKey(address);
		const fromAddress = this.#socketsByAddress.get(key) ?? 0;
		if (this.#sockets >= this.socketCap) return null;
		if (this.socketCapPerAddress !== null && fromAddress >= this.socketCapPerAddress && !this.#unshared(key)) return null;
		this.#sockets += 1;
		this.#socketsByAddress.set(key, fromAddress + 1);
		return once(() => {
			this.#sockets -= 1;
			decrement(this.#socketsByAddress, key);
		});
	}

	/** Admits one connection from `address` (the socket's remote address), or says which limit it hit. */
	admit(address: string | undefined): Admission {
		const key = clientKey(address);
		const fromAddress = this.#byAddress.get(key) ?? 0;
		// The client's own share first: a client over it is told so, even when the service is also full.
		if (this.limits.perAddress !== null && fromAddress >= this.limits.perAddress && !this.#unshared(key)) {
			return { admitted: false, reason: 'address', limit: this.limits.perAddress };
		}
		if (this.#open >= this.limits.total) return { admitted: false, reason: 'total', limit: this.limits.total };
		this.#open += 1;
		this.#byAddress.set(key, fromAddress + 1);
		return {
			admitted: true,
			release: once(() => {
				this.#open -= 1;
				decrement(this.#byAddress, key);
			}),
		};
	}

	#unshared(key: string): boolean {
		return this.limits.unsharedAddresses?.some((address) => clientKey(address) === key) ?? false;
	}

	/** Connections admitted and not yet released. */
	get open(): number {
		return this.#open;
	}

	/** Connections open from one client address. */
	openFrom(address: string | undefined): number {
		return this.#byAddress.get(clientKey(address)) ?? 0;
	}
}

function once(run: () => void): () => void {
	let done = false;
	return () => {
		if (done) return;
		done = true;
		run();
	};
}

function decrement(counts: Map<string, number>, key: string): void {
	const left = (counts.get(key) ?? 1) - 1;
	if (left > 0) counts.set(key, left);
	else counts.delete(key);
}

/** An IPv4 client of a dual-stack listener shows as `::ffff:a.b.c.d`; it is the same machine as `a.b.c.d`. */
function clientKey(address: string | undefined): string {
	if (!address) return 'unknown';
	const lower = address.toLowerCase();
	return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice(7) : lower;
}
