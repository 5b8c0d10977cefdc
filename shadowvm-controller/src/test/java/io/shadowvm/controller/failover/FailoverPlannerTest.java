package io.shadowvm.controller.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.shadowvm.controller.command.AgentAction;
import io.shadowvm.controller.model.ShadowReplica;
import io.shadowvm.controller.model.ShadowState;
import io.shadowvm.controller.model.VmPhase;
import io.shadowvm.controller.model.VmPlacement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FailoverPlannerTest {
    static ShadowReplica shadow(String host, ShadowState state, long acked, long lag) {
        return new ShadowReplica(host, state, acked, lag, false, host + ":9000");
    }

    static VmPlacement vm(String name, String primary, long primaryEpoch, ShadowReplica... shadows) {
        return new VmPlacement(name, VmPhase.RUNNING, primary, 1, primaryEpoch, primary + ":8080", List.of(shadows), 0);
    }

    @Test
    void shouldPromoteTheShadowWithTheHighestAcknowledgedEpoch() {
        VmPlacement web = vm("web", "h1", 42, shadow("h4", ShadowState.IN_SYNC, 40, 10),
            shadow("h7", ShadowState.LAGGING, 41, 900));
        FailoverPlanner.Plan plan = FailoverPlanner.plan("h1", 2, Map.of("web", web), Set.of("h1"));
        assertThat(plan.failovers()).containsExactly(new FailoverPlanner.VmFailover("web", "h1", "h7", 2, 41, 1));
        VmPlacement next = plan.updated().get("web");
        assertThat(next.phase()).isEqualTo(VmPhase.FAILING_OVER);
        assertThat(next.generation()).isEqualTo(2);
        assertThat(next.shadowOn("h7").state()).isEqualTo(ShadowState.PROMOTING);
        assertThat(next.shadowOn("h4").state()).isEqualTo(ShadowState.IN_SYNC);
        assertThat(plan.actions()).containsExactly(
            new AgentAction.Fence("h1", 2, List.of("web"), "host h1 was declared dead; fencing epoch 2"),
            new AgentAction.Promote("h7", "web", 2, 41));
    }

    @Test
    void onEqualEpochsAnInSyncShadowWinsOverALaggingOne() {
        VmPlacement web = vm("web", "h1", 10, shadow("h7", ShadowState.LAGGING, 9, 900),
            shadow("h4", ShadowState.IN_SYNC, 9, 100));
        assertThat(FailoverPlanner.plan("h1", 1, Map.of("web", web), Set.of()).failovers().get(0).promotedHost())
            .isEqualTo("h4");
    }

    @Test
    void aVmWhoseOnlyShadowIsStillSyncingIsLost() {
        VmPlacement web = vm("web", "h1", 3, shadow("h4", ShadowState.SYNCING, 0, 0));
        FailoverPlanner.Plan plan = FailoverPlanner.plan("h1", 1, Map.of("web", web), Set.of());
        assertThat(plan.lost()).containsExactly("web");
        assertThat(plan.updated().get("web").phase()).isEqualTo(VmPhase.LOST);
        assertThat(plan.actions()).hasSize(1).first().isInstanceOf(AgentAction.Fence.class);
    }

    @Test
    void aShadowOnASuspectHostIsNotPromoted() {
        VmPlacement web = vm("web", "h1", 5, shadow("h4", ShadowState.IN_SYNC, 5, 0),
            shadow("h7", ShadowState.IN_SYNC, 4, 0));
        assertThat(FailoverPlanner.plan("h1", 1, Map.of("web", web), Set.of("h4")).failovers().get(0).promotedHost())
            .isEqualTo("h7");
    }

    @Test
    void shadowsOnTheDeadHostFailAndTheirPrimariesAreUntouched() {
        VmPlacement db = vm("db", "h2", 7, shadow("h1", ShadowState.IN_SYNC, 7, 0));
        FailoverPlanner.Plan plan = FailoverPlanner.plan("h1", 3, Map.of("db", db), Set.of());
        assertThat(plan.failovers()).isEmpty();
        VmPlacement next = plan.updated().get("db");
        assertThat(next.primaryHost()).isEqualTo("h2");
        assertThat(next.phase()).isEqualTo(VmPhase.RUNNING);
        assertThat(next.shadowOn("h1").state()).isEqualTo(ShadowState.FAILED);
        assertThat(next.countedShadows()).isZero();
        assertThat(((AgentAction.Fence) plan.actions().get(0)).vms()).isEmpty();
    }

    @Test
    void completingAPromotionMakesTheShadowThePrimaryAndRestartsTheOthersOnTheNewGeneration() {
        VmPlacement web = vm("web", "h1", 42, shadow("h4", ShadowState.IN_SYNC, 40, 10),
            shadow("h7", ShadowState.IN_SYNC, 41, 10));
        VmPlacement promoting = FailoverPlanner.plan("h1", 2, Map.of("web", web), Set.of()).updated().get("web");
        VmPlacement done = FailoverPlanner.completePromotion(promoting, "h7", 41, "h7:8080");
        assertThat(done.phase()).isEqualTo(VmPhase.RUNNING);
        assertThat(done.primaryHost()).isEqualTo("h7");
        assertThat(done.primaryEpoch()).isEqualTo(41);
        assertThat(done.generation()).isEqualTo(2);
        assertThat(done.shadows()).extracting(ShadowReplica::host).containsExactly("h4");
        assertThat(done.shadows().get(0).state()).isEqualTo(ShadowState.SYNCING);
    }

    @Test
    void aFailedPromotionTriesTheNextBestShadow() {
        VmPlacement web = vm("web", "h1", 42, shadow("h4", ShadowState.IN_SYNC, 40, 10),
            shadow("h7", ShadowState.IN_SYNC, 41, 10));
        VmPlacement promoting = FailoverPlanner.plan("h1", 2, Map.of("web", web), Set.of()).updated().get("web");
        FailoverPlanner.Plan retry = FailoverPlanner.promotionFailed(promoting, "h7", "h1", Set.of());
        assertThat(retry.failovers()).containsExactly(new FailoverPlanner.VmFailover("web", "h1", "h4", 3, 40, 2));
        assertThat(retry.updated().get("web").shadowOn("h7").state()).isEqualTo(ShadowState.FAILED);
    }

    @Test
    void aDeadGuestOnALiveHostFailsOverThatVmAloneStoppingItsOldGenerationAndPromotingItsBestShadow() {
        VmPlacement web = vm("web", "h1", 42, shadow("h4", ShadowState.IN_SYNC, 40, 10),
            shadow("h7", ShadowState.IN_SYNC, 41, 10));
        FailoverPlanner.Plan plan = FailoverPlanner.planVmDeath(web, "h1", Set.of(), "guest exited");
        assertThat(plan.failovers()).containsExactly(new FailoverPlanner.VmFailover("web", "h1", "h7", 2, 41, 1));
        VmPlacement next = plan.updated().get("web");
        assertThat(next.phase()).isEqualTo(VmPhase.FAILING_OVER);
        assertThat(next.generation()).isEqualTo(2);
        assertThat(next.shadowOn("h7").state()).isEqualTo(ShadowState.PROMOTING);
        assertThat(plan.actions()).containsExactly(new AgentAction.StopVm("h1", "web", 1, "guest exited"),
            new AgentAction.Promote("h7", "web", 2, 41));
        assertThat(plan.actions()).noneMatch(a -> a instanceof AgentAction.Fence);
    }

    @Test
    void aDeadGuestWithoutAPromotableShadowIsLostAndStillStopped() {
        VmPlacement web = vm("web", "h1", 42, shadow("h4", ShadowState.SYNCING, 0, 0));
        FailoverPlanner.Plan plan = FailoverPlanner.planVmDeath(web, "h1", Set.of(), "guest exited");
        assertThat(plan.lost()).containsExactly("web");
        assertThat(plan.updated().get("web").phase()).isEqualTo(VmPhase.LOST);
        assertThat(plan.actions()).containsExactly(new AgentAction.StopVm("h1", "web", 1, "guest exited"));
    }

    @Test
    void whenTheHostOfAShadowBeingPromotedDiesTheNextBestShadowIsPromotedUnderANewGeneration() {
        VmPlacement web = new VmPlacement("web", VmPhase.FAILING_OVER, "h1", 2, 42, "h1:8080", List.of(
            shadow("h4", ShadowState.PROMOTING, 41, 10), shadow("h7", ShadowState.IN_SYNC, 40, 10)), 0);
        FailoverPlanner.Plan plan = FailoverPlanner.plan("h4", 3, Map.of("web", web), Set.of("h1", "h4"));
        VmPlacement next = plan.updated().get("web");
        assertThat(next.shadowOn("h4").state()).isEqualTo(ShadowState.FAILED);
        assertThat(next.shadowOn("h7").state()).isEqualTo(ShadowState.PROMOTING);
        assertThat(next.generation()).isEqualTo(3);
        assertThat(next.phase()).isEqualTo(VmPhase.FAILING_OVER);
        assertThat(plan.failovers()).containsExactly(new FailoverPlanner.VmFailover("web", "h1", "h7", 3, 40, 2));
        assertThat(plan.actions()).contains(new AgentAction.Promote("h7", "web", 3, 40));
    }

    @Test
    void whenTheHostOfTheOnlyShadowBeingPromotedDiesTheVmIsLostInsteadOfWaitingForever() {
        VmPlacement web = new VmPlacement("web", VmPhase.FAILING_OVER, "h1", 2, 42, "h1:8080", List.of(
            shadow("h4", ShadowState.PROMOTING, 41, 10)), 0);
        FailoverPlanner.Plan plan = FailoverPlanner.plan("h4", 3, Map.of("web", web), Set.of("h1", "h4"));
        assertThat(plan.lost()).containsExactly("web");
        assertThat(plan.updated().get("web").phase()).isEqualTo(VmPhase.LOST);
    }
}
