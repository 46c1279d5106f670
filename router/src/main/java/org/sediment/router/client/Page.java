package org.sediment.router.client;

import java.util.List;

/**
 * One page of a timeline, newest first, read at the timeline's {@code version}.
 *
 * @param next where the next (older) page starts, or null when nothing older exists
 */
public record Page(List<Item> items, Cursor next, long version) {
    public Page {
        items = List.copyOf(items);
    }
}
