package org.sediment.ssd.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.sediment.common.rpc.CallOptions;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcOutcome;
import org.sediment.common.time.Clock;
import org.sediment.ssd.node.wire.GroupProbe;
import org.sediment.ssd.node.wire.GroupProbeReply;
import org.sediment.ssd.node.wire.PeerMessages;

/**
 * Formatting a data directory that does not hold this replica's state: a foreign one is moved
 * aside (never deleted), then the peers decide how it starts. If any of them holds data, this
 * replica lost its disk and formats learner-only; if none does, the group is new and it formats
 * as a voter (see {@link PeerSurvey} for when a peer's answer counts).
 */
final class NodeFormat {
    private static final System.Logger LOG = System.getLogger(NodeFormat.class.getName());

    private final NodeConfig config;
    private final RpcClient client;
    private final Clock clock;

    NodeFormat(NodeConfig config, RpcClient client, Clock clock) {
        this.config = config;
        this.client = client;
        this.clock = clock;
    }

    /**
     * Formats {@code dir} as a new incarnation of this replica; returns whether the group held
     * data (then it starts learner-only). Asks the peers until they have said for certain, or
     * until {@code stopped}.
     */
    boolean format(Path dir, NodeIdentity found, BooleanSupplier stopped) throws IOException, InterruptedException {
        moveAsideIfNotEmpty(dir, found);
        boolean groupHasData = askPeersWhetherGroupHasData(stopped);
        DurableState state = new DurableState();
        state.voting = !groupHasData;
        DurableStateFile.write(dir, 0, state.asRecords());
        NodeIdentity.newIncarnation(config).write(dir); // last: a directory with an identity is fully formatted
        return groupHasData;
    }

    private static void moveAsideIfNotEmpty(Path dir, NodeIdentity found) throws IOException {
        try (var children = Files.list(dir)) {
            if (children.findAny().isEmpty()) {
                return;
            }
        }
        Path aside = dir.resolveSibling(dir.getFileName() + ".foreign-" + System.currentTimeMillis());
        LOG.log(System.Logger.Level.WARNING, "data directory {0} holds {1}, not this replica: moved to {2}", dir,
                found == null ? "no identity" : found, aside);
        Files.move(dir, aside);
        Files.createDirectories(dir);
    }

    /**
     * Asks the peers whether the group holds data (see {@link PeerSurvey}) until they have said
     * for certain: returns true as soon as one does, false once every peer has no state or has
     * recovered its state and holds nothing (a new group, started together).
     */
    private boolean askPeersWhetherGroupHasData(BooleanSupplier stopped) throws InterruptedException {
        PeerSurvey survey = new PeerSurvey(config.groupId(), config.nodeIndex(), config.members().size());
        long loggedAt = clock.monotonicNanos();
        while (true) {
            if (stopped.getAsBoolean()) {
                throw new IllegalStateException("stopped while asking peers whether the group holds data");
            }
            for (int peer : survey.unsettled()) {
                RpcOutcome<GroupProbeReply> outcome = client.call(config.peers().get(peer),
                        PeerMessages.GROUP_PROBE, new GroupProbe(config.groupId(), config.nodeIndex()),
                        CallOptions.of(0, 1_000)).join();
                if (outcome instanceof RpcOutcome.Success<GroupProbeReply> s) {
                    survey.answer(peer, s.body());
                    if (survey.verdict() == PeerSurvey.Verdict.GROUP_HAS_DATA) {
                        LOG.log(System.Logger.Level.WARNING, "node {0}: no state of its own while peer {1} holds data "
                                + "({2} timelines): starting learner-only", config.nodeIndex(), peer, s.body().timelines());
                        return true;
                    }
                }
            }
            if (survey.verdict() == PeerSurvey.Verdict.NEW_GROUP) {
                return false;
            }
            if (clock.monotonicNanos() - loggedAt > TimeUnit.SECONDS.toNanos(10)) {
                LOG.log(System.Logger.Level.INFO, "node {0}: waiting for peers {1} to say whether the group holds data "
                        + "before formatting", config.nodeIndex(), survey.unsettled());
                loggedAt = clock.monotonicNanos();
            }
            Thread.sleep(100);
        }
    }
}
