/**
 * Draws the lessons' illustrations as SVG, once per language, into public/illustrations/{ko,en}/.
 *
 * The source chapter shows screenshots of Google's account pages (28_01–28_06) and of its own forum
 * (28_07–28_10). We may not copy Google's screens, so the lessons use these simplified drawings for
 * them (and for diagrams): wireframes that show where to click and what to expect, each stamped
 * "Illustration" so nobody mistakes it for a real screen. The forum screens are real screenshots of
 * the sandbox instead, taken by `npm run screenshots` (tests/browser/harness/take-screenshots.ts). Labels follow
 * the wording of the real pages as far as a learner needs it to find the way.
 *
 * Run: `npx node src/illustrations/make-illustrations.ts` (or `node_modules/.bin/node src/illustrations/…`). The SVG files are
 * committed; run this again after changing a drawing or a label.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import en from './i18n/en.json' with { type: 'json' };
import ko from './i18n/ko.json' with { type: 'json' };

type Lang = 'ko' | 'en';
const LANGS: readonly Lang[] = ['ko', 'en'];
const OUT = new URL('../../public/illustrations/', import.meta.url).pathname;

const W = 800;
const H = 450;
const FONT = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans KR', 'Apple SD Gothic Neo', 'Malgun Gothic', sans-serif";
// Our own palette, deliberately not Google's: greys for the page, one teal for "look here".
const INK = '#1f2933';
const MUTED = '#61707f';
const LINE = '#c5ced6';
const PAPER = '#ffffff';
const CHROME = '#eef1f4';
const ACCENT = '#0f766e';
const ACCENT_SOFT = '#d5f0ec';

function esc(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface TextOptions {
	size?: number;
	weight?: number;
	color?: string;
	anchor?: 'start' | 'middle' | 'end';
	mono?: boolean;
}

function text(x: number, y: number, content: string, options: TextOptions = {}): string {
	const { size = 16, weight = 400, color = INK, anchor = 'start', mono = false } = options;
	const family = mono ? "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace" : FONT;
	return `<text x="${x}" y="${y}" font-family="${family}" font-size="${size}" font-weight="${weight}" fill="${color}" text-anchor="${anchor}">${esc(content)}</text>`;
}

function box(x: number, y: number, w: number, h: number, fill = PAPER, stroke = LINE, radius = 8): string {
	return `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${radius}" fill="${fill}" stroke="${stroke}" stroke-width="1.5"/>`;
}

/** A ring around the thing the learner should click or read. */
function highlight(x: number, y: number, w: number, h: number): string {
	return `<rect x="${x - 5}" y="${y - 5}" width="${w + 10}" height="${h + 10}" rx="10" fill="none" stroke="${ACCENT}" stroke-width="3.5" stroke-dasharray="8 5"/>`;
}

/** A numbered marker that the caption refers to. */
function marker(x: number, y: number, n: number): string {
	return `<circle cx="${x}" cy="${y}" r="14" fill="${ACCENT}"/>${text(x, y + 5, String(n), { size: 15, weight: 700, color: PAPER, anchor: 'middle' })}`;
}

function button(x: number, y: number, w: number, label: string, primary = true): string {
	const fill = primary ? ACCENT : PAPER;
	const color = primary ? PAPER : ACCENT;
	return `${box(x, y, w, 36, fill, ACCENT, 18)}${text(x + w / 2, y + 23, label, { size: 15, weight: 600, color, anchor: 'middle' })}`;
}

function field(x: number, y: number, w: number, label: string, value: string, mono = false): string {
	return `${text(x, y - 14, label, { size: 13, color: MUTED })}${box(x, y, w, 38, PAPER, MUTED, 6)}${text(x + 12, y + 25, value, { size: 15, mono })}`;
}

/** A browser window with an address bar, the page drawn inside, and the "illustration" stamp. */
function browser(lang: Lang, title: string, description: string, address: string, page: string): string {
	const stamp = STRINGS[lang].stamp;
	const stampWidth = stamp.length * (lang === 'ko' ? 13 : 7.4) + 24;
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="t d" lang="${lang}">
<title id="t">${esc(title)}</title>
<desc id="d">${esc(description)}</desc>
<rect x="0" y="0" width="${W}" height="${H}" fill="#f7f9fa"/>
${box(12, 12, W - 24, H - 24, PAPER, LINE, 12)}
<path d="M12 24 a12 12 0 0 1 12 -12 h${W - 48} a12 12 0 0 1 12 12 v28 h-${W - 24} z" fill="${CHROME}"/>
<circle cx="34" cy="32" r="6" fill="${LINE}"/><circle cx="54" cy="32" r="6" fill="${LINE}"/><circle cx="74" cy="32" r="6" fill="${LINE}"/>
${box(100, 20, 480, 24, PAPER, LINE, 12)}${text(114, 37, address, { size: 13, color: MUTED })}
${page}
<g>${box(W - 24 - stampWidth, H - 50, stampWidth, 26, '#fff8e6', '#d4a72c', 13)}${text(W - 24 - stampWidth / 2, H - 32, stamp, { size: 13, weight: 600, color: '#7a5b00', anchor: 'middle' })}</g>
</svg>
`;
}

/** A diagram (no browser chrome) with the same stamp-free frame; diagrams are not screens. */
function diagram(lang: Lang, title: string, description: string, height: number, body: string): string {
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-labelledby="t d" lang="${lang}">
<title id="t">${esc(title)}</title>
<desc id="d">${esc(description)}</desc>
<rect x="0" y="0" width="${W}" height="${height}" rx="12" fill="#f7f9fa"/>
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="${INK}"/></marker></defs>
${body}
</svg>
`;
}

/** The left navigation of an account page, with one item highlighted. */
function accountNav(items: readonly string[], active: number): string {
	return items
		.map((item, i) => {
			const y = 90 + i * 40;
			const on = i === active;
			return `${on ? box(28, y - 22, 190, 34, ACCENT_SOFT, ACCENT_SOFT, 17) : ''}${text(48, y, item, { size: 15, weight: on ? 700 : 400, color: on ? ACCENT : INK })}`;
		})
		.join('');
}

interface Strings {
	/** Stamped on every drawing of a screen, so nobody mistakes it for a real one. */
	stamp: string;
	nav: readonly string[];
	security: { title: string; desc: string; heading: string; rows: readonly [string, string][] };
	twoStep: { title: string; desc: string; heading: string; status: string; intro: string; steps: readonly string[]; note: readonly string[] };
	find: { title: string; desc: string; search: string; result: string; resultHint: string; orLink: string; heading: string };
	name: { title: string; desc: string; heading: string; intro: string; label: string; value: string; create: string };
	created: { title: string; desc: string; heading: string; forDevice: string; code: string; once: string; done: string };
	list: { title: string; desc: string; heading: string; rows: readonly [string, string][]; remove: string };
	journey: { title: string; desc: string; nodes: readonly [string, string][]; hops: readonly [string, string][]; legend: readonly [string, string] };
	envelope: { title: string; desc: string; envelope: string; envLines: readonly string[]; letter: string; headers: readonly string[]; body: readonly string[]; envNote: string; letterNote: string };
	/** The home page's picture: the three parts of the course on one email's way. */
	hero: { title: string; desc: string; nodes: readonly [string, string][]; hops: readonly [string, string][]; env: readonly [string, string] };
}

type Pair = [string, string];

/** JSON has no pairs, only arrays: each [label, detail] row is checked to be one (the drawing indexes both). */
function pair(row: readonly string[], where: string): Pair {
	const [first, second] = row;
	if (row.length !== 2 || first === undefined || second === undefined) throw new Error(`${where}: expected [label, detail], got ${JSON.stringify(row)}`);
	return [first, second];
}

const pairs = (rows: readonly (readonly string[])[], where: string): Pair[] => rows.map((row, i) => pair(row, `${where}[${i}]`));

/** A language's words from its JSON file; ko.json has en.json's type, and its shape (illustration-strings.test.ts). */
function strings(json: typeof en): Strings {
	return {
		...json,
		security: { ...json.security, rows: pairs(json.security.rows, 'security.rows') },
		list: { ...json.list, rows: pairs(json.list.rows, 'list.rows') },
		journey: { ...json.journey, nodes: pairs(json.journey.nodes, 'journey.nodes'), hops: pairs(json.journey.hops, 'journey.hops'), legend: pair(json.journey.legend, 'journey.legend') },
		hero: { ...json.hero, nodes: pairs(json.hero.nodes, 'hero.nodes'), hops: pairs(json.hero.hops, 'hero.hops'), env: pair(json.hero.env, 'hero.env') },
	};
}

const STRINGS: Record<Lang, Strings> = { en: strings(en), ko: strings(ko) };

const ACCOUNT = 'myaccount.google.com';

function security(lang: Lang, s: Strings): string {
	const { security: p } = s;
	const rows = p.rows
		.map(([label, value], i) => {
			const y = 150 + i * 62;
			return `${text(270, y, label, { size: 16, weight: 600 })}${text(270, y + 22, value, { size: 14, color: i === 0 ? '#b42318' : MUTED })}${i < p.rows.length - 1 ? `<line x1="260" y1="${y + 38}" x2="750" y2="${y + 38}" stroke="${LINE}"/>` : ''}`;
		})
		.join('');
	const page = `${accountNav(s.nav, 3)}${highlight(28, 188, 190, 34)}${marker(232, 205, 1)}
${box(250, 80, 510, 250)}${text(270, 114, p.heading, { size: 19, weight: 700 })}${rows}
${highlight(262, 130, 490, 50)}${marker(740, 124, 2)}`;
	return browser(lang, p.title, p.desc, `${ACCOUNT}/security`, page);
}

function twoStep(lang: Lang, s: Strings): string {
	const p = s.twoStep;
	const steps = p.steps.map((step, i) => `${box(60, 214 + i * 46, 420, 36, CHROME, CHROME, 6)}${text(78, 238 + i * 46, step, { size: 15 })}`).join('');
	const page = `${text(60, 100, p.heading, { size: 24, weight: 700 })}
${box(560, 78, 120, 36, ACCENT_SOFT, ACCENT, 18)}<circle cx="585" cy="96" r="9" fill="${ACCENT}"/>${text(630, 102, p.status, { size: 16, weight: 700, color: ACCENT, anchor: 'middle' })}
${highlight(560, 78, 120, 36)}${marker(704, 96, 1)}
${text(60, 190, p.intro, { size: 16, weight: 600 })}${steps}
${box(510, 214, 250, 82, '#fff8e6', '#d4a72c', 8)}${p.note.map((line, i) => text(526, 248 + i * 24, line, { size: 14 })).join('')}`;
	return browser(lang, p.title, p.desc, `${ACCOUNT}/signinoptions/twosv`, page);
}

function find(lang: Lang, s: Strings): string {
	const p = s.find;
	const page = `${text(400, 104, p.heading, { size: 20, weight: 700, anchor: 'middle' })}
${box(170, 124, 460, 44, PAPER, MUTED, 22)}<circle cx="198" cy="144" r="8" fill="none" stroke="${MUTED}" stroke-width="2"/><line x1="204" y1="150" x2="211" y2="157" stroke="${MUTED}" stroke-width="2"/>${text(224, 152, p.search, { size: 16 })}
${highlight(170, 124, 460, 44)}${marker(656, 146, 1)}
${box(170, 178, 460, 64, PAPER, LINE, 8)}${text(196, 206, p.result, { size: 16, weight: 700 })}${text(196, 228, p.resultHint, { size: 13, color: MUTED })}
${highlight(176, 184, 448, 52)}${marker(656, 210, 2)}
${text(400, 300, p.orLink, { size: 15, color: ACCENT, anchor: 'middle' })}`;
	return browser(lang, p.title, p.desc, `${ACCOUNT}/apppasswords`, page);
}

function name(lang: Lang, s: Strings): string {
	const p = s.name;
	const page = `${text(60, 100, p.heading, { size: 24, weight: 700 })}${text(60, 134, p.intro, { size: 15, color: MUTED })}
${field(60, 190, 420, p.label, p.value)}${highlight(60, 190, 420, 38)}${marker(504, 209, 1)}
${button(60, 256, 120, p.create)}${highlight(60, 256, 120, 36)}${marker(204, 274, 2)}`;
	return browser(lang, p.title, p.desc, `${ACCOUNT}/apppasswords`, page);
}

function created(lang: Lang, s: Strings): string {
	const p = s.created;
	const page = `<rect x="13" y="53" width="${W - 26}" height="${H - 66}" fill="#1f2933" opacity="0.35"/>
${box(170, 86, 460, 280, PAPER, LINE, 12)}${text(400, 126, p.heading, { size: 20, weight: 700, anchor: 'middle' })}
${text(400, 160, p.forDevice, { size: 14, color: MUTED, anchor: 'middle' })}
${box(210, 178, 380, 60, '#fff8e6', '#d4a72c', 8)}${text(400, 217, p.code, { size: 26, weight: 700, anchor: 'middle', mono: true })}
${highlight(210, 178, 380, 60)}${marker(618, 208, 1)}
${text(400, 272, p.once, { size: 14, anchor: 'middle' })}
${button(340, 306, 120, p.done)}`;
	return browser(lang, p.title, p.desc, `${ACCOUNT}/apppasswords`, page);
}

function list(lang: Lang, s: Strings): string {
	const p = s.list;
	const rows = p.rows
		.map(([label, when], i) => {
			const y = 140 + i * 70;
			const trash = `<g transform="translate(690 ${y - 2})"><rect x="-2" y="4" width="20" height="22" rx="3" fill="none" stroke="${INK}" stroke-width="2"/><line x1="-6" y1="4" x2="22" y2="4" stroke="${INK}" stroke-width="2"/><line x1="4" y1="0" x2="12" y2="0" stroke="${INK}" stroke-width="2"/></g>`;
			return `${box(60, y - 20, 680, 58)}${text(84, y + 4, label, { size: 16, weight: 600 })}${text(84, y + 26, when, { size: 13, color: MUTED })}${trash}`;
		})
		.join('');
	const page = `${text(60, 100, p.heading, { size: 24, weight: 700 })}${rows}
${highlight(682, 134, 36, 34)}${marker(762, 151, 1)}${text(700, 110, p.remove, { size: 12, color: ACCENT, weight: 600, anchor: 'middle' })}`;
	return browser(lang, p.title, p.desc, `${ACCOUNT}/apppasswords`, page);
}

function journey(lang: Lang, s: Strings): string {
	const p = s.journey;
	// Two rows: sending runs left to right along the top; the mailbox sits under the recipient's
	// server, and the reader, bottom middle, pulls from it.
	const nodeW = 150;
	const nodeH = 78;
	const at: readonly [number, number][] = [
		[30, 90],
		[325, 90],
		[620, 90],
		[620, 262],
		[325, 262],
	];
	const nodes = p.nodes
		.map(([label, sub], i) => {
			const [x, y] = at[i]!;
			const ends = i === 0 || i === 4;
			return `${box(x, y, nodeW, nodeH, ends ? ACCENT_SOFT : PAPER, ends ? ACCENT : MUTED, 10)}${text(x + nodeW / 2, y + 33, label, { size: 15, weight: 700, anchor: 'middle' })}${text(x + nodeW / 2, y + 57, sub, { size: 13, color: MUTED, anchor: 'middle' })}`;
		})
		.join('');
	const arrow = (x1: number, y1: number, x2: number, y2: number) =>
		`<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${INK}" stroke-width="2.5" marker-end="url(#arrow)"/>`;
	const [hop1, hop2, delivered, hop3] = p.hops;
	const rowY = 90 + nodeH / 2;
	// Protocol above the arrow, details below it, the hop's number above both.
	const hopLabel = (x: number, arrowY: number, n: number, [protocol, detail]: readonly [string, string]) =>
		`${marker(x, arrowY - 42, n)}${text(x, arrowY - 10, protocol, { size: 15, weight: 700, color: ACCENT, anchor: 'middle' })}${text(x, arrowY + 22, detail, { size: 12, color: MUTED, anchor: 'middle' })}`;
	const body = `${nodes}
${arrow(184, rowY, 321, rowY)}${hopLabel(252, rowY, 1, hop1!)}
${arrow(479, rowY, 616, rowY)}${hopLabel(547, rowY, 2, hop2!)}
${arrow(695, 172, 695, 258)}${text(707, 220, delivered![1], { size: 12.5, color: MUTED })}
${arrow(616, 301, 479, 301)}${hopLabel(547, 301, 3, hop3!)}
${text(W / 2, 405, p.legend[0], { size: 13.5, color: MUTED, anchor: 'middle' })}${text(W / 2, 426, p.legend[1], { size: 13.5, color: MUTED, anchor: 'middle' })}`;
	return diagram(lang, p.title, p.desc, 450, body);
}

function envelope(lang: Lang, s: Strings): string {
	const p = s.envelope;
	const env = `${box(30, 60, 340, 200, '#fdf6e3', '#b08d3c', 6)}<path d="M30 66 L200 170 L370 66" fill="none" stroke="#b08d3c" stroke-width="1.5"/>
${text(200, 46, p.envelope, { size: 15, weight: 700, anchor: 'middle' })}
${p.envLines.map((line, i) => `${box(50, 184 + i * 32, 300, 26, PAPER, '#b08d3c', 4)}${text(60, 202 + i * 32, line, { size: 13, mono: true })}`).join('')}
${text(200, 286, p.envNote, { size: 13, color: ACCENT, weight: 600, anchor: 'middle' })}`;
	const letter = `${box(430, 60, 340, 200, PAPER, MUTED, 4)}${text(600, 46, p.letter, { size: 15, weight: 700, anchor: 'middle' })}
${p.headers.map((line, i) => text(448, 90 + i * 24, line, { size: 13, mono: true })).join('')}
<line x1="448" y1="156" x2="752" y2="156" stroke="${LINE}"/>
${p.body.map((line, i) => text(448, 184 + i * 24, line, { size: 14 })).join('')}
${text(600, 286, p.letterNote, { size: 13, color: ACCENT, weight: 600, anchor: 'middle' })}`;
	return diagram(lang, p.title, p.desc, 310, `${env}${letter}`);
}

/**
 * The home page's picture, beside its title: sending (SMTP), reading (POP3/IMAP) and the secret in .env,
 * top to bottom, narrow enough for the hero's column.
 */
function hero(lang: Lang, s: Strings): string {
	const p = s.hero;
	const width = 460;
	const height = 420;
	const nodeX = 20;
	const nodeW = 280;
	const nodeH = 74;
	const rows = [16, 173, 330];
	const nodes = p.nodes
		.map(([label, sub], i) => {
			const y = rows[i]!;
			const ends = i !== 1;
			return `${box(nodeX, y, nodeW, nodeH, ends ? ACCENT_SOFT : PAPER, ends ? ACCENT : MUTED, 10)}${text(nodeX + nodeW / 2, y + 32, label, { size: 17, weight: 700, anchor: 'middle' })}${text(nodeX + nodeW / 2, y + 56, sub, { size: 13.5, color: MUTED, anchor: 'middle' })}`;
		})
		.join('');
	const arrowX = nodeX + 70;
	const hop = (top: number, [protocol, detail]: readonly [string, string]) =>
		`<line x1="${arrowX}" y1="${top + 4}" x2="${arrowX}" y2="${top + 74}" stroke="${INK}" stroke-width="2.5" marker-end="url(#arrow)"/>${text(arrowX + 18, top + 38, protocol, { size: 16, weight: 700, color: ACCENT })}${text(arrowX + 18, top + 60, detail, { size: 13, color: MUTED })}`;
	const [send, read] = p.hops;
	// The secret sits beside the project, tied to it: the login the SMTP arrow needs comes from there.
	const [envName, envWhat] = p.env;
	const envX = 318;
	const envW = 126;
	const env = `<line x1="${nodeX + nodeW}" y1="${rows[0]! + nodeH / 2}" x2="${envX}" y2="${rows[0]! + nodeH / 2}" stroke="#b08d3c" stroke-width="1.5" stroke-dasharray="5 4"/>${box(envX, rows[0]! + 10, envW, 54, '#fdf6e3', '#b08d3c', 8)}${text(envX + envW / 2, rows[0]! + 33, envName, { size: 15, weight: 700, anchor: 'middle', mono: true })}${text(envX + envW / 2, rows[0]! + 53, envWhat, { size: 12.5, color: '#7a5b00', anchor: 'middle' })}`;
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="t d" lang="${lang}">
<title id="t">${esc(p.title)}</title>
<desc id="d">${esc(p.desc)}</desc>
<rect x="0" y="0" width="${width}" height="${height}" rx="12" fill="#f7f9fa"/>
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="${INK}"/></marker></defs>
${nodes}
${hop(rows[0]! + nodeH, send!)}
${hop(rows[1]! + nodeH, read!)}
${env}
</svg>
`;
}

const DRAWINGS: Record<string, (lang: Lang, s: Strings) => string> = {
	'app-password-1-security': security,
	'app-password-2-two-step': twoStep,
	'app-password-3-find': find,
	'app-password-4-name': name,
	'app-password-5-created': created,
	'app-password-6-list': list,
	'journey-of-a-reset-email': journey,
	'envelope-and-letter': envelope,
	'home-hero': hero,
};

for (const lang of LANGS) {
	const dir = join(OUT, lang);
	mkdirSync(dir, { recursive: true });
	for (const [file, draw] of Object.entries(DRAWINGS)) {
		writeFileSync(join(dir, `${file}.svg`), draw(lang, STRINGS[lang]));
	}
}
console.log(`Wrote ${Object.keys(DRAWINGS).length * LANGS.length} illustrations to ${OUT}`);
