package io.shadowvm.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VmEpochBlobTest {
    @Test
    void theVmEpochRoundTripsThroughTheCriticalBlob() {
        byte[] b = ProcessGuestRuntime.encode(123_456_789_012L);
        assertThat(b).hasSize(12).startsWith('S', 'V', 'M', 'E');
        assertThat(ProcessGuestRuntime.decode(b)).isEqualTo(123_456_789_012L);
        assertThat(VmEpochBlob.digest(b)).isZero();
    }

    @Test
    void theVmEpochAndThePrimarysStateDigestRoundTripThroughFormatTwo() {
        byte[] b = VmEpochBlob.encode(42, 0x8badf00dcafebabeL);
        assertThat(b).hasSize(20).startsWith('S', 'V', 'M', 'D');
        assertThat(ProcessGuestRuntime.decode(b)).isEqualTo(42);
        assertThat(VmEpochBlob.digest(b)).isEqualTo(0x8badf00dcafebabeL);
    }

    @Test
    void aBlobThatIsNotOursIsNotReadAsAnEpoch() {
        assertThat(ProcessGuestRuntime.decode(new byte[0])).isEqualTo(-1);
        assertThat(ProcessGuestRuntime.decode(new byte[12])).isEqualTo(-1);
        assertThat(ProcessGuestRuntime.decode(new byte[20])).isEqualTo(-1);
        assertThat(VmEpochBlob.digest(new byte[20])).isZero();
        assertThat(ProcessGuestRuntime.decode(new byte[330_000])).isEqualTo(-1);
        assertThat(ProcessGuestRuntime.decode(null)).isEqualTo(-1);
    }
}
