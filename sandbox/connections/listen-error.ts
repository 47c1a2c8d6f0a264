/**
 * Why a service could not open its port, as `npm start` prints it: a port another program holds, or one
 * the system does not let Postlab open, is a setting the operator can change, so it says which variable,
 * in the terminal's language. Any other failure travels as it is.
 */
import { hasErrorCode } from '../error-code.ts';
import { OperatorError } from '../operator-error.ts';

export function listenError(error: unknown, port: number, variable: string): unknown {
	if (hasErrorCode(error, 'EADDRINUSE')) return new OperatorError('start.servicePortInUse', { port, variable }, { cause: error });
	if (hasErrorCode(error, 'EACCES')) return new OperatorError('start.servicePortNotAllowed', { port, variable }, { cause: error });
	return error;
}
