package io.shadowvm.controller.model;

/** What the failure detector says about a host: ALIVE → SUSPECT → DEAD (and back to ALIVE only by re-registering). */
public enum HostLiveness { ALIVE, SUSPECT, DEAD }
