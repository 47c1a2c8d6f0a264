// @ts-check
/**
 * The course outline. Starlight's `autogenerate` finds nothing when lessons live outside
 * `src/content/docs`, so every lesson is listed here once; Starlight localises each link and takes
 * its label from the lesson's title in the reader's language. After the lessons, the pages that are not
 * lessons, as links: the .env playground, and for instructors the walk-through (a page of its own in
 * `content/lessons/<lang>/teaching/`) and the classroom. A lesson's "next" never leads to them
 * (src/route-middleware.ts).
 *
 * @type {NonNullable<import('@astrojs/starlight/types').StarlightUserConfig['sidebar']>}
 */
export const sidebar = [
	{
		label: 'Sending mail: SMTP',
		translations: { ko: '메일 보내기: SMTP' },
		items: [
			'what-is-smtp',
			'journey-of-a-reset-email',
			'gmail-app-password',
			'settings-py',
			'try-the-reset',
		],
	},
	{
		label: 'Reading mail: POP3 and IMAP',
		translations: { ko: '메일 읽기: POP3와 IMAP' },
		items: ['pop3-and-imap'],
	},
	{
		label: 'Secrets in .env',
		translations: { ko: '.env로 비밀 지키기' },
		items: ['django-environ', 'env-parsing', 'other-secrets'],
	},
	{
		label: 'Going live',
		translations: { ko: '실제로 보내기' },
		items: ['going-live-with-gmail'],
	},
	{
		label: 'Labs',
		translations: { ko: '실험실' },
		items: [{ label: '.env playground', translations: { ko: '.env 실험실' }, link: '/labs/env/' }],
	},
	{
		label: 'For instructors',
		translations: { ko: '강사용' },
		items: [
			{ label: 'Teaching with Postlab', translations: { ko: 'Postlab으로 수업하기' }, link: '/teaching/' },
			{ label: 'Classroom', translations: { ko: '교실' }, link: '/classroom/' },
		],
	},
];
