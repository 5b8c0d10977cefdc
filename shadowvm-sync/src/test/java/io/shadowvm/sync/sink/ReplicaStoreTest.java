package io.shadowvm.sync.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicaStoreTest {
    @TempDir
    Path dir;

    private static byte[] page(int b) {
        byte[] p = new byte[4096];
        p[0] = (byte) b;
        p[4095] = (byte) b;
        return p;
    }

    private static int first(ReplicaStore s, long page) {
        byte[] back = new byte[4096];
        s.region().readPage(page, back, 0);
        return back[0];
    }

    @Test
    void shouldApplyACommittedEpochAndKeepItAcrossReopen() {
        Path f = dir.resolve("r.ram");
        try (ReplicaStore s = ReplicaStore.open(f, 8 * 4096, false)) {
            s.begin(1, 77);
            s.stagePage(3, page(1), 0);
            s.commit("one".getBytes(StandardCharsets.UTF_8), 0);
        }
        try (ReplicaStore s = ReplicaStore.open(f, 0, false)) {
            assertThat(s.appliedEpoch()).isEqualTo(1);
            assertThat(s.streamId()).isEqualTo(77);
            assertThat(first(s, 3)).isEqualTo(1);
            assertThat(new String(s.critical(), StandardCharsets.UTF_8)).isEqualTo("one");
        }
    }

    @Test
    void shouldDiscardAnUnsealedEpochAndLeaveTheReplicaUntouched() {
        Path f = dir.resolve("r.ram");
        try (ReplicaStore s = ReplicaStore.open(f, 8 * 4096, false)) {
            s.begin(1, 77);
            s.stagePage(3, page(1), 0);
            s.commit(new byte[0], 0);
            s.begin(2, 77);
            s.stagePage(3, page(2), 0);
            s.stagePage(4, page(2), 0);
            // the process dies here: nothing after the staged pages reaches the disk
        }
        try (ReplicaStore s = ReplicaStore.open(f, 0, false)) {
            assertThat(s.appliedEpoch()).isEqualTo(1);
            assertThat(first(s, 3)).isEqualTo(1);
            assertThat(first(s, 4)).isEqualTo(0);
        }
        assertThat(dir.resolve("r.ram.sync-journal")).doesNotExist();
    }

    @Test
    void shouldRollASealedButUnappliedEpochForwardOnOpen() {
        Path f = dir.resolve("r.ram");
        try (ReplicaStore s = ReplicaStore.open(f, 8 * 4096, false)) {
            s.begin(1, 77);
            s.stagePage(3, page(1), 0);
            s.commit(new byte[0], 0);
            s.begin(2, 77);
            s.stagePage(4, page(2), 0);
            s.seal("two".getBytes(StandardCharsets.UTF_8)); // crash between the commit record and the apply
        }
        assertThat(dir.resolve("r.ram.sync-journal")).exists();
        try (ReplicaStore s = ReplicaStore.open(f, 0, false)) {
            assertThat(s.appliedEpoch()).isEqualTo(2);
            assertThat(first(s, 3)).isEqualTo(1);
            assertThat(first(s, 4)).isEqualTo(2);
            assertThat(new String(s.critical(), StandardCharsets.UTF_8)).isEqualTo("two");
        }
        assertThat(dir.resolve("r.ram.sync-journal")).doesNotExist();
    }

    @Test
    void shouldIgnoreAJournalWithACorruptedCommitRecord() throws Exception {
        Path f = dir.resolve("r.ram");
        try (ReplicaStore s = ReplicaStore.open(f, 8 * 4096, false)) {
            s.begin(1, 77);
            s.stagePage(4, page(2), 0);
            s.seal(new byte[0]);
        }
        Path j = dir.resolve("r.ram.sync-journal");
        byte[] bytes = Files.readAllBytes(j);
        bytes[100] ^= 1;
        Files.write(j, bytes);
        try (ReplicaStore s = ReplicaStore.open(f, 0, false)) {
            assertThat(s.appliedEpoch()).isZero();
            assertThat(first(s, 4)).isEqualTo(0);
        }
    }

    @Test
    void shouldComputeTheDigestTheReplicaWillHaveBeforeApplying() {
        Path f = dir.resolve("r.ram");
        try (ReplicaStore s = ReplicaStore.open(f, 8 * 4096, false)) {
            s.begin(1, 77);
            s.stagePage(4, page(2), 0);
            long predicted = s.stagedDigest();
            s.commit(new byte[0], 0);
            long[] hashes = new long[8];
            for (int p = 0; p < 8; p++) {
                hashes[p] = io.shadowvm.sync.codec.PageHashing.hash(s.region(), p);
            }
            assertThat(io.shadowvm.sync.codec.PageHashing.digest(hashes)).isEqualTo(predicted);
        }
    }

    @Test
    void shouldApplyAndReopenTheSameWayWhenDurable() {
        Path f = dir.resolve("d.ram");
        try (ReplicaStore s = ReplicaStore.open(f, 8 * 4096, true)) {
            s.begin(1, 5);
            s.stagePage(7, page(9), 0);
            s.commit(new byte[] {1, 2}, 0);
        }
        try (ReplicaStore s = ReplicaStore.open(f, 0, true)) {
            assertThat(s.appliedEpoch()).isEqualTo(1);
            assertThat(first(s, 7)).isEqualTo(9);
            assertThat(s.critical()).containsExactly(1, 2);
        }
    }
}
