/**
 * How often a principal may call: per-principal token buckets for money-moving calls, reads and account openings.
 * Authentication says who is calling; this package decides how much they may do, per instance.
 */
package dev.portbank.ratelimit;
