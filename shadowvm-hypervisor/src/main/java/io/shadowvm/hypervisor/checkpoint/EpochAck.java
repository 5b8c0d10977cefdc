package io.shadowvm.hypervisor.checkpoint;

/**
 * The shadow's answer to one epoch frame. Wire format version 1, little-endian:
 * <pre>
 * +----------------------+----------------------+-----------------------------+----------------------+-----------+
 * | magic "SVAK" (u32)   | status (u32) 0 = ack  | epoch (u64)                 | reason length (u32)  | reason    |
 * |                      | 1 = refused           |                             | 0-4096               | UTF-8     |
 * +----------------------+----------------------+-----------------------------+----------------------+-----------+
 * </pre>
 *
 * @param epoch the epoch answered
 * @param acked true when the shadow committed it
 * @param reason why it was refused ({@code ""} when acked)
 */
public record EpochAck(long epoch, boolean acked, String reason) {
    public static final int MAGIC = 0x4B415653; // "SVAK"
    public static final int MAX_REASON_BYTES = 4096;
}
