package org.sediment.ssd.paxos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    private record Assembly(long version, Item[][] items, List<byte[]> coldLinks, int[] received) {
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
        return new TimelineSnapshot(whole.timeline(), whole.version(), items, first ? whole.coldLinks() : List.of());
    }

    /** What an item costs in a part: its value and the fields around it. */
    static long itemBytes(Item item) {
        return 32L + item.value().length;
    }

    /** Takes one part; returns the whole snapshot once every part of it has arrived, else null. */
    TimelineSnapshot offer(PaxosMessage.SnapshotReply reply) {
        TimelineSnapshot part = reply.snapshot();
        Assembly assembly = assemblies.get(reply.timeline());
        if (assembly != null && part.version() < assembly.version()) {
            return null; // older than the snapshot being gathered
        }
        if (reply.parts() == 1) {
            assemblies.remove(reply.timeline());
            return part;
        }
        if (assembly == null || part.version() > assembly.version() || reply.parts() != assembly.items().length) {
            // A newer snapshot, or the same version split otherwise (another part size): start over.
            assembly = new Assembly(part.version(), new Item[reply.parts()][], new ArrayList<>(), new int[1]);
            assemblies.put(reply.timeline(), assembly);
        }
        if (assembly.items()[reply.part()] == null) {
            assembly.items()[reply.part()] = part.items().toArray(Item[]::new);
            if (reply.part() == 0) {
                assembly.coldLinks().addAll(part.coldLinks());
            }
            assembly.received()[0]++;
        }
        if (assembly.received()[0] < reply.parts()) {
            return null;
        }
        assemblies.remove(reply.timeline());
        List<Item> items = new ArrayList<>();
        for (Item[] run : assembly.items()) {
            items.addAll(List.of(run));
        }
        return new TimelineSnapshot(reply.timeline(), assembly.version(), items, assembly.coldLinks());
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
