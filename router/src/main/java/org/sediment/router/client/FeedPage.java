package org.sediment.router.client;

import java.util.List;

/**
 * One page of a feed: items of many timelines merged newest first (ties: by owner).
 *
 * @param next where the next (older) page of the whole feed starts, or null at its end
 */
public record FeedPage(List<Item> items, Cursor next) {
    public FeedPage {
        items = List.copyOf(items);
    }
}
