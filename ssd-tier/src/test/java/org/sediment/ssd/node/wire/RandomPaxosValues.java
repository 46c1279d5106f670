package org.sediment.ssd.node.wire;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sediment.common.key.ItemKey;
import org.sediment.ssd.node.LogRecord;
import org.sediment.ssd.paxos.AcceptorRecord;
import org.sediment.ssd.paxos.Ballot;
import org.sediment.ssd.paxos.Item;
import org.sediment.ssd.paxos.Operation;
import org.sediment.ssd.paxos.PaxosMessage;
import org.sediment.ssd.paxos.Proposal;
import org.sediment.ssd.paxos.TimelineSnapshot;
import org.sediment.ssd.paxos.VotingFence;
import org.sediment.ssd.timeline.RowChange;
import org.sediment.ssd.timeline.RequestMemory;
import org.sediment.ssd.timeline.TimelineState;
import org.sediment.ssd.timeline.TimelineUpdate;

/** Valid Paxos values, messages and log records with random contents; small unless asked. */
final class RandomPaxosValues {

    /** One generator per message kind, so tests can cover each kind on purpose. */
    static final int MESSAGE_KINDS = 14;
    static final int LOG_RECORD_KINDS = 4;

    private final SplittableRandom random;
    private final int maxValueBytes;
    private final int maxListSize;

    RandomPaxosValues(SplittableRandom random, int maxValueBytes, int maxListSize) {
        this.random = random;
        this.maxValueBytes = maxValueBytes;
        this.maxListSize = maxListSize;
    }

    PaxosMessage message() {
        return message(random.nextInt(MESSAGE_KINDS));
    }

    PaxosMessage message(int kind) {
        return message(kind, random.nextInt(5));
    }

    PaxosMessage message(int kind, int from) {
        long t = random.nextLong();
        int to = random.nextInt(5);
        long c = anyLong();
        return switch (kind) {
            case 0 -> new PaxosMessage.Prepare(t, from, to, c, anyLong(), ballot());
            case 1 -> {
                PaxosMessage.PrepareOutcome outcome = pick(PaxosMessage.PrepareOutcome.values());
                Proposal accepted = random.nextBoolean() ? proposal() : null;
                yield new PaxosMessage.PrepareReply(t, from, to, c, anyLong(), ballot(), outcome, ballot(),
                        accepted == null ? Ballot.FAST : ballot(), accepted);
            }
            case 2 -> new PaxosMessage.Accept(t, from, to, c, anyLong(), ballot(), proposal());
            case 3 -> new PaxosMessage.AcceptReply(t, from, to, c, anyLong(), ballot(),
                    pick(PaxosMessage.AcceptOutcome.values()), ballot(), random.nextBoolean() ? proposal() : null);
            case 4 -> new PaxosMessage.Learn(t, from, to, c, anyLong(), proposal());
            case 5 -> new PaxosMessage.CatchUpRequest(t, from, to, c, anyLong(), random.nextInt());
            case 6 -> {
                List<PaxosMessage.ChosenEntry> entries = new ArrayList<>();
                for (int i = random.nextInt(maxListSize + 1); i > 0; i--) {
                    entries.add(new PaxosMessage.ChosenEntry(anyLong(), proposal()));
                }
                yield new PaxosMessage.CatchUpReply(t, from, to, c, entries);
            }
            case 7 -> {
                TimelineSnapshot snapshot = snapshot();
                int parts = 1 + random.nextInt(30);
                int part = snapshot.coldLinks().isEmpty() && snapshot.state().requests().size() == 0
                        ? random.nextInt(parts) : 0;
                yield new PaxosMessage.SnapshotReply(t, from, to, c, snapshot, part, parts);
            }
            case 8 -> new PaxosMessage.ReadProbe(t, from, to, c, random.nextLong());
            case 9 -> new PaxosMessage.ReadProbeReply(t, from, to, c, random.nextLong(), anyLong(), random.nextBoolean());
            case 10 -> new PaxosMessage.FinishRequest(t, from, to, c, anyLong());
            case 11 -> new PaxosMessage.VerifyRequest(t, from, to, c, random.nextLong());
            case 12 -> {
                List<PaxosMessage.TimelineStatus> statuses = new ArrayList<>();
                for (int i = random.nextInt(maxListSize + 1); i > 0; i--) {
                    statuses.add(new PaxosMessage.TimelineStatus(random.nextLong(), anyLong(), anyLong()));
                }
                yield new PaxosMessage.VerifyReply(t, from, to, c, random.nextLong(), random.nextBoolean(), statuses,
                        anyLong());
            }
            case 13 -> new PaxosMessage.LearnAccepted(t, from, to, c, anyLong(), random.nextInt(5), random.nextLong(),
                    anyLong());
            default -> throw new IllegalArgumentException("no message kind " + kind);
        };
    }

    LogRecord logRecord() {
        return logRecord(random.nextInt(LOG_RECORD_KINDS));
    }

    LogRecord logRecord(int kind) {
        return switch (kind) {
            case 0 -> new LogRecord.Acceptor(random.nextLong(), anyLong(), acceptorRecord());
            case 1 -> new LogRecord.BallotCounter(anyLong());
            case 2 -> new LogRecord.Applied(update());
            case 3 -> new LogRecord.Voting(fence());
            default -> throw new IllegalArgumentException("no log record kind " + kind);
        };
    }

    Proposal proposal() {
        List<Operation> ops = new ArrayList<>();
        if (random.nextInt(4) == 0) {
            ops.add(operation(true)); // a conditional operation travels alone
        } else {
            for (int i = random.nextInt(Math.min(maxListSize, 8) + 1); i > 0; i--) {
                ops.add(operation(false));
            }
        }
        return new Proposal(random.nextInt(5), random.nextLong(), anyLong(), ops);
    }

    Operation operation(boolean conditional) {
        long opId = random.nextLong();
        long ifVersion = conditional ? version() : Operation.UNCONDITIONAL;
        return switch (random.nextInt(4)) {
            case 0 -> new Operation.Append(opId, ifVersion, ts(), value());
            case 1 -> new Operation.Put(opId, ifVersion, ts(), random.nextInt(), value());
            case 2 -> new Operation.Delete(opId, ifVersion, ts(), random.nextInt());
            default -> new Operation.CommitColdLink(opId, ifVersion, random.nextLong(ItemKey.MAX_TS + 2), link());
        };
    }

    AcceptorRecord acceptorRecord() {
        return switch (random.nextInt(3)) {
            case 0 -> AcceptorRecord.EMPTY;
            case 1 -> AcceptorRecord.EMPTY.promise(ballot());
            default -> {
                long accepted = ballot();
                yield new AcceptorRecord(accepted + random.nextInt(1_000), accepted, proposal());
            }
        };
    }

    VotingFence fence() {
        Map<Long, Long> entries = new HashMap<>();
        for (int i = random.nextInt(maxListSize + 1); i > 0; i--) {
            entries.put(random.nextLong(), anyLong());
        }
        return random.nextInt(4) == 0 ? VotingFence.NONE : new VotingFence(anyLong() - 1, entries, anyLong());
    }

    TimelineSnapshot snapshot() {
        List<Item> items = new ArrayList<>();
        for (int i = random.nextInt(maxListSize + 1); i > 0; i--) {
            items.add(new Item(ts(), random.nextInt(), value()));
        }
        return new TimelineSnapshot(random.nextLong(), new TimelineState(version(), links(), RequestMemory.of(remembered())),
                items);
    }

    TimelineUpdate update() {
        long timeline = random.nextLong();
        List<RowChange> changes = new ArrayList<>();
        for (int i = random.nextInt(maxListSize + 1); i > 0; i--) {
            ItemKey key = new ItemKey(timeline, ts(), random.nextInt());
            changes.add(switch (random.nextInt(5)) {
                case 0, 1 -> new RowChange.Put(key, value());
                case 2, 3 -> new RowChange.Delete(key);
                default -> new RowChange.DeleteOlderThan(timeline, ts());
            });
        }
        return new TimelineUpdate(timeline, Math.max(1, version()), changes, links(), remembered(), random.nextBoolean());
    }

    /** Remembered requests, oldest first: at most a memory's capacity. */
    List<RequestMemory.Remembered> remembered() {
        List<RequestMemory.Remembered> list = new ArrayList<>();
        for (int i = random.nextInt(Math.min(maxListSize, RequestMemory.CAPACITY) + 1); i > 0; i--) {
            long id = random.nextLong();
            list.add(new RequestMemory.Remembered(id == RequestMemory.NO_ID ? 1 : id, 1 + random.nextInt(1 << 20),
                    random.nextInt(64), pick(RequestMemory.Kind.values())));
        }
        return list;
    }

    List<byte[]> links() {
        List<byte[]> links = new ArrayList<>();
        for (int i = random.nextInt(Math.min(maxListSize, 4) + 1); i > 0; i--) {
            links.add(link());
        }
        return links;
    }

    byte[] link() {
        byte[] link = new byte[random.nextInt(80)];
        random.nextBytes(link);
        return link;
    }

    byte[] value() {
        byte[] value = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(maxValueBytes + 1)];
        random.nextBytes(value);
        return value;
    }

    long ballot() {
        return random.nextInt(5) == 0 ? Ballot.FAST : Ballot.of(1 + random.nextLong(Ballot.MAX_COUNTER), 1 + random.nextInt(5));
    }

    long ts() {
        return random.nextLong(ItemKey.MAX_TS + 1);
    }

    long version() {
        return random.nextBoolean() ? random.nextInt(100) : random.nextLong(Long.MAX_VALUE);
    }

    /** Entries, counters, committed indexes: small or anywhere in the long range. */
    long anyLong() {
        return random.nextBoolean() ? random.nextInt(1_000) : random.nextLong();
    }

    private <E> E pick(E[] values) {
        return values[random.nextInt(values.length)];
    }
}
