/**
 * The control loop ({@link io.shadowvm.controller.loop.ControlLoop}, an {@code Agent} ticking every
 * second by default) and its ports to the other components: {@link io.shadowvm.controller.loop.Placer}
 * (Placement Manager), {@link io.shadowvm.controller.loop.CongestionScorer} (predictor),
 * {@link io.shadowvm.controller.loop.WeightPolicy} (redirection policy). All cluster state here is owned
 * by the loop's thread: agents' messages and users' requests arrive as {@link io.shadowvm.controller.loop.Inbound}
 * records on a queue, and readers get an immutable {@link io.shadowvm.controller.loop.ClusterSnapshot}.
 */
package io.shadowvm.controller.loop;
