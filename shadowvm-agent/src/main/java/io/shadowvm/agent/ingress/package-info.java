/**
 * {@link io.shadowvm.agent.IngressPlane} on shadowvm-redirect's data planes: one L4 redirector per VM,
 * its weight table swapped whole on every SetWeights.
 */
package io.shadowvm.agent.ingress;
