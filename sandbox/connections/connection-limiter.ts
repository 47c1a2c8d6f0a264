/**
 * Counts the open connections of one service (the web server, SMTP, POP3 or IMAP; a service's plain and
 * TLS ports share one count) in total and per client address, and says whether one more may come in. A
 * service refuses the connection over a limit with its protocol's own "try later" (SMTP 421, POP3
 * `-ERR [SYS/TEMP]`, IMAP `* BYE [UNAVAILABLE]`, HTTP 429/503), so one laptop in a loop fills its own
 * share and nobody else's.
 */

export interface ConnectionLimits {
	/** Open connections of the service at once, from everyone. */
	total: number;
	/** Open connections of the service from one client address; null: no per-address limit (local mode). */
	perAddress: number | null;
}

export type Admission =
	| { admitted: true; release(): void }
	/** `address`: this client has its share open; `total`: the service is full. */
	| { admitted: false; reason: 'address' | 'total'; limit: number };

export class ConnectionLimiter {
	readonly limits: ConnectionLimits;
	readonly #byAddress = new Map<string, number>();
	#open = 0;

	constructor(limits: ConnectionLimits) {
		this.limits = limits;
	}

	/** Admits one connection from `address` (the socket's remote address), or says which limit it hit. */
	admit(address: string | undefined): Admission {
		const key = clientKey(address);
		const fromAddress = this.#byAddress.get(key) ?? 0;
		// The client's own share first: a client over it is told so, even when the service is also full.
		if (this.limits.perAddress !== null && fromAddress >= this.limits.perAddress) {
			return { admitted: false, reason: 'address', limit: this.limits.perAddress };
		}
		if (this.#open >= this.limits.total) return { admitted: false, reason: 'total', limit: this.limits.total };
		this.#open += 1;
		this.#byAddress.set(key, fromAddress + 1);
		let released = false;
		return {
			admitted: true,
			release: () => {
				if (released) return;
				released = true;
				this.#open -= 1;
				const left = (this.#byAddress.get(key) ?? 1) - 1;
				if (left > 0) this.#byAddress.set(key, left);
				else this.#byAddress.delete(key);
			},
		};
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

/** An IPv4 client of a dual-stack listener shows as `::ffff:a.b.c.d`; it is the same machine as `a.b.c.d`. */
function clientKey(address: string | undefined): string {
	if (!address) return 'unknown';
	const lower = address.toLowerCase();
	return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice(7) : lower;
}
