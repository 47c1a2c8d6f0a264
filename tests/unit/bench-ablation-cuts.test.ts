/**
 * bench/ablation.ts takes work out of Postlab by replacing exact text in the product's files as Node loads
 * them. The hook refuses to run a cut whose text is gone, but only when someone runs the benchmark: this keeps
 * every cut applicable as the product changes, so a refactor says which cut to update instead of breaking the
 * next measurement.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CUTS } from '../../bench/ablation/remove-work.ts';

const occurrences = (text: string, find: string): number => text.split(find).length - 1;

describe('bench/ablation cuts', () => {
	it.each(Object.entries(CUTS).flatMap(([name, cuts]) => cuts.map((cut) => [name, cut.file, cut] as const)))('%s: %s still holds its text exactly once', (_name, file, cut) => {
		const source = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
		expect(occurrences(source, cut.find)).toBe(1);
		expect(cut.replace).not.toBe(cut.find);
	});
});
