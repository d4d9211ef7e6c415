/**
 * How often a principal may call: the per-principal token bucket on money-moving calls. Authentication says who is
 * calling; this package decides how much they may do per second, per instance.
 */
package dev.portbank.ratelimit;
