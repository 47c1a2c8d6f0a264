/**
 * A message POP3 cannot read: one deleted after the listing is left out of the maildrop, as RFC 1939's
 * snapshot allows; one that fails to read for any other reason (I/O, a damaged record) is an error the
 * client hears and the log names, never a message that silently disappears. So is a deletion at QUIT that
 * the store refuses. Real sockets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { acceptAnyLogin, MessageGoneError } from '../line-protocol/mailbox-source.ts';
import { MemoryMailboxSource } from '../line-protocol/memory-source.ts';
import type { RunningMailReadServer } from '../line-protocol/server-options.ts';
import { makeTestCert, RawClient } from '../testing/pop3-imap-fixtures.ts';
import { startPop3Server } from './pop3-server.ts';
import { englishLog } from '../testing/english-log.ts';
import { silentLog } from '../operator-log.ts';

/** A mailbox whose second message fails to read with the error given. */
class FailingSource extends MemoryMailboxSource {
	failing = '';
	readonly failure: (id: string) => Error;
	constructor(failure: (id: string) => Error) {
		super();
		this.failure = failure;
	}
	override async readRaw(id: string): Promise<Buffer> {
		if (id === this.failing) throw this.failure(id);
		return super.readRaw(id);
	}
}

let server: RunningMailReadServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

/** A POP3 server over `source` and a client greeted by it; `warnings` collects what the server logs. */
async function connect(source: MemoryMailboxSource): Promise<{ client: RawClient; warnings: string[] }> {
	const warnings: string[] = [];
	server = await startPop3Server({
		source,
		authenticator: acceptAnyLogin,
		tls: await makeTestCert(),
		port: 0,
		tlsPort: 0,
		logger: { info: silentLog, warn: englishLog(warnings) },
	});
	const client = await RawClient.plain(server.ports.plain);
	expect(await client.line()).toMatch(/^\+OK/);
	return { client, warnings };
}

async function maildropAnswer(failure: (id: string) => Error): Promise<{ answer: string; warnings: string[] }> {
	const source = new FailingSource(failure);
	source.add('default', 'Subject: first\r\n\r\none\r\n');
	source.failing = source.add('default', 'Subject: second\r\n\r\ntwo\r\n').id;
	const { client, warnings } = await connect(source);
	client.sendLine('USER learner');
	expect(await client.line()).toMatch(/^\+OK/);
	client.sendLine('PASS secret');
	const answer = await client.line();
	client.close();
	return { answer, warnings };
}

describe('POP3 and a message it cannot read', () => {
	it('leaves out a message deleted since the listing', async () => {
		const { answer, warnings } = await maildropAnswer((id) => new MessageGoneError(id));
		expect(answer).toMatch(/^\+OK 1 messages/);
		expect(warnings).toEqual([]);
	});

	it('says so when a message fails to read for another reason, and logs why', async () => {
		const { answer, warnings } = await maildropAnswer(() => new Error('EIO: the disk failed'));
		expect(answer).toBe('-ERR [SYS/TEMP] Internal error, try again');
		expect(warnings.join('\n')).toContain('EIO: the disk failed');
	});

	it('answers QUIT with -ERR when the store cannot delete the marked messages, and logs why', async () => {
		const source = new (class extends MemoryMailboxSource {
			override async remove(): Promise<string[]> {
				throw new Error('EIO: the journal could not be written');
			}
		})();
		source.add('default', 'Subject: first\r\n\r\none\r\n');
		const { client, warnings } = await connect(source);
		for (const command of ['USER learner', 'PASS secret', 'DELE 1']) {
			client.sendLine(command);
			expect(await client.line()).toMatch(/^\+OK/);
		}
		client.sendLine('QUIT');
		expect(await client.line()).toBe('-ERR 1 of 1 marked messages could not be deleted');
		client.close();
		expect(warnings.join('\n')).toContain('EIO: the journal could not be written');
	});
});
