/**
 * PortBank: a twelve-factor banking service. {@link dev.portbank.Main} wires configuration, backing services and
 * routing; each feature lives in its own package.
 */
package dev.portbank;
