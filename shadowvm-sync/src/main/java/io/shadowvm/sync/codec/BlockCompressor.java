package io.shadowvm.sync.codec;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Compresses and decompresses batch bodies with reused contexts (one {@link ZstdCompressCtx} for the life of
 * the encoder). Decompression uses the bounds-checked decoders: the input comes from the network.
 * Single-threaded; {@link #close()} frees the zstd contexts.
 */
public final class BlockCompressor implements AutoCloseable {
    private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();
    private final LZ4Compressor lz4 = LZ4.fastCompressor();
    private final LZ4SafeDecompressor lz4Safe = LZ4.safeDecompressor();
    private ZstdCompressCtx zstdOut;
    private ZstdDecompressCtx zstdIn;
    private final int zstdLevel;

    public BlockCompressor() {
        this(1);
    }

    public BlockCompressor(int zstdLevel) {
        this.zstdLevel = zstdLevel;
    }

    /** The worst-case compressed size of {@code len} bytes for any codec. */
    public static int maxCompressedLength(int len) {
        return (int) Math.max(LZ4.fastCompressor().maxCompressedLength(len), Zstd.compressBound(len));
    }

    /** Compresses; returns the compressed length. {@code dst} must have {@link #maxCompressedLength} room. */
    public int compress(Compression c, byte[] src, int srcOff, int len, byte[] dst, int dstOff) {
        switch (c) {
            case LZ4:
                return lz4.compress(src, srcOff, len, dst, dstOff, dst.length - dstOff);
            case ZSTD:
                if (zstdOut == null) {
                    zstdOut = new ZstdCompressCtx().setLevel(zstdLevel);
                }
                return zstdOut.compressByteArray(dst, dstOff, dst.length - dstOff, src, srcOff, len);
            case NONE:
            default:
                System.arraycopy(src, srcOff, dst, dstOff, len);
                return len;
        }
    }

    /**
     * Decompresses exactly {@code originalLen} bytes.
     *
     * @throws CorruptPageException when the input is malformed or does not expand to {@code originalLen}
     */
    public void decompress(Compression c, byte[] src, int srcOff, int len, byte[] dst, int dstOff, int originalLen) {
        int n;
        try {
            switch (c) {
                case LZ4:
                    n = lz4Safe.decompress(src, srcOff, len, dst, dstOff, originalLen);
                    break;
                case ZSTD:
                    if (zstdIn == null) {
                        zstdIn = new ZstdDecompressCtx();
                    }
                    n = zstdIn.decompressByteArray(dst, dstOff, originalLen, src, srcOff, len);
                    break;
                case NONE:
                default:
                    if (len != originalLen) {
                        throw new CorruptPageException("uncompressed batch length " + len + " != declared " + originalLen);
                    }
                    System.arraycopy(src, srcOff, dst, dstOff, len);
                    n = len;
            }
        } catch (LZ4Exception | ZstdException e) {
            throw new CorruptPageException("cannot decompress " + c + " batch of " + len + " bytes: " + e.getMessage());
        }
        if (n != originalLen) {
            throw new CorruptPageException(c + " batch expanded to " + n + " bytes (expected: " + originalLen + ")");
        }
    }

    @Override
    public void close() {
        if (zstdOut != null) {
            zstdOut.close();
            zstdOut = null;
        }
        if (zstdIn != null) {
            zstdIn.close();
            zstdIn = null;
        }
    }
}
