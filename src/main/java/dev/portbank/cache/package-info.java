/**
 * The Redis balance cache: read-through on the hot balance path, written after every committed movement, versioned
 * so an older balance never overwrites a newer one, and fenced by an epoch in PostgreSQL so a Redis that missed
 * writes is never read again. Redis is optional: every call still succeeds from PostgreSQL without it.
 */
package dev.portbank.cache;
