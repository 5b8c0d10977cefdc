package io.shadowvm.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VmEpochBlobTest {
    @Test
    void theVmEpochRoundTripsThroughTheCriticalBlob() {
        byte[] b = ProcessGuestRuntime.encode(123_456_789_012L);
        assertThat(b).hasSize(12).startsWith('S', 'V', 'M', 'E');
        assertThat(ProcessGuestRuntime.decode(b)).isEqualTo(123_456_789_012L);
    }

    @Test
    void aBlobThatIsNotOursIsNotReadAsAnEpoch() {
        assertThat(ProcessGuestRuntime.decode(new byte[0])).isEqualTo(-1);
        assertThat(ProcessGuestRuntime.decode(new byte[12])).isEqualTo(-1);
        assertThat(ProcessGuestRuntime.decode(new byte[330_000])).isEqualTo(-1);
        assertThat(ProcessGuestRuntime.decode(null)).isEqualTo(-1);
    }
}
