package org.sediment.ssd.paxos;

import java.util.List;
import org.sediment.ssd.timeline.TimelineState;

/**
 * The whole applied state of one timeline at a version: what a far-behind replica installs
 * instead of replaying a log that was trimmed. The state includes the remembered requests, so a
 * replica that relearned a timeline answers retries exactly as its peers do.
 */
public record TimelineSnapshot(long timeline, TimelineState state, List<Item> items) {
    public TimelineSnapshot {
        items = List.copyOf(items);
    }

    public long version() {
        return state.version();
    }

    public List<byte[]> coldLinks() {
        return state.coldLinks();
    }
}
