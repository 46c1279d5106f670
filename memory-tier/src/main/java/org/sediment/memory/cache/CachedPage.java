package org.sediment.memory.cache;

import java.util.List;
import org.sediment.common.api.ssd.TimelineItem;

/**
 * The newest items of one timeline as the SSD tier gave them at {@code version}, newest first.
 *
 * @param complete true when {@code items} are all the timeline's hot items (the page reached its
 *                 oldest one), so any shorter page is a prefix of it; false when only a prefix of
 *                 the timeline is held
 */
public record CachedPage(long timeline, long version, boolean complete, List<TimelineItem> items) {

    public CachedPage {
        if (version < 0) {
            throw new IllegalArgumentException("versions are ≥ 0, got " + version);
        }
        items = List.copyOf(items);
    }

    /** Whether this page answers a request for the newest {@code limit} items. */
    public boolean covers(int limit) {
        return complete || items.size() >= limit;
    }

    /** The newest {@code limit} items: call when {@link #covers} is true. */
    public List<TimelineItem> newest(int limit) {
        return items.size() <= limit ? items : items.subList(0, limit);
    }
}
