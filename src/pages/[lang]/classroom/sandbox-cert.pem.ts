/**
 * The sandbox's TLS certificate (public, PEM), for learners in classroom mode: their Django (4.2 and
 * later) checks the server's certificate, and `SSL_CERT_FILE=sandbox-cert.pem` makes it trust this one.
 * Only the certificate; the key never leaves the data folder.
 */
import type { APIRoute } from 'astro';
import { isLang } from '../../../inbox/lang.ts';
import { getSandbox } from '../../../../sandbox/runtime.ts';

export const prerender = false;

export const GET: APIRoute = ({ params }) => {
	const sandbox = getSandbox();
	if (!isLang(params['lang']) || !sandbox) return new Response(null, { status: 404 });
	return new Response(sandbox.certificate.pem, {
		headers: {
			'Content-Type': 'application/x-pem-file',
			'Content-Disposition': 'attachment; filename="sandbox-cert.pem"',
			'Cache-Control': 'no-cache',
		},
	});
};
