package io.shadowvm.cli.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.cli.ShadowVm;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ControllerCommandsTest {
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ShadowVm.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void statusWithoutAControllerSaysWhereItLookedAndExitsOne() {
        Run r = run("status", "--controller", "http://127.0.0.1:1");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("cannot reach the controller at http://127.0.0.1:1").doesNotContain("Exception");
    }

    @Test
    void vmCreateValidatesLocallyNamingTheFieldAndTheBound() {
        Run r = run("vm", "create", "web", "--vcpus", "0", "--controller", "http://127.0.0.1:1");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("vcpus: 0 (expected: 1..256)");
        Run mode = run("vm", "create", "web", "--mode", "hot", "--controller", "http://127.0.0.1:1");
        assertThat(mode.err()).contains("shadowPolicy.mode: 'hot' (expected: standby or serving)");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("vm", "create").code()).isEqualTo(2);
        assertThat(run("agent").code()).isEqualTo(2);
        assertThat(run("controller", "--bogus").code()).isEqualTo(2);
    }

    @Test
    void aControllerUrlThatIsNotHttpIsRefused() {
        Run r = run("vm", "list", "--controller", "127.0.0.1:7421");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("--controller: '127.0.0.1:7421' (expected: http://host:port)");
    }
}
