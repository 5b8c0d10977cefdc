/**
 * Adapters from the loop's ports to the real component modules: {@link io.shadowvm.controller.wiring.RedirectionPolicyWeights}
 * (shadowvm-redirect's {@code PolicyLoop}), {@link io.shadowvm.controller.wiring.PlacementManagerPlacer}
 * (shadowvm-placement's {@code ClusterState}/{@code OnlinePlacer}) and {@link io.shadowvm.controller.wiring.PredictorScorer}
 * (shadowvm-predict's online {@code CongestionPredictor}, when a trained model artifact is given).
 */
package io.shadowvm.controller.wiring;
