package org.sediment.ssd.node;

/**
 * A learner's last step before it votes again: once the core has caught up, the node checks
 * every timeline it relearned against the peers ({@link DigestAudit}) and lets it rejoin only if
 * none differs. A mismatch keeps it learner-only, with the count in its health (actuator: DOWN),
 * for an operator: its copy differs from a peer's at the same version. An audit that fails (a
 * peer unreachable, say), or leaves timelines unsettled (busy at every try), is run again a
 * second later; after {@link #AUDITS} audits, unsettled timelines no longer hold the learner
 * back, or a group that never rests could never get a replica back. Runs on a thread of its own.
 */
final class RejoinCheck implements Runnable {
    private static final System.Logger LOG = System.getLogger(RejoinCheck.class.getName());
    /** Audits a learner runs while timelines stay unsettled before it rejoins anyway. */
    static final int AUDITS = 5;

    private final SsdNode node;

    RejoinCheck(SsdNode node) {
        this.node = node;
    }

    @Override
    public void run() {
        int audits = 0;
        NodeConfig config = node.config();
        try {
            while (node.mode() == SsdNode.Mode.LEARNER) {
                ReplicaDriver driver = node.driver();
                if (!driver.awaitingRejoinCheck()) {
                    Thread.sleep(50);
                    continue;
                }
                DigestAudit.Result result;
                try {
                    result = node.auditDigests();
                } catch (RuntimeException e) {
                    result = new DigestAudit.Result(DigestAudit.State.FAILED, 0, 0, 0);
                    node.recordAudit(result);
                    LOG.log(System.Logger.Level.WARNING, "digest audit of learner " + config.nodeIndex()
                            + " failed; trying again", e);
                }
                audits++;
                if (result.state() == DigestAudit.State.DONE && result.mismatched() == 0
                        && (result.unsettled() == 0 || audits >= AUDITS)) {
                    driver.passRejoinCheck();
                    return;
                }
                if (result.mismatched() > 0) {
                    LOG.log(System.Logger.Level.ERROR, "ssd node {0} of group {1}: {2} relearned timelines differ from "
                            + "the peers''; it stays learner-only", config.nodeIndex(), config.groupId(), result.mismatched());
                    return;
                }
                Thread.sleep(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
