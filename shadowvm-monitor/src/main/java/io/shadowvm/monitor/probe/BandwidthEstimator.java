package io.shadowvm.monitor.probe;

import io.shadowvm.core.ShadowVmException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * An on-demand active bandwidth estimate: a short timed transfer of {@code bytes} to a peer's
 * {@link ProbeResponder} ({@code BULK_START}, the bytes, {@code BULK_DONE}; see {@link ProbeFrame}). The
 * estimate is the receiver's rate, from its first to its last byte, which leaves out the sender's socket
 * buffer filling up. Blocking, on the caller's thread: this is a cold, operator- or controller-triggered
 * path, never part of the probe loop. It loads the path while it runs: keep it short.
 */
public final class BandwidthEstimator {
    public static final long MIN_BYTES = 64 * 1024;

    /**
     * @param receiverMbit bytes × 8 / the responder's elapsed time
     * @param senderMbit   bytes × 8 / the time from the first write until {@code BULK_DONE} arrived
     */
    public record Result(long bytes, long receiverElapsedUs, long senderElapsedUs, double receiverMbit,
                         double senderMbit) {
    }

    private BandwidthEstimator() {
    }

    public static Result measure(InetSocketAddress peer, long bytes, int timeoutMs) {
        if (bytes < MIN_BYTES || bytes > ProbeFrame.MAX_BULK_BYTES) {
            throw new ProbeFrameException("invalid transfer size: " + bytes + " bytes (expected: " + MIN_BYTES + "-"
                + ProbeFrame.MAX_BULK_BYTES + ")");
        }
        if (timeoutMs < 1 || timeoutMs > 600_000) {
            throw new ProbeFrameException("invalid timeout: " + timeoutMs + " ms (expected: 1-600000)");
        }
        CRC32C crc = new CRC32C();
        ByteBuffer header = ByteBuffer.allocate(ProbeFrame.HEADER_LENGTH);
        ProbeFrame.writeControl(header, 0, ProbeFrame.BULK_START, bytes, 0, crc);
        byte[] chunk = new byte[64 * 1024];
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(peer, timeoutMs);
            s.setSoTimeout(timeoutMs);
            OutputStream out = s.getOutputStream();
            long t0 = System.nanoTime();
            out.write(header.array());
            for (long left = bytes; left > 0; ) {
                int n = (int) Math.min(chunk.length, left);
                out.write(chunk, 0, n);
                left -= n;
            }
            out.flush();
            InputStream in = s.getInputStream();
            byte[] reply = in.readNBytes(ProbeFrame.HEADER_LENGTH);
            long senderUs = (System.nanoTime() - t0) / 1_000;
            ByteBuffer r = ByteBuffer.wrap(reply);
            if (reply.length < ProbeFrame.HEADER_LENGTH
                || ProbeFrame.validate(r, 0, ProbeFrame.BULK_DONE, crc) != ProbeFrame.HEADER_LENGTH) {
                throw new ShadowVmException("bandwidth estimate to " + peer + ": invalid or missing reply ("
                    + reply.length + " bytes)");
            }
            long received = ProbeFrame.sequence(r, 0);
            long receiverUs = Math.max(1, ProbeFrame.recvEpochUs(r, 0));
            if (received != bytes) {
                throw new ShadowVmException("bandwidth estimate to " + peer + ": peer counted " + received
                    + " bytes (expected: " + bytes + ")");
            }
            return new Result(bytes, receiverUs, senderUs, bytes * 8.0 / receiverUs, bytes * 8.0 / senderUs);
        } catch (SocketTimeoutException e) {
            throw new ShadowVmException("bandwidth estimate to " + peer + ": no answer within " + timeoutMs + " ms", e);
        } catch (IOException e) {
            throw new ShadowVmException("bandwidth estimate to " + peer + " failed: " + e.getMessage(), e);
        }
    }
}
