/**
 * Who is calling and what they may do: bearer JWT verification (JWKS or PEM keys, or the loud local dev mode), the
 * principal and its roles.
 */
package dev.portbank.auth;
