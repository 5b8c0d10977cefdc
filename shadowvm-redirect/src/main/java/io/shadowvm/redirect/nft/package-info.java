/**
 * The network-layer data plane: an nftables table in a network namespace that DNATs the service address to the
 * backends through a weighted {@code numgen} map. Every weight change replaces the whole table in one
 * {@code nft -f} transaction (declare, delete, re-create), so the kernel never holds a half-written ruleset;
 * established connections keep their conntrack NAT binding and stay on their backend.
 */
package io.shadowvm.redirect.nft;
