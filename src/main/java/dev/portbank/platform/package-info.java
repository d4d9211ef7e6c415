/**
 * Shared infrastructure every feature uses: the problem+json error shape, strict JSON bodies, the access log and
 * request ids, logging setup, and the PostgreSQL pool, client and migrations.
 */
package dev.portbank.platform;
