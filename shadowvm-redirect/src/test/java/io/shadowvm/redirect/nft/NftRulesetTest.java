package io.shadowvm.redirect.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shadowvm.redirect.Backend;
import io.shadowvm.redirect.RedirectException;
import io.shadowvm.redirect.RelativeWeights;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class NftRulesetTest {
    static final InetSocketAddress SERVICE = new InetSocketAddress("10.0.9.9", 80);
    static final List<Backend> BACKENDS = List.of(
        new Backend("primary", new InetSocketAddress("10.0.0.2", 8080)),
        new Backend("shadow", new InetSocketAddress("10.0.1.2", 8081)));

    @Test
    void rendersOneTransactionThatDeclaresDeletesAndRecreatesTheTable() {
        String r = NftRuleset.render("t", SERVICE, BACKENDS, RelativeWeights.parse("primary=70,shadow=30"),
            NumgenMode.RANDOM);
        String rule = "ip daddr 10.0.9.9 tcp dport 80 dnat ip to numgen random mod 10000 map "
            + "{ 0-6999 : 10.0.0.2 . 8080, 7000-9999 : 10.0.1.2 . 8081 }";
        assertThat(r).isEqualTo("table ip t\n"
            + "delete table ip t\n"
            + "table ip t {\n"
            + "  chain prerouting {\n"
            + "    type nat hook prerouting priority dstnat; policy accept;\n"
            + "    " + rule + "\n"
            + "  }\n"
            + "  chain output {\n"
            + "    type nat hook output priority -100; policy accept;\n"
            + "    " + rule + "\n"
            + "  }\n"
            + "}\n");
    }

    @Test
    void backendsWithoutWeightGetNoRange() {
        String r = NftRuleset.render("t", SERVICE, BACKENDS, RelativeWeights.parse("shadow=1"), NumgenMode.RANDOM);
        assertThat(r).contains("map { 0-9999 : 10.0.1.2 . 8081 }").doesNotContain("10.0.0.2");
    }

    @Test
    void rangeWidthsAlwaysSumToTheModulus() {
        assertThat(NftRuleset.widths(new double[] {1, 1, 1}, 10_000)).containsExactly(3334, 3333, 3333);
        assertThat(NftRuleset.widths(new double[] {0, 2, 1}, 100)).containsExactly(0, 67, 33);
    }

    @Test
    void incModeInterleavesBackendsSoEveryRunOfConnectionsSplitsByWeight() {
        String r = NftRuleset.render("t", SERVICE, BACKENDS, RelativeWeights.parse("primary=7,shadow=3"),
            NumgenMode.INC);
        assertThat(r).contains("numgen inc mod 100 map { 0 : 10.0.0.2 . 8080, 1 : 10.0.1.2 . 8081, 2-4 : 10.0.0.2");
    }

    @Test
    void nonIpv4AddressesAndBadTableNamesAreRejected() {
        assertThatThrownBy(() -> NftRuleset.render("t", new InetSocketAddress("::1", 80), BACKENDS,
            RelativeWeights.parse("primary=1"), NumgenMode.RANDOM))
            .isInstanceOf(RedirectException.class).hasMessageContaining("(expected: IPv4)");
        assertThatThrownBy(() -> NftRuleset.render("bad name", SERVICE, BACKENDS,
            RelativeWeights.parse("primary=1"), NumgenMode.RANDOM))
            .hasMessageContaining("invalid nft table name: 'bad name'");
    }
}
