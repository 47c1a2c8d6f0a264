/**
 * Test support: an OperatorLog (and so a store's warn) that keeps each line as an English terminal shows
 * it, so a test reads what the operator reads. Not a test itself.
 */
import { logIn, type OperatorLog } from '../operator-log.ts';

export function englishLog(lines: string[]): OperatorLog {
	return logIn('en', (line) => lines.push(line));
}
