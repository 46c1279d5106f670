package org.sediment.common.api.ssd;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Operations push the cold groups' replica addresses to an SSD node, which keeps them to answer
 * reads of sunk data. Each route replaces the node's route of its group; groups not named keep
 * theirs, so a cluster with more routes than fit one frame sends several updates. Answered by a
 * {@link ColdRouteAck}.
 *
 * @param routes at most {@link SsdApi#MAX_ROUTES_PER_UPDATE}, one per group, fitting one frame body
 */
public record ColdRouteUpdate(List<ColdRoute> routes) {

    /** The route count. */
    public static final int EMPTY_BYTES = 4;

    public ColdRouteUpdate {
        routes = Checks.list(routes, SsdApi.MAX_ROUTES_PER_UPDATE, "routes");
        Set<Integer> groups = new HashSet<>();
        long bytes = EMPTY_BYTES;
        for (ColdRoute route : routes) {
            if (!groups.add(route.hddGroup())) {
                throw new IllegalArgumentException("cold group " + route.hddGroup() + " is routed twice");
            }
            bytes += route.encodedBytes();
        }
        Checks.fitsOneFrame(bytes, "a cold route update");
    }
}
