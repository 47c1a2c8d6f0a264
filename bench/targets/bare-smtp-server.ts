/**
 * The stack's limit: smtp-server that only drains each message stream and replies 250. Run as its
 * own process, like the servers it is compared with. Prints `bare smtp-server ready on PORT`.
 */
import { SMTPServer } from 'smtp-server';
import { PLAIN_SMTP_OPTIONS } from './plain-smtp-options.ts';

const server = new SMTPServer({
	...PLAIN_SMTP_OPTIONS,
	onData(stream, _session, callback) {
		stream.on('end', () => callback());
		stream.resume();
	},
});

server.listen(0, '127.0.0.1', () => {
	const address = server.server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	console.log(`bare smtp-server ready on ${port}`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
