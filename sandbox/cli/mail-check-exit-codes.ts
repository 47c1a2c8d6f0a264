/**
 * Exit codes of `npm run mail:check`, so scripts (and tests) can tell why it failed. 0 only when everything
 * worked: settings valid, connected, logged in, and (with --to) the message accepted.
 */
export const EXIT_OK = 0;
/** Wrong command-line options. */
export const EXIT_USAGE = 1;
/** The settings cannot work (or there are none): fix `.env` first; nothing was sent over the network. */
export const EXIT_CONFIG = 2;
/** The server could not be reached or TLS failed (DNS, refused, timeout, wrong TLS mode, certificate). */
export const EXIT_CONNECTION = 3;
/** The server refused the login (535, 534, 530 AUTH). */
export const EXIT_AUTH = 4;
/** Connected and logged in, but the server refused the message (sender, recipient, rate limit). */
export const EXIT_REJECTED = 5;
