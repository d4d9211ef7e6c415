/** Money as integer minor units of an ISO 4217 currency: never floating point, never mixed currencies. */
package dev.portbank.money;
