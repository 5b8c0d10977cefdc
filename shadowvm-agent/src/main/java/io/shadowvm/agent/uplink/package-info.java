/**
 * A userspace rack uplink for loopback runs: a token-bucket limited TCP relay that every connection into a
 * rack's guests crosses, whose byte counters are reported as the link's utilization, as the monitor would.
 */
package io.shadowvm.agent.uplink;
