/**
 * The API that the inline boot script (src/components/ProgressBoot.astro) puts on `window`. Bundled
 * client code reaches progress only through it, so the storage format lives in one place.
 */
export interface ProgressState {
	/** Slugs of the lessons marked done (shared by both languages). */
	readonly done: readonly string[];
	/** Slug of the lesson opened last, for "continue where you left off". */
	readonly last: string | null;
}

export interface PostlabProgress {
	read(): ProgressState;
	/** Marks or unmarks a lesson, saves, and repaints every done mark on the page. */
	setDone(slug: string, done: boolean): ProgressState;
}

declare global {
	interface Window {
		PostlabProgress?: PostlabProgress;
	}
}
