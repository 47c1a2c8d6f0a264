/**
 * The sandbox API answers a refusal as `{ "error": { "status", "message", "ko" } }`: English in `message`
 * (what curl users read) and Korean beside it (sandbox/http/json-response.ts). A page shows the one of its
 * own language, read from `<html lang>`.
 */
interface ApiErrorBody {
	error?: { status?: number; message?: string; ko?: string };
}

/** The refusal a failed API response carries, in the page's language; `HTTP <status>` when it carries none. */
export async function apiErrorText(response: Response): Promise<string> {
	const body = (await response.json().catch(() => null)) as ApiErrorBody | null;
	const korean = document.documentElement.lang.startsWith('ko');
	return (korean ? body?.error?.ko : undefined) ?? body?.error?.message ?? `HTTP ${response.status}`;
}
