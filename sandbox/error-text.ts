/**
 * An error as a log line shows it. A bug's place matters, so `errorDetail` keeps the stack; a failure the
 * system reports (a disk, a socket) says all in its message, so `errorMessage` keeps that alone.
 */

/** The stack (which starts with the name and message), else `Name: message`, else what was thrown. */
export function errorDetail(error: unknown): string {
	return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}

/** The error's message, else what was thrown. */
export function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
