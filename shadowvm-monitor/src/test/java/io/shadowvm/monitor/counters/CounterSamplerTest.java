package io.shadowvm.monitor.counters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.shadowvm.core.time.ManualClock;
import io.shadowvm.core.topology.Topology;
import io.shadowvm.core.topology.TopologyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CounterSamplerTest {
    static final String YAML = """
        datacenter: tb
        pods:
          - name: p1
            racks:
              - name: r1
                uplinkGbps: 0.005
                hosts:
                  - {name: r1h1, cores: 2, memoryMib: 1024, nicGbps: 10}
                  - {name: r1h2, cores: 2, memoryMib: 1024, nicGbps: 10}
              - name: r2
                uplinkGbps: 0.005
                hosts:
                  - {name: r2h1, cores: 2, memoryMib: 1024, nicGbps: 10}
        """;

    @TempDir
    Path sys;
    private final ManualClock clock = new ManualClock();
    private final Topology topology = TopologyLoader.parse(YAML, "tb.yaml");
    private final List<double[]> samples = new ArrayList<>();

    @BeforeEach
    void fakeInterfaces() throws IOException {
        for (String i : List.of("lo", "r1-spine", "r1h1-r1", "br0")) {
            write(i, 0, 0, 0, 0);
        }
    }

    private void write(String iface, long tx, long rx, long txp, long rxp) throws IOException {
        Path d = Files.createDirectories(sys.resolve(iface).resolve("statistics"));
        Files.writeString(d.resolve("tx_bytes"), tx + "\n");
        Files.writeString(d.resolve("rx_bytes"), rx + "\n");
        Files.writeString(d.resolve("tx_packets"), txp + "\n");
        Files.writeString(d.resolve("rx_packets"), rxp + "\n");
    }

    private CounterSampler sampler(boolean switchMode) {
        List<InterfaceBinding> b = CounterSampler.bind(sys, topology, Map.of(), switchMode);
        return new CounterSampler(sys, b, TimeUnit.SECONDS.toNanos(1), clock, clock,
            (i, ts, tx, rx, txp, rxp, u) -> samples.add(new double[] {i, ts, tx, rx, txp, rxp, u}));
    }

    @Test
    void shouldBindInterfacesNamedAfterTopologyLinks() {
        List<InterfaceBinding> host = CounterSampler.bind(sys, topology, Map.of(), false);
        assertThat(host).extracting(InterfaceBinding::link).containsExactly("r1-spine", "r1h1-r1");
        assertThat(host.get(0).capacityBps()).isEqualTo(5e6, within(1e-3));
        List<InterfaceBinding> sw = CounterSampler.bind(sys, topology, Map.of("br0", "r2-spine"), true);
        assertThat(sw).extracting(InterfaceBinding::iface).containsExactly("br0", "r1-spine", "r1h1-r1");
        assertThat(sw.get(0).link()).isEqualTo("r2-spine");
    }

    @Test
    void shouldTurnCounterDeltasIntoUtilizationOfTheLinkCapacity() throws IOException {
        try (CounterSampler s = sampler(false)) {
            assertThat(s.doWork()).isZero();
            clock.advanceMillis(1_000);
            write("r1-spine", 500_000, 125_000, 400, 100); // 4 Mbit/s up, 1 Mbit/s down on a 5 Mbit/s link
            write("r1h1-r1", 1_250_000_000, 0, 1_000, 0);   // 10 Gbit/s
            assertThat(s.doWork()).isEqualTo(1);
            assertThat(samples).hasSize(2);
            double[] up = samples.get(0);
            assertThat(up[1]).isEqualTo(clock.epochMillis());
            assertThat(up[2]).isEqualTo(4e6, within(1e-6));
            assertThat(up[3]).isEqualTo(1e6, within(1e-6));
            assertThat(up[4]).isEqualTo(400, within(1e-9));
            assertThat(up[6]).isEqualTo(0.8, within(1e-9));
            assertThat(samples.get(1)[6]).isEqualTo(1.0, within(1e-9));
            assertThat(s.lastUtilization(0)).isEqualTo(0.8, within(1e-9));
        }
    }

    @Test
    void shouldUseTheMeasuredIntervalWhenATickIsLate() throws IOException {
        try (CounterSampler s = sampler(false)) {
            clock.advanceMillis(2_000);
            write("r1-spine", 1_000_000, 0, 0, 0);
            s.doWork();
            assertThat(samples.get(0)[2]).isEqualTo(4e6, within(1e-6));
        }
    }

    @Test
    void shouldRestartTheBaselineWhenACounterGoesBackwards() throws IOException {
        try (CounterSampler s = sampler(false)) {
            clock.advanceMillis(1_000);
            write("r1-spine", 1_000_000, 0, 0, 0);
            s.doWork();
            clock.advanceMillis(1_000);
            write("r1-spine", 10, 0, 0, 0);
            s.doWork();
            clock.advanceMillis(1_000);
            write("r1-spine", 125_010, 0, 0, 0);
            s.doWork();
            double[] upTicks = samples.stream().filter(x -> x[0] == 0).mapToDouble(x -> x[2]).toArray();
            assertThat(upTicks).hasSize(2);
            assertThat(upTicks[1]).isEqualTo(1e6, within(1e-6));
        }
    }

    @Test
    void shouldReportRatesWithoutUtilizationForUnboundInterfacesInSwitchMode() throws IOException {
        try (CounterSampler s = sampler(true)) {
            clock.advanceMillis(1_000);
            write("br0", 1_000, 0, 0, 0);
            s.doWork();
            double[] br = samples.stream().filter(x -> x[0] == 0).findFirst().orElseThrow();
            assertThat(br[2]).isEqualTo(8_000, within(1e-9));
            assertThat(br[6]).isNaN();
        }
    }

    @Test
    void shouldTakeTheMaximumOverThePathsLinks() {
        double[] util = new double[topology.links().size()];
        Arrays.fill(util, Double.NaN);
        int h1 = topology.host("r1h1").index();
        int h2 = topology.host("r1h2").index();
        int h3 = topology.host("r2h1").index();
        assertThat(PathUtilization.of(topology, h1, h3, util)).isNaN();
        util[topology.link("r1h1-r1").index()] = 0.1;
        util[topology.link("r1-spine").index()] = 0.9;
        util[topology.link("r2-spine").index()] = 0.3;
        assertThat(PathUtilization.of(topology, h1, h3, util)).isEqualTo(0.9);
        assertThat(PathUtilization.of(topology, h1, h2, util)).isEqualTo(0.1);
        assertThat(PathUtilization.of(topology, h1, h1, util)).isZero();
    }

    @Test
    void shouldReadTheLiveLoopbackCountersOfThisMachine() throws IOException {
        try (InterfaceCounters lo = new InterfaceCounters(InterfaceCounters.SYS_CLASS_NET, "lo")) {
            assertThat(lo.read()).isTrue();
            assertThat(lo.txBytes()).isNotNegative();
        }
    }
}
