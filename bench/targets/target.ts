/** What the benchmark needs from each server it measures. */
export interface Target {
	name: string;
	pid: number;
	smtpPort: number;
	/** Milliseconds from spawn to the server saying it is ready. */
	startupMs: number;
	/** How many messages the tool's own API reports as stored; null when it has no API (bare). */
	storedCount(): Promise<number | null>;
	stop(): Promise<void>;
}
