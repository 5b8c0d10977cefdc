package io.shadowvm.bench.sync;

import io.shadowvm.sync.codec.BatchEncoder;
import io.shadowvm.sync.codec.Compression;
import io.shadowvm.sync.codec.PageCache;
import io.shadowvm.sync.codec.PageDelta;
import io.shadowvm.sync.codec.PageHashing;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Per-page costs on {@link #PAGES} dirty 4 KiB pages (16 MiB, real arrays, not one page in cache) whose
 * bytes changed as random 8-byte words ({@code changedPercent} of the bytes), one operation = all pages:
 * the delta encoder, a plain copy of the same pages (the physical limit), LZ4 alone on the new pages,
 * the whole batch path (delta against the cache + LZ4 when it pays), XXH64 and the decoder.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class CodecBenchmark {
    public static final int PAGES = 4096;
    static final int P = PageDelta.PAGE_SIZE;

    @Param({"5"})
    public double changedPercent;

    byte[] oldPages;
    byte[] newPages;
    byte[] out;
    byte[] deltas;
    int[] deltaLen;
    byte[] patched;
    LZ4Compressor lz4;
    BatchEncoder batch;
    PageCache cache;

    @Setup(Level.Trial)
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(1);
        oldPages = new byte[PAGES * P];
        rnd.nextBytes(oldPages);
        newPages = oldPages.clone();
        int words = (int) Math.round(P / 8 * changedPercent / 100.0);
        for (int p = 0; p < PAGES; p++) {
            for (int w = 0; w < words; w++) {
                int at = p * P + rnd.nextInt(P / 8) * 8;
                for (int b = 0; b < 8; b++) {
                    newPages[at + b] = (byte) rnd.nextInt();
                }
            }
        }
        out = new byte[PAGES * P];
        deltas = new byte[PAGES * P];
        deltaLen = new int[PAGES];
        for (int p = 0; p < PAGES; p++) {
            deltaLen[p] = PageDelta.encode(oldPages, p * P, newPages, p * P, deltas, p * P, P);
        }
        patched = new byte[PAGES * P];
        lz4 = LZ4Factory.fastestInstance().fastCompressor();
        batch = new BatchEncoder(256, 2048, Compression.LZ4);
        cache = new PageCache((long) PAGES * P);
    }

    /** The baseline: copy every page (what any encoder must at least read). */
    @Benchmark
    public void memcpy(Blackhole bh) {
        for (int p = 0; p < PAGES; p++) {
            System.arraycopy(newPages, p * P, out, p * P, P);
        }
        bh.consume(out);
    }

    /** XOR + RLE delta of every page against its old version (early abort at 2 KiB). */
    @Benchmark
    public int deltaEncode() {
        int total = 0;
        for (int p = 0; p < PAGES; p++) {
            total += PageDelta.encode(oldPages, p * P, newPages, p * P, out, 0, 2048);
        }
        return total;
    }

    /** LZ4 alone on every new page (no delta). */
    @Benchmark
    public int lz4Only() {
        int total = 0;
        for (int p = 0; p < PAGES; p++) {
            total += lz4.compress(newPages, p * P, P, out, 0, out.length);
        }
        return total;
    }

    /** The source's real path: cache lookup, delta, batch framing, LZ4 per 256-page batch when it pays. */
    @Benchmark
    public long batchEncodeLz4() {
        cache.clear();
        for (int p = 0; p < PAGES; p++) {
            cache.store(p, oldPages, p * P);
        }
        long total = 0;
        for (int p = 0; p < PAGES; p++) {
            batch.add(p, newPages, p * P, cache);
            if (batch.isFull()) {
                total += batch.finish();
            }
        }
        return total;
    }

    /** XXH64 of every page (the hash-scan tracker's and resume's page identity). */
    @Benchmark
    public long xxh64() {
        long h = 0;
        for (int p = 0; p < PAGES; p++) {
            h ^= PageHashing.hash(newPages, p * P);
        }
        return h;
    }

    /** Applying every delta to a copy of the old page. */
    @Benchmark
    public void deltaDecode(Blackhole bh) {
        System.arraycopy(oldPages, 0, patched, 0, patched.length);
        for (int p = 0; p < PAGES; p++) {
            PageDelta.decode(deltas, p * P, deltaLen[p], patched, p * P);
        }
        bh.consume(patched);
    }
}
