package org.sediment.ssd.paxos;

import java.util.List;

/**
 * The whole applied state of one timeline at {@code version}: what a far-behind replica installs
 * instead of replaying a log that was trimmed.
 */
public record TimelineSnapshot(long timeline, long version, List<Item> items, List<byte[]> coldLinks) {
    public TimelineSnapshot {
        items = List.copyOf(items);
        coldLinks = List.copyOf(coldLinks);
    }
}
