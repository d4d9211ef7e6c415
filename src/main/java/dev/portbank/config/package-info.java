/**
 * Twelve-factor configuration: every setting, its environment variable, its {@code application.yaml} key and its
 * default, resolved once at startup into typed, validated records.
 */
package dev.portbank.config;
