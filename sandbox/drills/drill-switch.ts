/**
 * Which failure drill is on, for whom, and what the drills refused. The capture SMTP server asks it at each
 * step; the API and the inbox panel turn drills on and off and read the refusals back.
 *
 * Local mode has one learner: the drill set for the `default` mailbox. In classroom mode each learner's drill
 * is theirs (it applies to connections whose login opens their mailbox), and the instructor's applies to the
 * whole class unless a learner has set their own. Two drills act before any login: a server that never greets,
 * and AUTH not offered before STARTTLS. For those a learner's drill applies to connections from the address the
 * learner turned it on from (in classroom mode every learner has a machine of their own); the instructor's to
 * every connection.
 *
 * The refusals are kept in memory, bounded per mailbox and in total: they are exercise evidence and a
 * sandbox note, not mail, and a restart forgets them.
 */
import type { TranscriptEntry } from '../store/types.ts';
import { isDrillId, type DrillId, type DrillMode, type DrillStep } from './drill-catalogue.ts';

/** The class-wide drill's key; mailbox names are learner ids and `default`, never this. */
export const CLASS_WIDE = '*class*';
/** Drills that act before the login names a mailbox. */
const EARLY_DRILLS: ReadonlySet<DrillId> = new Set(['stalled-server', 'starttls-first']);
/** Refusals kept per mailbox: a lesson looks at the last few. */
const MAX_REFUSALS_PER_MAILBOX = 20;
/** And in total, so 300 learners drilling all class long stay small. */
const MAX_REFUSALS = 2000;

export interface ActiveDrill {
	drill: DrillId;
	mode: DrillMode;
	/** ISO 8601. */
	since: string;
	/** The address a learner turned it on from (their stalled-server drill's target). */
	address?: string;
}

export interface DrillRefusal {
	/** Increasing number, so a page can ask for what is new. */
	seq: number;
	drill: DrillId;
	mailbox: string;
	/** Where it refused; `ehlo` when the drill only withheld AUTH from the EHLO reply and the client gave up. */
	step: DrillStep | 'ehlo';
	/** The SMTP user the client logged in (or tried to) with; never the password. */
	user?: string;
	/** The reply line sent; absent when the server said nothing (stalled, or AUTH not offered). */
	reply?: string;
	/** ISO 8601. */
	at: string;
	/** The conversation up to the refusal, redacted like every transcript. */
	transcript: TranscriptEntry[];
	/** True when the class-wide drill refused, not the learner's own. */
	classWide: boolean;
}

/** A drill that applies to a connection, and whose it is. */
export interface DrillMatch {
	active: ActiveDrill;
	/** The key it was set under: a mailbox, or CLASS_WIDE. */
	key: string;
}

export class DrillSwitch {
	readonly #active = new Map<string, ActiveDrill>();
	readonly #refusals: DrillRefusal[] = [];
	#seq = 0;
	readonly #now: () => Date;

	constructor(options: { now?: () => Date } = {}) {
		this.#now = options.now ?? (() => new Date());
	}

	/** Turns a drill on for a mailbox (or CLASS_WIDE), replacing the one there: one drill at a time. */
	set(key: string, drill: DrillId, mode: DrillMode, address?: string): ActiveDrill {
		if (!isDrillId(drill)) throw new Error(`unknown drill ${String(drill)}`);
		const active: ActiveDrill = { drill, mode, since: this.#now().toISOString() };
		if (address) active.address = address;
		this.#active.set(key, active);
		return active;
	}

	clear(key: string): void {
		this.#active.delete(key);
	}

	get(key: string): ActiveDrill | null {
		return this.#active.get(key) ?? null;
	}

	/** The drill that applies to a login's mailbox: the learner's own, else the class's. */
	forMailbox(mailbox: string): DrillMatch | null {
		const own = this.#active.get(mailbox);
		if (own) return { active: own, key: mailbox };
		const classWide = this.#active.get(CLASS_WIDE);
		return classWide ? { active: classWide, key: CLASS_WIDE } : null;
	}

	/**
	 * The drill that decides a new connection before any login (a server that never greets, or AUTH not offered
	 * before STARTTLS): the class's, or (classroom mode) a learner's set from this address, or (local mode,
	 * `localMailbox` given) the one learner's. Drills decided later (at AUTH, MAIL…) are not returned.
	 */
	beforeLogin(address: string, localMailbox: string | null): DrillMatch | null {
		const early = (match: DrillMatch | null) => (match && EARLY_DRILLS.has(match.active.drill) ? match : null);
		if (localMailbox !== null) return early(this.forMailbox(localMailbox));
		// A learner's own drill, set from this address, wins over the class's, as it does after the login.
		for (const [key, active] of this.#active) {
			if (key !== CLASS_WIDE && active.address === address) return early({ active, key });
		}
		const classWide = this.#active.get(CLASS_WIDE);
		return classWide ? early({ active: classWide, key: CLASS_WIDE }) : null;
	}

	/** A drill refused: a `once` drill is spent (back to normal), and the refusal is kept. */
	refused(match: DrillMatch, refusal: Omit<DrillRefusal, 'seq' | 'at' | 'classWide' | 'drill'>): DrillRefusal {
		if (match.active.mode === 'once' && this.#active.get(match.key) === match.active) this.#active.delete(match.key);
		const record: DrillRefusal = {
			...refusal,
			drill: match.active.drill,
			seq: ++this.#seq,
			at: this.#now().toISOString(),
			classWide: match.key === CLASS_WIDE,
		};
		this.#refusals.push(record);
		this.#trim(record.mailbox);
		return record;
	}

	/** The refusals of one mailbox (null: all), newest first. */
	refusals(mailbox: string | null, limit = MAX_REFUSALS_PER_MAILBOX): DrillRefusal[] {
		const out: DrillRefusal[] = [];
		for (let i = this.#refusals.length - 1; i >= 0 && out.length < limit; i--) {
			const refusal = this.#refusals[i]!;
			if (mailbox === null || refusal.mailbox === mailbox) out.push(refusal);
		}
		return out;
	}

	#trim(mailbox: string): void {
		let count = 0;
		for (let i = this.#refusals.length - 1; i >= 0; i--) {
			if (this.#refusals[i]!.mailbox !== mailbox) continue;
			count += 1;
			if (count > MAX_REFUSALS_PER_MAILBOX) this.#refusals.splice(i, 1);
		}
		if (this.#refusals.length > MAX_REFUSALS) this.#refusals.splice(0, this.#refusals.length - MAX_REFUSALS);
	}
}
