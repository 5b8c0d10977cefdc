package io.shadowvm.controller.model;

/**
 * A VM's lifecycle as the controller sees it: PLACED (commands sent, primary not yet reported running) →
 * RUNNING ⇄ FAILING_OVER; LOST when its primary died and no shadow was promotable; DELETING until every
 * instance reported stopped.
 */
public enum VmPhase {
    PLACED, RUNNING, FAILING_OVER, LOST, DELETING;

    public boolean serving() {
        return this == RUNNING;
    }
}
