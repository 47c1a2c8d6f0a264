import { describe, expect, it } from 'vitest';
import { createLinkOrigin } from './link-origin.ts';

const machine = () => ['127.0.0.1', '::1', '192.168.0.10', 'fe80::1'];

describe('the origin links start with', () => {
	it('is the address the browser used when it is loopback or one of this machine’s addresses', () => {
		const link = createLinkOrigin({ host: '0.0.0.0', port: () => 4321, publicUrl: null, machineAddresses: machine });
		expect(link('192.168.0.10:4321')).toBe('http://192.168.0.10:4321');
		expect(link('127.0.0.1:4321')).toBe('http://127.0.0.1:4321');
		expect(link('LOCALHOST:4321')).toBe('http://localhost:4321');
		expect(link('[::1]:4321')).toBe('http://[::1]:4321');
		expect(link('192.168.0.10:4321', 'https')).toBe('https://192.168.0.10:4321');
	});

	it('never follows a foreign Host header: it falls back to this machine’s LAN address', () => {
		const link = createLinkOrigin({ host: '0.0.0.0', port: () => 4321, publicUrl: null, machineAddresses: machine });
		for (const forged of ['evil.example', 'evil.example:4321', '192.168.0.99:4321', '10.0.0.1', '', undefined, null, 'a b:1']) {
			expect(link(forged)).toBe('http://192.168.0.10:4321');
		}
	});

	it('falls back to HOST when it names an address, and to 127.0.0.1 without any LAN address', () => {
		expect(createLinkOrigin({ host: '192.168.0.10', port: () => 80, publicUrl: null, machineAddresses: machine })('evil.example')).toBe('http://192.168.0.10:80');
		expect(createLinkOrigin({ host: '0.0.0.0', port: () => 4321, publicUrl: null, machineAddresses: () => ['127.0.0.1'] })('evil.example')).toBe('http://127.0.0.1:4321');
		expect(createLinkOrigin({ host: '127.0.0.1', port: () => 4321, publicUrl: null, machineAddresses: machine })('evil.example')).toBe('http://127.0.0.1:4321');
	});

	it('is SANDBOX_PUBLIC_URL whenever it is set', () => {
		const link = createLinkOrigin({ host: '0.0.0.0', port: () => 4321, publicUrl: 'https://postlab.school.example', machineAddresses: machine });
		expect(link('192.168.0.10:4321')).toBe('https://postlab.school.example');
		expect(link('evil.example')).toBe('https://postlab.school.example');
	});
});
