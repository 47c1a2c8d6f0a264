/**
 * Wires the "mark this lesson as done" buttons (src/components/MarkDone.astro). The visible state
 * is painted by the boot script's CSS before this runs; this adds the click and keeps aria-pressed
 * true to what is saved.
 */
import './progress-api.ts';
import { EXERCISE_PASSED_EVENT } from '../exercise/exercise-progress.ts';

const progress = window.PostlabProgress;
for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-mark-done]')) {
	const slug = button.dataset['markDone'];
	if (progress === undefined || slug === undefined) continue;
	const sync = (done: boolean) => button.setAttribute('aria-pressed', String(done));
	sync(progress.read().done.includes(slug));
	button.addEventListener('click', () => {
		const done = button.getAttribute('aria-pressed') !== 'true';
		sync(progress.setDone(slug, done).done.includes(slug));
	});
	// A passed exercise marks the lesson done (src/exercise/lesson-exercise.ts): keep the button's state true to it.
	document.addEventListener(EXERCISE_PASSED_EVENT, () => sync(progress.read().done.includes(slug)));
}
