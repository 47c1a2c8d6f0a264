/**
 * Plays one fuzz session against the capture server and reports what went wrong from the client's side:
 * a reply with a code the session did not allow, silence where a reply was due, a connection the server
 * never closed, and the ids of everything the server said it stored.
 */
import type { SessionCase } from './make-corpus.ts';
import { storedIds, WireClient } from '../support/wire-client.ts';

export interface SessionTarget {
	smtpPort: number;
	smtpsPort: number;
	/** PEM the TLS clients trust. */
	ca: string;
}

export interface SessionOutcome {
	name: string;
	/** Ids from every `250 Ok: stored as` reply, in order. */
	stored: string[];
	problems: string[];
}

/**
 * smtp-server closes a half-closed connection within 5 s and ends a QUIT at once; four times that, on a
 * loaded machine whose one event loop also runs 15 other sessions, is a server that forgot the connection.
 */
const SERVER_CLOSE_MS = 20_000;
/** Long enough for a reply on a loaded two-core machine; a hung server is what this catches. */
const REPLY_MS = 20_000;

export async function runSession(test: SessionCase, target: SessionTarget): Promise<SessionOutcome> {
	const problems: string[] = [];
	let client: WireClient;
	try {
		client = await WireClient.open({
			port: test.port === 'plain' ? target.smtpPort : target.smtpsPort,
			tls: test.port === 'tls',
			ca: target.ca,
		});
	} catch (error) {
		return { name: test.name, stored: [], problems: [`could not connect: ${describe(error)}`] };
	}
	try {
		if (test.awaitGreeting && test.port !== 'tls-port-raw') {
			const greeting = await client.reply(REPLY_MS);
			if (greeting?.code !== 220) problems.push(`greeting was ${greeting?.text ?? 'a closed connection'}`);
		}
		for (const [index, step] of test.steps.entries()) {
			if (step.do === 'send') {
				client.write(step.bytes, step.cuts);
			} else if (step.do === 'starttls') {
				await client.startTls(target.ca);
			} else {
				const answer = await client.reply(REPLY_MS);
				if (answer === null) {
					if (!step.orClose) problems.push(`step ${index}: the server closed instead of replying`);
					break;
				}
				if (step.codes && !step.codes.includes(answer.code)) problems.push(`step ${index}: unexpected reply ${JSON.stringify(answer.text.slice(0, 200))}`);
			}
		}
		await end(client, test, problems);
	} catch (error) {
		problems.push(describe(error));
		client.destroy();
	}
	return { name: test.name, stored: storedIds(client.received), problems };
}

async function end(client: WireClient, test: SessionCase, problems: string[]): Promise<void> {
	switch (test.ending) {
		case 'reset':
			client.destroy();
			return;
		case 'quit':
			client.write('QUIT\r\n');
			if (!(await client.serverClosed(SERVER_CLOSE_MS))) problems.push('the server did not close after QUIT');
			break;
		case 'half-close':
			client.halfClose();
			if (!(await client.serverClosed(SERVER_CLOSE_MS))) problems.push('the server left a half-closed connection open');
			break;
		case 'server-closes':
			if (!(await client.serverClosed(SERVER_CLOSE_MS))) problems.push('the server did not hang up on a client it cannot talk to');
			break;
	}
	client.destroy();
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
