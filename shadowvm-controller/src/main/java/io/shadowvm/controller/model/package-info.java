/**
 * Cluster state as immutable records (copied on change, safe to publish across threads) and the
 * lifecycles as enums with their allowed transitions in one place ({@link io.shadowvm.controller.model.ShadowState}).
 */
package io.shadowvm.controller.model;
