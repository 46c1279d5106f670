package org.sediment.router.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sediment.common.block.BlockLayout;
import org.sediment.router.config.GroupRoute;
import org.sediment.router.config.Member;
import org.sediment.router.config.RouteConfig;
import org.sediment.router.config.Tier;
import org.sediment.router.config.TimeSplits;

class ReadPathPolicyTest {
    private static final long HOUR = 3_600_000;
    private static final long NOW = 1_800_000_000_000L;
    private final ReadPathPolicy policy = new ReadPathPolicy();

    @Test
    void withoutAMemoryTierEveryReadGoesToTheSsdTier() {
        RouteConfig routes = routes(false, 1.0);
        assertThat(policy.tierFor(routes, NOW, NOW, 0.0)).isEqualTo(Tier.SSD);
        assertThat(policy.tierFor(routes, NOW - 1, NOW, 0.5)).isEqualTo(Tier.SSD);
    }

    @Test
    void readsInsideTheMemoryWindowFollowTheTrafficRatio() {
        RouteConfig routes = routes(true, 0.25);
        assertThat(policy.tierFor(routes, NOW, NOW, 0.0)).isEqualTo(Tier.MEMORY);
        assertThat(policy.tierFor(routes, NOW, NOW, 0.2499)).isEqualTo(Tier.MEMORY);
        assertThat(policy.tierFor(routes, NOW, NOW, 0.25)).isEqualTo(Tier.SSD);
        assertThat(policy.tierFor(routes, NOW - 24 * HOUR, NOW, 0.1)).isEqualTo(Tier.MEMORY);
    }

    @Test
    void readsOlderThanTheMemoryWindowGoToTheSsdTier() {
        RouteConfig routes = routes(true, 1.0);
        assertThat(policy.tierFor(routes, NOW - 48 * HOUR, NOW, 0.0)).isEqualTo(Tier.MEMORY);
        assertThat(policy.tierFor(routes, NOW - 48 * HOUR - 1, NOW, 0.0)).isEqualTo(Tier.SSD);
    }

    @Test
    void aRatioOfZeroSendsNothingToMemoryAndOfOneEverythingInTheWindow() {
        int memory = 0;
        for (int i = 0; i < 1_000; i++) {
            double draw = i / 1_000.0;
            memory += policy.tierFor(routes(true, 0.0), NOW, NOW, draw) == Tier.MEMORY ? 1 : 0;
            assertThat(policy.tierFor(routes(true, 1.0), NOW, NOW, draw)).isEqualTo(Tier.MEMORY);
        }
        assertThat(memory).isZero();
    }

    static RouteConfig routes(boolean memoryTier, double ratio) {
        GroupRoute ssd = new GroupRoute(0, List.of(new Member("127.0.0.1", 7000, "a"), new Member("127.0.0.1", 7001, "b"),
                new Member("127.0.0.1", 7002, "c")));
        GroupRoute memory = new GroupRoute(0, List.of(new Member("127.0.0.1", 7500, "a")));
        return new RouteConfig(1, BlockLayout.defaults(),
                memoryTier ? Map.of(Tier.SSD, List.of(ssd), Tier.MEMORY, List.of(memory)) : Map.of(Tier.SSD, List.of(ssd)),
                new TimeSplits(48 * HOUR, 90 * 24 * HOUR), ratio);
    }
}
