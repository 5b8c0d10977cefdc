package io.shadowvm.redirect.policy;

/** Whether the policy is currently redirecting (the seed's "score above threshold" with hysteresis). */
public enum EngagementState {
    /** All traffic belongs to the primary (weights may still be decaying towards it). */
    IDLE,
    /** The primary's path passed the engage threshold and has not yet fallen to the release threshold. */
    ENGAGED
}
