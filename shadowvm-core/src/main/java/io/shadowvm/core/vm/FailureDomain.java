package io.shadowvm.core.vm;

/** A failure domain a shadow can be required to avoid sharing with its primary and with other shadows. */
public enum FailureDomain { RACK, POD, POWER }
