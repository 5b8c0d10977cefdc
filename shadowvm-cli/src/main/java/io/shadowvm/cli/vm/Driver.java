package io.shadowvm.cli.vm;

/** The VM driver a command uses. */
public enum Driver {
    qemu,
    process
}
