package io.shadowvm.hypervisor.qmp;

/** The error classes QEMU reports in {@code {"error":{"class":...}}} (qapi/error.json). */
public enum QmpErrorClass {
    GENERIC_ERROR("GenericError"),
    COMMAND_NOT_FOUND("CommandNotFound"),
    DEVICE_NOT_ACTIVE("DeviceNotActive"),
    DEVICE_NOT_FOUND("DeviceNotFound"),
    KVM_MISSING_CAP("KVMMissingCap"),
    /** A class this client does not know (a newer QEMU); the raw name is kept in the exception. */
    UNKNOWN("?");

    private final String wireName;

    QmpErrorClass(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static QmpErrorClass fromWire(String name) {
        for (QmpErrorClass c : values()) {
            if (c.wireName.equals(name)) {
                return c;
            }
        }
        return UNKNOWN;
    }
}
