package org.sediment.ssd.node.wire;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sediment.common.key.ItemKey;
import org.sediment.common.wire.WireException;
import org.sediment.common.wire.WireFields;
import org.sediment.ssd.paxos.AcceptorRecord;
import org.sediment.ssd.paxos.Ballot;
import org.sediment.ssd.paxos.Item;
import org.sediment.ssd.paxos.Operation;
import org.sediment.ssd.paxos.PaxosMessage;
import org.sediment.ssd.paxos.Proposal;
import org.sediment.ssd.paxos.TimelineSnapshot;
import org.sediment.ssd.paxos.VotingFence;
import org.sediment.ssd.timeline.RequestMemory;
import org.sediment.ssd.timeline.TimelineState;

/**
 * Binary form of the Paxos core's values and messages, for peer frames and the node's log. It
 * lives outside {@code ssd/paxos} so the core stays free of Netty.
 *
 * <p>Layout: fields in record order, big endian; sealed variants and nullable values behind a
 * tag or presence byte; enums as one ordinal byte; lists as a 32-bit count; byte arrays as a
 * 32-bit length. Maps are written sorted by key, so equal values encode to equal bytes.
 *
 * <p>Reads parse untrusted bytes: every count and length is checked against its limit and the
 * bytes left before anything is allocated, and contents the core's records would only
 * {@code assert} (a conditional operation batched with others, an accepted value above the
 * promise) are rejected here, so hostile input never reaches an assertion. Failures are
 * {@link WireException#badBody} (bad content), {@link IllegalArgumentException} (from a record's
 * constructor) or {@link IndexOutOfBoundsException} (too short), as {@code MessageCodec} expects.
 */
public final class PaxosCodec {

    public static final int MAX_OPS_PER_PROPOSAL = 4_096;
    public static final int MAX_SNAPSHOT_ITEMS = 1_000_000;
    /** Parts of one snapshot: 2 MiB parts of a 32 MiB timeline need 16; this bounds a receiver's table. */
    public static final int MAX_SNAPSHOT_PARTS = 1 << 12;
    /** Above the SSD API's value limit, so every value a client may write passes. */
    public static final int MAX_VALUE_BYTES = 1 << 20;
    public static final int MAX_COLD_LINKS = TimelineState.MAX_COLD_LINKS;
    public static final int MAX_COLD_LINK_BYTES = TimelineState.MAX_LINK_BYTES;
    public static final int MAX_CATCH_UP_ENTRIES = 1 << 16;
    /** A verify reply lists every timeline the replier holds; a frame bounds it well below this. */
    public static final int MAX_TIMELINE_STATUSES = 1 << 22;
    public static final int MAX_FENCED_TIMELINES = 1 << 22;
    /** An entry remembers at most one request per operation; a state at most its capacity. */
    public static final int MAX_REMEMBERED = Math.max(RequestMemory.CAPACITY, MAX_OPS_PER_PROPOSAL);
    private static final RequestMemory.Kind[] REQUEST_KINDS = RequestMemory.Kind.values();

    /** Smallest encodings, for bounding a count by the bytes left. */
    private static final int MIN_OPERATION_BYTES = 1 + 8 + 8 + 8 + 4;
    private static final int MIN_PROPOSAL_BYTES = 4 + 8 + 8 + 4;
    private static final int MIN_ITEM_BYTES = 8 + 4 + 4;
    private static final int MIN_COLD_LINK_BYTES = 4;
    private static final int MIN_CHOSEN_ENTRY_BYTES = 8 + MIN_PROPOSAL_BYTES;
    private static final int TIMELINE_STATUS_BYTES = 8 + 8 + 8;
    private static final int FENCE_ENTRY_BYTES = 8 + 8;
    // values() copies its array on every call, and every accept reply decodes one of these.
    private static final PaxosMessage.PrepareOutcome[] PREPARE_OUTCOMES = PaxosMessage.PrepareOutcome.values();
    private static final PaxosMessage.AcceptOutcome[] ACCEPT_OUTCOMES = PaxosMessage.AcceptOutcome.values();
    static final int MIN_MESSAGE_BYTES = 1 + 8 + 4 + 4 + 8;

    // Tags are part of the format: never renumber, only add.
    private static final int APPEND = 1;
    private static final int PUT = 2;
    private static final int DELETE = 3;
    private static final int COMMIT_COLD_LINK = 4;

    private static final int PREPARE = 1;
    private static final int PREPARE_REPLY = 2;
    private static final int ACCEPT = 3;
    private static final int ACCEPT_REPLY = 4;
    private static final int LEARN = 5;
    private static final int CATCH_UP_REQUEST = 6;
    private static final int CATCH_UP_REPLY = 7;
    private static final int SNAPSHOT_REPLY = 8;
    private static final int READ_PROBE = 9;
    private static final int READ_PROBE_REPLY = 10;
    private static final int FINISH_REQUEST = 11;
    private static final int VERIFY_REQUEST = 12;
    private static final int VERIFY_REPLY = 13;
    private static final int LEARN_ACCEPTED = 14;

    private PaxosCodec() {
    }

    // --- operations and proposals

    public static void writeOperation(Operation op, ByteBuf out) {
        switch (op) {
            case Operation.Append a -> {
                writeOpHeader(out, APPEND, a);
                out.writeLong(a.ts());
                WireFields.writeBytes(out, a.value(), MAX_VALUE_BYTES);
            }
            case Operation.Put p -> {
                writeOpHeader(out, PUT, p);
                out.writeLong(p.ts());
                out.writeInt(p.seq());
                WireFields.writeBytes(out, p.value(), MAX_VALUE_BYTES);
            }
            case Operation.Delete d -> {
                writeOpHeader(out, DELETE, d);
                out.writeLong(d.ts());
                out.writeInt(d.seq());
            }
            case Operation.CommitColdLink c -> {
                writeOpHeader(out, COMMIT_COLD_LINK, c);
                out.writeLong(c.coldBeforeTs());
                WireFields.writeBytes(out, c.link(), MAX_COLD_LINK_BYTES);
            }
        }
    }

    public static Operation readOperation(ByteBuf in) {
        int tag = in.readUnsignedByte();
        long opId = in.readLong();
        long ifVersion = in.readLong();
        if (ifVersion < Operation.UNCONDITIONAL) {
            throw WireException.badBody("operation ifVersion " + ifVersion + " below " + Operation.UNCONDITIONAL);
        }
        return switch (tag) {
            case APPEND -> {
                long ts = readTs(in);
                yield new Operation.Append(opId, ifVersion, ts, WireFields.readBytes(in, MAX_VALUE_BYTES));
            }
            case PUT -> {
                long ts = readTs(in);
                int seq = in.readInt();
                yield new Operation.Put(opId, ifVersion, ts, seq, WireFields.readBytes(in, MAX_VALUE_BYTES));
            }
            case DELETE -> {
                long ts = readTs(in);
                yield new Operation.Delete(opId, ifVersion, ts, in.readInt());
            }
            case COMMIT_COLD_LINK -> {
                long coldBeforeTs = in.readLong();
                if (coldBeforeTs < ItemKey.MIN_TS || coldBeforeTs > ItemKey.MAX_TS + 1) {
                    throw WireException.badBody("coldBeforeTs " + coldBeforeTs + " out of range");
                }
                yield new Operation.CommitColdLink(opId, ifVersion, coldBeforeTs,
                        WireFields.readBytes(in, MAX_COLD_LINK_BYTES));
            }
            default -> throw WireException.badBody("unknown operation tag " + tag);
        };
    }

    public static void writeProposal(Proposal proposal, ByteBuf out) {
        out.writeInt(proposal.proposer());
        out.writeLong(proposal.runId());
        out.writeLong(proposal.seq());
        WireFields.writeCount(out, proposal.ops().size(), MAX_OPS_PER_PROPOSAL, "operation");
        for (Operation op : proposal.ops()) {
            writeOperation(op, out);
        }
    }

    public static Proposal readProposal(ByteBuf in) {
        int proposer = in.readInt();
        long runId = in.readLong();
        long seq = in.readLong();
        int count = WireFields.readCount(in, MAX_OPS_PER_PROPOSAL, MIN_OPERATION_BYTES, "operation");
        List<Operation> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ops.add(readOperation(in));
        }
        if (count > 1 && ops.stream().anyMatch(Operation::conditional)) {
            throw WireException.badBody("a conditional operation must be proposed alone, got " + count + " ops");
        }
        return new Proposal(proposer, runId, seq, ops);
    }

    // --- applied state

    public static void writeItem(Item item, ByteBuf out) {
        out.writeLong(item.ts());
        out.writeInt(item.seq());
        WireFields.writeBytes(out, item.value(), MAX_VALUE_BYTES);
    }

    public static Item readItem(ByteBuf in) {
        long ts = readTs(in);
        int seq = in.readInt();
        return new Item(ts, seq, WireFields.readBytes(in, MAX_VALUE_BYTES));
    }

    public static void writeSnapshot(TimelineSnapshot snapshot, ByteBuf out) {
        out.writeLong(snapshot.timeline());
        out.writeLong(snapshot.version());
        out.writeLong(snapshot.state().written());
        WireFields.writeCount(out, snapshot.items().size(), MAX_SNAPSHOT_ITEMS, "snapshot item");
        for (Item item : snapshot.items()) {
            writeItem(item, out);
        }
        writeColdLinks(snapshot.coldLinks(), out);
        writeRemembered(snapshot.state().requests().entries(), out);
    }

    public static TimelineSnapshot readSnapshot(ByteBuf in) {
        long timeline = in.readLong();
        long version = readVersion(in);
        long written = in.readLong();
        if (written < 0 || written > version) {
            throw WireException.badBody("snapshot written entry " + written + " outside [0, " + version + "]");
        }
        int count = WireFields.readCount(in, MAX_SNAPSHOT_ITEMS, MIN_ITEM_BYTES, "snapshot item");
        List<Item> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(readItem(in));
        }
        List<byte[]> links = readColdLinks(in);
        RequestMemory requests = RequestMemory.of(readRemembered(in));
        return new TimelineSnapshot(timeline, new TimelineState(version, links, requests, written), items);
    }

    /** A timeline's cold links as its state keeps them (opaque, oldest first). */
    public static void writeColdLinks(List<byte[]> links, ByteBuf out) {
        WireFields.writeCount(out, links.size(), MAX_COLD_LINKS, "cold link");
        for (byte[] link : links) {
            WireFields.writeBytes(out, link, MAX_COLD_LINK_BYTES);
        }
    }

    public static List<byte[]> readColdLinks(ByteBuf in) {
        int count = WireFields.readCount(in, MAX_COLD_LINKS, MIN_COLD_LINK_BYTES, "cold link");
        List<byte[]> links = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            links.add(WireFields.readBytes(in, MAX_COLD_LINK_BYTES));
        }
        return links;
    }

    /** Remembered requests of a timeline (all of them, or what one update adds), oldest first. */
    public static void writeRemembered(List<RequestMemory.Remembered> remembered, ByteBuf out) {
        WireFields.writeCount(out, remembered.size(), MAX_REMEMBERED, "remembered request");
        for (RequestMemory.Remembered r : remembered) {
            out.writeLong(r.requestId());
            out.writeLong(r.entry());
            out.writeByte(r.index());
            WireFields.writeEnum(out, r.kind());
        }
    }

    public static List<RequestMemory.Remembered> readRemembered(ByteBuf in) {
        int count = WireFields.readCount(in, MAX_REMEMBERED, RequestMemory.ENTRY_BYTES, "remembered request");
        List<RequestMemory.Remembered> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long id = in.readLong();
            long entry = in.readLong();
            int index = in.readUnsignedByte();
            list.add(new RequestMemory.Remembered(id, entry, index, WireFields.readEnum(in, REQUEST_KINDS, "request kind")));
        }
        return list;
    }

    /** A timeline version: the index of its last applied entry, never negative. */
    public static long readVersion(ByteBuf in) {
        long version = in.readLong();
        if (version < 0) {
            throw WireException.badBody("version " + version + " is negative");
        }
        return version;
    }

    // --- durable acceptor and voting state

    public static void writeAcceptorRecord(AcceptorRecord record, ByteBuf out) {
        out.writeLong(record.promised());
        out.writeLong(record.acceptedBallot());
        writeNullableProposal(record.accepted(), out);
    }

    public static AcceptorRecord readAcceptorRecord(ByteBuf in) {
        long promised = in.readLong();
        long acceptedBallot = in.readLong();
        Proposal accepted = readNullableProposal(in);
        if (accepted == null ? acceptedBallot != Ballot.FAST : acceptedBallot > promised) {
            throw WireException.badBody("acceptor record accepted at " + Ballot.format(acceptedBallot)
                    + (accepted == null ? " without a value" : " above its promise " + Ballot.format(promised)));
        }
        return new AcceptorRecord(promised, acceptedBallot, accepted);
    }

    public static void writeVotingFence(VotingFence fence, ByteBuf out) {
        out.writeLong(fence.ballotCounterFloor());
        out.writeLong(fence.defaultFenceEntry());
        Map<Long, Long> entries = fence.fenceEntryByTimeline();
        WireFields.writeCount(out, entries.size(), MAX_FENCED_TIMELINES, "fenced timeline");
        for (Long timeline : entries.keySet().stream().sorted().toList()) {
            out.writeLong(timeline);
            out.writeLong(entries.get(timeline));
        }
    }

    public static VotingFence readVotingFence(ByteBuf in) {
        long ballotCounterFloor = in.readLong();
        long defaultFenceEntry = in.readLong();
        int count = WireFields.readCount(in, MAX_FENCED_TIMELINES, FENCE_ENTRY_BYTES, "fenced timeline");
        Map<Long, Long> entries = new HashMap<>(count * 2);
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            long timeline = in.readLong();
            if (i > 0 && timeline <= previous) {
                throw WireException.badBody("fenced timelines must be strictly ascending: " + timeline
                        + " after " + previous);
            }
            entries.put(timeline, in.readLong());
            previous = timeline;
        }
        return new VotingFence(ballotCounterFloor, entries, defaultFenceEntry);
    }

    // --- messages

    public static void writeMessage(PaxosMessage message, ByteBuf out) {
        switch (message) {
            case PaxosMessage.Prepare m -> {
                writeMessageHeader(out, PREPARE, m);
                out.writeLong(m.entry());
                out.writeLong(m.ballot());
            }
            case PaxosMessage.PrepareReply m -> {
                writeMessageHeader(out, PREPARE_REPLY, m);
                out.writeLong(m.entry());
                out.writeLong(m.ballot());
                WireFields.writeEnum(out, m.outcome());
                out.writeLong(m.hintBallot());
                out.writeLong(m.acceptedBallot());
                writeNullableProposal(m.accepted(), out);
            }
            case PaxosMessage.Accept m -> {
                writeMessageHeader(out, ACCEPT, m);
                out.writeLong(m.entry());
                out.writeLong(m.ballot());
                writeProposal(m.value(), out);
            }
            case PaxosMessage.AcceptReply m -> {
                writeMessageHeader(out, ACCEPT_REPLY, m);
                out.writeLong(m.entry());
                out.writeLong(m.ballot());
                WireFields.writeEnum(out, m.outcome());
                out.writeLong(m.hintBallot());
                writeNullableProposal(m.chosen(), out);
            }
            case PaxosMessage.Learn m -> {
                writeMessageHeader(out, LEARN, m);
                out.writeLong(m.entry());
                writeProposal(m.value(), out);
            }
            case PaxosMessage.LearnAccepted m -> {
                writeMessageHeader(out, LEARN_ACCEPTED, m);
                out.writeLong(m.entry());
                out.writeInt(m.proposer());
                out.writeLong(m.runId());
                out.writeLong(m.proposalSeq());
            }
            case PaxosMessage.CatchUpRequest m -> {
                writeMessageHeader(out, CATCH_UP_REQUEST, m);
                out.writeLong(m.fromEntry());
                out.writeInt(m.maxEntries());
            }
            case PaxosMessage.CatchUpReply m -> {
                writeMessageHeader(out, CATCH_UP_REPLY, m);
                WireFields.writeCount(out, m.entries().size(), MAX_CATCH_UP_ENTRIES, "catch-up entry");
                for (PaxosMessage.ChosenEntry entry : m.entries()) {
                    out.writeLong(entry.entry());
                    writeProposal(entry.value(), out);
                }
            }
            case PaxosMessage.SnapshotReply m -> {
                writeMessageHeader(out, SNAPSHOT_REPLY, m);
                out.writeInt(m.part());
                out.writeInt(m.parts());
                writeSnapshot(m.snapshot(), out);
            }
            case PaxosMessage.ReadProbe m -> {
                writeMessageHeader(out, READ_PROBE, m);
                out.writeLong(m.probeId());
            }
            case PaxosMessage.ReadProbeReply m -> {
                writeMessageHeader(out, READ_PROBE_REPLY, m);
                out.writeLong(m.probeId());
                out.writeLong(m.maxKnownEntry());
                out.writeBoolean(m.voting());
            }
            case PaxosMessage.FinishRequest m -> {
                writeMessageHeader(out, FINISH_REQUEST, m);
                out.writeLong(m.upToEntry());
            }
            case PaxosMessage.VerifyRequest m -> {
                writeMessageHeader(out, VERIFY_REQUEST, m);
                out.writeLong(m.requestId());
            }
            case PaxosMessage.VerifyReply m -> {
                writeMessageHeader(out, VERIFY_REPLY, m);
                out.writeLong(m.requestId());
                out.writeBoolean(m.voting());
                WireFields.writeCount(out, m.timelines().size(), MAX_TIMELINE_STATUSES, "timeline status");
                for (PaxosMessage.TimelineStatus status : m.timelines()) {
                    out.writeLong(status.timeline());
                    out.writeLong(status.committed());
                    out.writeLong(status.maxKnownEntry());
                }
                out.writeLong(m.maxBallotCounter());
            }
        }
    }

    public static PaxosMessage readMessage(ByteBuf in) {
        int tag = in.readUnsignedByte();
        long timeline = in.readLong();
        int from = in.readInt();
        int to = in.readInt();
        long committed = in.readLong();
        return switch (tag) {
            case PREPARE -> new PaxosMessage.Prepare(timeline, from, to, committed, in.readLong(), in.readLong());
            case PREPARE_REPLY -> {
                long entry = in.readLong();
                long ballot = in.readLong();
                PaxosMessage.PrepareOutcome outcome =
                        WireFields.readEnum(in, PREPARE_OUTCOMES, "prepare outcome");
                long hintBallot = in.readLong();
                long acceptedBallot = in.readLong();
                yield new PaxosMessage.PrepareReply(timeline, from, to, committed, entry, ballot, outcome, hintBallot,
                        acceptedBallot, readNullableProposal(in));
            }
            case ACCEPT -> {
                long entry = in.readLong();
                long ballot = in.readLong();
                yield new PaxosMessage.Accept(timeline, from, to, committed, entry, ballot, readProposal(in));
            }
            case ACCEPT_REPLY -> {
                long entry = in.readLong();
                long ballot = in.readLong();
                PaxosMessage.AcceptOutcome outcome =
                        WireFields.readEnum(in, ACCEPT_OUTCOMES, "accept outcome");
                long hintBallot = in.readLong();
                yield new PaxosMessage.AcceptReply(timeline, from, to, committed, entry, ballot, outcome, hintBallot,
                        readNullableProposal(in));
            }
            case LEARN -> {
                long entry = in.readLong();
                yield new PaxosMessage.Learn(timeline, from, to, committed, entry, readProposal(in));
            }
            case LEARN_ACCEPTED -> new PaxosMessage.LearnAccepted(timeline, from, to, committed, in.readLong(),
                    in.readInt(), in.readLong(), in.readLong());
            case CATCH_UP_REQUEST ->
                    new PaxosMessage.CatchUpRequest(timeline, from, to, committed, in.readLong(), in.readInt());
            case CATCH_UP_REPLY -> new PaxosMessage.CatchUpReply(timeline, from, to, committed, readChosenEntries(in));
            case SNAPSHOT_REPLY -> {
                int part = in.readInt();
                int parts = in.readInt();
                if (parts < 1 || parts > MAX_SNAPSHOT_PARTS || part < 0 || part >= parts) {
                    throw WireException.badBody("snapshot part " + part + " of " + parts + " (at most "
                            + MAX_SNAPSHOT_PARTS + " parts)");
                }
                yield new PaxosMessage.SnapshotReply(timeline, from, to, committed, readSnapshot(in), part, parts);
            }
            case READ_PROBE -> new PaxosMessage.ReadProbe(timeline, from, to, committed, in.readLong());
            case READ_PROBE_REPLY -> {
                long probeId = in.readLong();
                long maxKnownEntry = in.readLong();
                yield new PaxosMessage.ReadProbeReply(timeline, from, to, committed, probeId, maxKnownEntry,
                        WireFields.readBoolean(in, "voting"));
            }
            case FINISH_REQUEST -> new PaxosMessage.FinishRequest(timeline, from, to, committed, in.readLong());
            case VERIFY_REQUEST -> new PaxosMessage.VerifyRequest(timeline, from, to, committed, in.readLong());
            case VERIFY_REPLY -> {
                long requestId = in.readLong();
                boolean voting = WireFields.readBoolean(in, "voting");
                List<PaxosMessage.TimelineStatus> statuses = readTimelineStatuses(in);
                yield new PaxosMessage.VerifyReply(timeline, from, to, committed, requestId, voting, statuses,
                        in.readLong());
            }
            default -> throw WireException.badBody("unknown Paxos message tag " + tag);
        };
    }

    // --- helpers

    private static void writeOpHeader(ByteBuf out, int tag, Operation op) {
        out.writeByte(tag);
        out.writeLong(op.opId());
        out.writeLong(op.ifVersion());
    }

    private static void writeMessageHeader(ByteBuf out, int tag, PaxosMessage m) {
        out.writeByte(tag);
        out.writeLong(m.timeline());
        out.writeInt(m.from());
        out.writeInt(m.to());
        out.writeLong(m.senderCommitted());
    }

    private static void writeNullableProposal(Proposal proposal, ByteBuf out) {
        out.writeBoolean(proposal != null);
        if (proposal != null) {
            writeProposal(proposal, out);
        }
    }

    private static Proposal readNullableProposal(ByteBuf in) {
        return WireFields.readBoolean(in, "proposal presence") ? readProposal(in) : null;
    }

    /** Item times are checked here because an out-of-range one would fail only later, at apply. */
    private static long readTs(ByteBuf in) {
        long ts = in.readLong();
        if (ts < ItemKey.MIN_TS || ts > ItemKey.MAX_TS) {
            throw WireException.badBody("ts " + ts + " out of range [" + ItemKey.MIN_TS + ", " + ItemKey.MAX_TS + "]");
        }
        return ts;
    }

    private static List<PaxosMessage.ChosenEntry> readChosenEntries(ByteBuf in) {
        int count = WireFields.readCount(in, MAX_CATCH_UP_ENTRIES, MIN_CHOSEN_ENTRY_BYTES, "catch-up entry");
        List<PaxosMessage.ChosenEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long entry = in.readLong();
            entries.add(new PaxosMessage.ChosenEntry(entry, readProposal(in)));
        }
        return entries;
    }

    private static List<PaxosMessage.TimelineStatus> readTimelineStatuses(ByteBuf in) {
        int count = WireFields.readCount(in, MAX_TIMELINE_STATUSES, TIMELINE_STATUS_BYTES, "timeline status");
        List<PaxosMessage.TimelineStatus> statuses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            statuses.add(new PaxosMessage.TimelineStatus(in.readLong(), in.readLong(), in.readLong()));
        }
        return statuses;
    }
}
