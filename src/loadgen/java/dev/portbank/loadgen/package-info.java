/**
 * The load generator: a client of a running PortBank, reached by URL, packaged as its own jar
 * ({@code portbank-loadgen.jar}) and sharing no class with the server. It opens and funds accounts, drives a scenario
 * with concurrent clients, records latencies in HdrHistogram, and checks the money invariants through the API.
 */
package dev.portbank.loadgen;
