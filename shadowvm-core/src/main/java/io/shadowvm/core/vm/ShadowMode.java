package io.shadowvm.core.vm;

/** What a shadow does: {@code STANDBY} keeps replicated state only; {@code SERVING} also answers redirected traffic. */
public enum ShadowMode { STANDBY, SERVING }
