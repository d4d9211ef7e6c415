/**
 * The web console on the API socket: {@code GET /} and its content-hashed assets under {@code /console/}, served
 * with a strict Content-Security-Policy. The console is plain ES modules and CSS from {@code resources/console}; it
 * holds no server-side state and calls the public API like any other client.
 */
package dev.portbank.console;
