/**
 * The Traffic Redirection Module: turns congestion scores and shadow health into traffic weights
 * ({@code policy}), and applies weights to real traffic through data planes that swap an immutable weight
 * table atomically ({@code maglev} lookup tables, the {@code l4} TCP proxy, the {@code l7} HTTP proxy, the
 * {@code nft} nftables backend). Open connections never move when weights change. Nothing here depends on
 * another ShadowVM module but core.
 */
package io.shadowvm.redirect;
