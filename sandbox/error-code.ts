/**
 * For a catch that expects one failure (a file not made yet, a platform that cannot do something) and lets
 * every other error travel: whether `error` is a Node system error with one of `codes`.
 */
export function hasErrorCode(error: unknown, ...codes: readonly string[]): error is NodeJS.ErrnoException {
	return error instanceof Error && codes.includes((error as NodeJS.ErrnoException).code ?? '');
}
