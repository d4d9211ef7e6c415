/** Customer accounts: opening, reading, listing, balances and closing, with who may see which. */
package dev.portbank.account;
