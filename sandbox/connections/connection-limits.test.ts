import { describe, expect, it } from 'vitest';
import { readConfig } from '../config.ts';
import { ConnectionLimiter } from './connection-limiter.ts';
import { openFileLimit, serviceLimits } from './service-limits.ts';

describe('ConnectionLimiter', () => {
	it('admits up to the share of an address and the total, and frees a place once released', () => {
		const limiter = new ConnectionLimiter({ total: 3, perAddress: 2 });
		const a1 = limiter.admit('10.0.0.1');
		const a2 = limiter.admit('::ffff:10.0.0.1');
		// The same machine over IPv4 and IPv4-mapped IPv6.
		expect(limiter.openFrom('10.0.0.1')).toBe(2);
		expect(limiter.admit('10.0.0.1')).toEqual({ admitted: false, reason: 'address', limit: 2 });
		const b1 = limiter.admit('10.0.0.2');
		expect(limiter.admit('10.0.0.3')).toEqual({ admitted: false, reason: 'total', limit: 3 });
		expect(a1.admitted && a2.admitted && b1.admitted).toBe(true);
		if (a1.admitted) {
			a1.release();
			a1.release();
		}
		expect(limiter.open).toBe(2);
		expect(limiter.admit('10.0.0.3').admitted).toBe(true);
	});

	it('holds sockets being refused up to a quarter more than the total, and an address its share plus that', () => {
		const limiter = new ConnectionLimiter({ total: 8, perAddress: 2 });
		expect([limiter.socketCap, limiter.socketCapPerAddress]).toEqual([10, 4]);
		const held = Array.from({ length: 4 }, () => limiter.hold('10.0.0.1'));
		expect(held.every((release) => release !== null)).toBe(true);
		expect(limiter.hold('10.0.0.1')).toBeNull();
		held[0]!();
		expect(limiter.hold('10.0.0.1')).not.toBeNull();
		const local = new ConnectionLimiter({ total: 4, perAddress: null });
		expect(Array.from({ length: 6 }, () => local.hold('127.0.0.1') !== null)).toEqual([true, true, true, true, true, false]);
	});
});

describe('serviceLimits', () => {
	it('gives unshared addresses (the console bridge on loopback) only the total', () => {
		const limiter = new ConnectionLimiter({ total: 4, perAddress: 1, unsharedAddresses: ['127.0.0.1'] });
		expect([1, 2, 3].map(() => limiter.admit('::ffff:127.0.0.1').admitted)).toEqual([true, true, true]);
		expect(limiter.admit('10.0.0.1').admitted).toBe(true);
		expect(limiter.admit('10.0.0.2')).toEqual({ admitted: false, reason: 'total', limit: 4 });
		expect(new ConnectionLimiter({ total: 4, perAddress: 1, unsharedAddresses: ['127.0.0.1'] }).admit('127.0.0.2').admitted).toBe(true);
	});

	it('uses the settings, the per-address share in classroom mode only', () => {
		expect(serviceLimits(readConfig({}), 1_048_576).connections).toEqual({ total: 1000, perAddress: null });
		const classroom = readConfig({ SANDBOX_CLASSROOM: 'True', INSTRUCTOR_TOKEN: 'a-long-instructor-token' });
		expect(serviceLimits(classroom, null)).toEqual({ connections: { total: 1000, perAddress: 20 }, loginTimeoutMs: 30_000, warning: null });
	});

	it('lowers the total to what the open-file limit holds, and says so', () => {
		const limits = serviceLimits(readConfig({}), 1024);
		expect(limits.connections.total).toBe(153);
		expect(limits.warning?.en).toMatch(/only 1024 files.*153 connections at once instead of 1000 \(SANDBOX_MAX_CONNECTIONS\).*ulimit -n/);
		expect(limits.warning?.ko).toMatch(/1024개.*1000개.*153개.*ulimit -n 8192/);
	});

	it('reads the soft open-file limit from /proc/self/limits', () => {
		const limits = 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            20000                20000                files\n';
		expect(openFileLimit(() => limits)).toBe(20000);
		expect(openFileLimit(() => limits.replace('20000                20000', 'unlimited            unlimited'))).toBeNull();
		const failing = (code: string) => () => {
			throw Object.assign(new Error(`${code}: /proc/self/limits`), { code });
		};
		// No /proc (macOS) or a hidden one: unknown. Anything else is not a platform's way of saying so.
		expect(openFileLimit(failing('ENOENT'))).toBeNull();
		expect(openFileLimit(failing('EACCES'))).toBeNull();
		expect(() => openFileLimit(failing('EIO'))).toThrow('EIO');
	});
});
