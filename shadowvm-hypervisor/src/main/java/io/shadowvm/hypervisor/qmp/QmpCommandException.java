package io.shadowvm.hypervisor.qmp;

/**
 * QEMU answered a command with an error. Each {@link QmpErrorClass} has its own subclass so callers can catch
 * exactly the condition they handle ({@link #of} picks it).
 */
public abstract sealed class QmpCommandException extends QmpException {
    private static final long serialVersionUID = 1L;
    private final String command;
    private final String rawClass;

    QmpCommandException(String command, String rawClass, String desc) {
        super("QMP command '" + command + "' failed: " + rawClass + ": " + desc);
        this.command = command;
        this.rawClass = rawClass;
    }

    public String command() {
        return command;
    }

    public String rawClass() {
        return rawClass;
    }

    public abstract QmpErrorClass errorClass();

    public static QmpCommandException of(String command, String rawClass, String desc) {
        return switch (QmpErrorClass.fromWire(rawClass)) {
            case GENERIC_ERROR -> new GenericError(command, rawClass, desc);
            case COMMAND_NOT_FOUND -> new CommandNotFound(command, rawClass, desc);
            case DEVICE_NOT_ACTIVE -> new DeviceNotActive(command, rawClass, desc);
            case DEVICE_NOT_FOUND -> new DeviceNotFound(command, rawClass, desc);
            case KVM_MISSING_CAP -> new KvmMissingCap(command, rawClass, desc);
            case UNKNOWN -> new Unknown(command, rawClass, desc);
        };
    }

    /** {@code GenericError}: the command failed for a reason described in text. */
    public static final class GenericError extends QmpCommandException {
        private static final long serialVersionUID = 1L;

        GenericError(String c, String r, String d) {
            super(c, r, d);
        }

        @Override
        public QmpErrorClass errorClass() {
            return QmpErrorClass.GENERIC_ERROR;
        }
    }

    /** {@code CommandNotFound}: this QEMU does not know the command. */
    public static final class CommandNotFound extends QmpCommandException {
        private static final long serialVersionUID = 1L;

        CommandNotFound(String c, String r, String d) {
            super(c, r, d);
        }

        @Override
        public QmpErrorClass errorClass() {
            return QmpErrorClass.COMMAND_NOT_FOUND;
        }
    }

    /** {@code DeviceNotActive}: the device exists but is not active. */
    public static final class DeviceNotActive extends QmpCommandException {
        private static final long serialVersionUID = 1L;

        DeviceNotActive(String c, String r, String d) {
            super(c, r, d);
        }

        @Override
        public QmpErrorClass errorClass() {
            return QmpErrorClass.DEVICE_NOT_ACTIVE;
        }
    }

    /** {@code DeviceNotFound}: no such device, object or path. */
    public static final class DeviceNotFound extends QmpCommandException {
        private static final long serialVersionUID = 1L;

        DeviceNotFound(String c, String r, String d) {
            super(c, r, d);
        }

        @Override
        public QmpErrorClass errorClass() {
            return QmpErrorClass.DEVICE_NOT_FOUND;
        }
    }

    /** {@code KVMMissingCap}: the host's KVM lacks a capability the command needs. */
    public static final class KvmMissingCap extends QmpCommandException {
        private static final long serialVersionUID = 1L;

        KvmMissingCap(String c, String r, String d) {
            super(c, r, d);
        }

        @Override
        public QmpErrorClass errorClass() {
            return QmpErrorClass.KVM_MISSING_CAP;
        }
    }

    /** An error class this client does not know; see {@link #rawClass()}. */
    public static final class Unknown extends QmpCommandException {
        private static final long serialVersionUID = 1L;

        Unknown(String c, String r, String d) {
            super(c, r, d);
        }

        @Override
        public QmpErrorClass errorClass() {
            return QmpErrorClass.UNKNOWN;
        }
    }
}
