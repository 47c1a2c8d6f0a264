import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { joinAddresses } from './join-addresses.ts';

const lan: NetworkInterfaceInfo = { address: '192.168.0.12', netmask: '255.255.255.0', family: 'IPv4', mac: '00:00:00:00:00:01', internal: false, cidr: '192.168.0.12/24' };
const loop: NetworkInterfaceInfo = { address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' };
const v6: NetworkInterfaceInfo = { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '00:00:00:00:00:01', internal: false, cidr: 'fe80::1/64', scopeid: 2 };
const interfaces = { lo: [loop], eth0: [lan, v6] };

describe('joinAddresses', () => {
	it('lists the network addresses when the dashboard was opened on localhost and Postlab listens everywhere', () => {
		expect(joinAddresses({ pageUrl: new URL('http://localhost:4321/ko/classroom/instructor/'), listenHost: '0.0.0.0', interfaces, lang: 'ko' })).toEqual([
			'http://192.168.0.12:4321/ko/classroom/',
		]);
	});

	it('keeps the address the instructor used when it is already a network address', () => {
		expect(joinAddresses({ pageUrl: new URL('http://192.168.0.12:4321/en/classroom/instructor/'), listenHost: '0.0.0.0', interfaces, lang: 'en' })).toEqual([
			'http://192.168.0.12:4321/en/classroom/',
		]);
	});

	it('keeps loopback when Postlab only listens on loopback', () => {
		expect(joinAddresses({ pageUrl: new URL('http://127.0.0.1:4000/en/classroom/instructor/'), listenHost: '127.0.0.1', interfaces, lang: 'en' })).toEqual([
			'http://127.0.0.1:4000/en/classroom/',
		]);
	});
});
