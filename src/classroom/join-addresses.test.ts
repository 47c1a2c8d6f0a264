import { describe, expect, it } from 'vitest';
import { joinAddresses } from './join-addresses.ts';

const machineUrls = ['http://192.168.0.12:4321/ko/classroom/', 'http://teacher-pc:4321/ko/classroom/'];

describe('joinAddresses', () => {
	it("lists the machine's addresses when the dashboard was opened on localhost and Postlab listens everywhere", () => {
		expect(joinAddresses({ pageUrl: new URL('http://localhost:4321/ko/classroom/instructor/'), listenHost: '0.0.0.0', machineUrls, lang: 'ko' })).toEqual(machineUrls);
	});

	it('keeps the address the instructor used when it is already a network address', () => {
		expect(joinAddresses({ pageUrl: new URL('http://192.168.0.12:4321/en/classroom/instructor/'), listenHost: '0.0.0.0', machineUrls, lang: 'en' })).toEqual([
			'http://192.168.0.12:4321/en/classroom/',
		]);
	});

	it('keeps loopback when Postlab only listens on loopback, or knows no other address', () => {
		expect(joinAddresses({ pageUrl: new URL('http://127.0.0.1:4000/en/classroom/instructor/'), listenHost: '127.0.0.1', machineUrls, lang: 'en' })).toEqual([
			'http://127.0.0.1:4000/en/classroom/',
		]);
		expect(joinAddresses({ pageUrl: new URL('http://[::1]:4000/en/classroom/instructor/'), listenHost: '::', machineUrls: [], lang: 'en' })).toEqual([
			'http://[::1]:4000/en/classroom/',
		]);
	});
});
