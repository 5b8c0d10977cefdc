/**
 * The datacenter model: pods, racks (each a ToR switch and network segment), hosts, and the links of a
 * two-tier leaf-spine fabric with their capacities. Immutable; indexes for algorithms, names for people.
 */
package io.shadowvm.core.topology;
