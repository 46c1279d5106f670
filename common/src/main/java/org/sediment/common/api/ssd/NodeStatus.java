package org.sediment.common.api.ssd;

import org.sediment.common.wire.WireFields;

/**
 * One SSD node as it sees itself.
 *
 * @param mode          STARTING, LEARNER (lost its disk: learns, does not vote), VOTING, FAILED or STOPPED
 * @param routeVersion  the route version the node follows (0 when it is told no routes)
 * @param dataBytes     bytes under its data directory
 * @param coreTimelines timelines whose Paxos state its core keeps now
 * @param logRecords    records written to its log since start
 */
public record NodeStatus(long groupId, int nodeIndex, String mode, long routeVersion, long dataBytes,
                         int coreTimelines, long logRecords) {
    public static final int MAX_MODE_BYTES = 32;

    public NodeStatus {
        Checks.notNull(mode, "mode");
        mode = WireFields.clip(mode, MAX_MODE_BYTES);
    }
}
