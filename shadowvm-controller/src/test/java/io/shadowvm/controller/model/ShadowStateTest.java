package io.shadowvm.controller.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShadowStateTest {
    @Test
    void theDocumentedPathsAreAllowed() {
        assertThat(ShadowState.SYNCING.canMoveTo(ShadowState.IN_SYNC)).isTrue();
        assertThat(ShadowState.IN_SYNC.canMoveTo(ShadowState.LAGGING)).isTrue();
        assertThat(ShadowState.LAGGING.canMoveTo(ShadowState.IN_SYNC)).isTrue();
        assertThat(ShadowState.IN_SYNC.canMoveTo(ShadowState.PROMOTING)).isTrue();
        assertThat(ShadowState.LAGGING.canMoveTo(ShadowState.PROMOTING)).isTrue();
        assertThat(ShadowState.PROMOTING.canMoveTo(ShadowState.PRIMARY)).isTrue();
        for (ShadowState s : ShadowState.values()) {
            if (!s.terminal()) {
                assertThat(s.canMoveTo(ShadowState.FAILED)).as(s + " -> FAILED").isTrue();
            }
        }
    }

    @Test
    void aSyncingShadowCannotBePromotedBecauseItHoldsNoWholeEpoch() {
        assertThat(ShadowState.SYNCING.promotable()).isFalse();
        assertThatThrownBy(() -> ShadowState.SYNCING.moveTo(ShadowState.PROMOTING, "web1", "h4"))
            .isInstanceOf(IllegalShadowTransitionException.class)
            .hasMessage("shadow of web1 on h4: cannot move from SYNCING to PROMOTING (allowed: IN_SYNC, LAGGING, FAILED)");
    }

    @Test
    void terminalStatesGoNowhere() {
        assertThatThrownBy(() -> ShadowState.FAILED.moveTo(ShadowState.IN_SYNC, "a", "h"))
            .hasMessageContaining("none, FAILED is terminal");
        assertThat(ShadowState.PRIMARY.canMoveTo(ShadowState.FAILED)).isFalse();
        assertThat(ShadowState.PRIMARY.canMoveTo(ShadowState.PRIMARY)).isTrue();
    }
}
