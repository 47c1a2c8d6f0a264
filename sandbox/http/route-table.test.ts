import { describe, expect, it } from 'vitest';
import { HttpError } from './json-response.ts';
import { dispatch, route, type Entry } from './route-table.ts';

/** Each handler records what it was called with, so a test sees which one ran and with what parameters. */
type Calls = string[];

const table: Entry<Calls>[] = [
	route('GET', 'things', (calls) => void calls.push('list')),
	route('DELETE', 'things', (calls) => void calls.push('clear')),
	{
		mount: 'things/:id',
		enter: (calls, { id }) => {
			if (id === 'missing') throw new HttpError(404, 'api.noMessage', { id });
			calls.push(`enter ${id}`);
		},
		routes: [
			route('GET', '', (calls, { id }) => void calls.push(`get ${id}`)),
			route('PATCH', '', (calls, { id }) => void calls.push(`patch ${id}`)),
			route('GET', 'parts/:index', (calls, { id, index }) => void calls.push(`part ${index} of ${id}`)),
		],
	},
];

async function run(method: string, path: string): Promise<{ matched: boolean; calls: Calls }> {
	const calls: Calls = [];
	const matched = await dispatch(table, method, path.split('/').filter(Boolean), calls);
	return { matched, calls };
}

describe('route table', () => {
	it('runs the one handler for a method and path, with the parameters of its pattern and its mount', async () => {
		expect(await run('GET', 'things')).toEqual({ matched: true, calls: ['list'] });
		expect(await run('DELETE', 'things')).toEqual({ matched: true, calls: ['clear'] });
		expect(await run('PATCH', 'things/a1')).toEqual({ matched: true, calls: ['enter a1', 'patch a1'] });
		expect(await run('GET', 'things/a1/parts/3')).toEqual({ matched: true, calls: ['enter a1', 'part 3 of a1'] });
	});

	it("answers 405 naming the path's methods in table order when only the method is wrong", async () => {
		await expect(run('PUT', 'things')).rejects.toMatchObject({ status: 405, message: 'PUT is not allowed here; use GET or DELETE.', headers: { allow: 'GET, DELETE' } });
		await expect(run('POST', 'things/a1')).rejects.toMatchObject({ status: 405, message: 'POST is not allowed here; use GET or PATCH.' });
	});

	it("runs a mount's check before its routes and methods, so a missing item is 404 whatever follows", async () => {
		await expect(run('POST', 'things/missing')).rejects.toMatchObject({ status: 404 });
		await expect(run('GET', 'things/missing/nowhere')).rejects.toMatchObject({ status: 404 });
	});

	it('reports no match (for the caller to answer 404) for a path no entry has', async () => {
		expect(await run('GET', 'others')).toEqual({ matched: false, calls: [] });
		expect(await run('GET', 'things/a1/parts')).toEqual({ matched: false, calls: ['enter a1'] });
		expect(await run('GET', 'things/a1/parts/3/more')).toEqual({ matched: false, calls: ['enter a1'] });
	});
});
