/** The busy-loop model (after Agrona): an {@code Agent} does bounded work per call; a runner drives it. */
package io.shadowvm.core.agent;
