/**
 * Preloaded by `npm start` (`node --import=./sandbox/compile-cache.mjs`): turns on Node's on-disk compile
 * cache before the sandbox and the built site load, so a restart reuses the compiled code of the
 * unchanged modules instead of parsing and compiling them again (about a third of start-up's CPU time,
 * measured), and reuses the sandbox's TypeScript with its types already stripped. The cache checks each
 * file's content, so an edit or a new build is never served stale. It lives in the system's temporary
 * folder (Node's default) or where NODE_COMPILE_CACHE says.
 *
 * This one file is JavaScript, not TypeScript, on purpose: a `.ts` preload is stripped before it can turn
 * the cache on, which loads Node's type stripper (a WebAssembly build of SWC) into every start, 13 MB of
 * resident memory that stays for the life of the process. With this file and a warm cache the stripper
 * is never loaded.
 */
import { enableCompileCache } from 'node:module';

enableCompileCache();
