package org.sediment.ssd.paxos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sediment.ssd.timeline.RequestMemory;
import org.sediment.ssd.timeline.TimelineState;

/**
 * Splits a snapshot into parts that each fit a frame, and puts the parts a replica receives
 * back together. A snapshot is taken whole, at one version, on the sender's core thread, so its
 * parts are consistent with each other however long they travel.
 *
 * <p>Parts may be lost, duplicated or reordered like any message. The receiver keeps, per
 * timeline, the parts of one snapshot version; parts of that version from any sender fit
 * together, since every replica's applied state at one version is the same. A part of a newer
 * snapshot starts over; a part of an older one is dropped. A lost part leaves the assembly
 * incomplete until the catch-up retry asks again, and a sender then sends every part anew.
 */
final class SnapshotParts {

    /** The parts of one snapshot version received so far. */
    private static final class Assembly {
        final long version;
        final List<List<Item>> runs;
        /** The whole state, from part 0; until then the version only. */
        TimelineState state;
        int received;

        Assembly(long version, int parts) {
            this.version = version;
            this.state = TimelineState.EMPTY;
            this.runs = new ArrayList<>(Collections.nCopies(parts, (List<Item>) null));
        }
    }

    private final Map<Long, Assembly> assemblies = new HashMap<>();

    /** {@code snapshot} as parts of at most {@code partBytes} of items each (at least one item per part). */
    static List<TimelineSnapshot> split(TimelineSnapshot snapshot, int partBytes) {
        List<TimelineSnapshot> parts = new ArrayList<>();
        List<Item> current = new ArrayList<>();
        long bytes = 0;
        for (Item item : snapshot.items()) {
            long size = itemBytes(item);
            if (!current.isEmpty() && bytes + size > partBytes) {
                parts.add(part(snapshot, parts.isEmpty(), current));
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(item);
            bytes += size;
        }
        parts.add(part(snapshot, parts.isEmpty(), current));
        return parts;
    }

    private static TimelineSnapshot part(TimelineSnapshot whole, boolean first, List<Item> items) {
        TimelineState state = first ? whole.state() : new TimelineState(whole.version(), List.of(), RequestMemory.EMPTY,
                whole.state().written());
        return new TimelineSnapshot(whole.timeline(), state, items);
    }

    /** What an item costs in a part: its value and the fields around it. */
    static long itemBytes(Item item) {
        return 32L + item.value().length;
    }

    /** Takes one part; returns the whole snapshot once every part of it has arrived, else null. */
    TimelineSnapshot offer(PaxosMessage.SnapshotReply reply) {
        TimelineSnapshot part = reply.snapshot();
        Assembly assembly = assemblies.get(reply.timeline());
        if (assembly != null && part.version() < assembly.version) {
            return null; // older than the snapshot being gathered
        }
        if (reply.parts() == 1) {
            assemblies.remove(reply.timeline());
            return part;
        }
        if (assembly == null || part.version() > assembly.version || reply.parts() != assembly.runs.size()) {
            // A newer snapshot, or the same version split otherwise (another part size): start over.
            assembly = new Assembly(part.version(), reply.parts());
            assemblies.put(reply.timeline(), assembly);
        }
        if (assembly.runs.get(reply.part()) == null) {
            assembly.runs.set(reply.part(), part.items());
            if (reply.part() == 0) {
                assembly.state = part.state();
            }
            assembly.received++;
        }
        if (assembly.received < reply.parts()) {
            return null;
        }
        assemblies.remove(reply.timeline());
        List<Item> items = new ArrayList<>();
        assembly.runs.forEach(items::addAll);
        return new TimelineSnapshot(reply.timeline(), assembly.state, items);
    }

    /** Drops a timeline's assembly (its snapshot is no longer needed). */
    void forget(long timeline) {
        assemblies.remove(timeline);
    }

    /** Timelines with parts waiting for the rest. */
    int pending() {
        return assemblies.size();
    }
}
