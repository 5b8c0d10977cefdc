/**
 * {@code shadowvm redirect}: run a data plane of the Traffic Redirection Module from the command line, an L4/L7
 * proxy with an admin endpoint ({@code proxy}) or a weighted nftables DNAT in a network namespace ({@code nft}).
 */
package io.shadowvm.cli.redirect;
