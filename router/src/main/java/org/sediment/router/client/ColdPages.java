package org.sediment.router.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.sediment.common.api.ssd.ColdRoute;
import org.sediment.common.api.ssd.PageReply;
import org.sediment.common.api.ssd.PageRequest;
import org.sediment.common.api.ssd.TimelineItem;
import org.sediment.common.block.ColdLink;

/**
 * Completes a page whose hot rows ran out where the timeline's data sank: reads the page's cold
 * blocks one after another, newest first, through the {@link ColdReader}, keeping the items
 * strictly older than both the cursor and the last hot item, until the page is full.
 */
final class ColdPages {

    record Filled(List<Item> items, boolean exhausted) {
    }

    private ColdPages() {
    }

    static CompletableFuture<Filled> fill(ColdReader cold, long owner, PageRequest request, PageReply reply,
                                          List<Item> hot) {
        List<Item> items = new ArrayList<>(hot);
        return next(cold, owner, request, reply, items, 0);
    }

    private static CompletableFuture<Filled> next(ColdReader cold, long owner, PageRequest request, PageReply reply,
                                                  List<Item> items, int link) {
        if (items.size() >= request.limit()) {
            return CompletableFuture.completedFuture(new Filled(items, false));
        }
        if (link == reply.coldLinks().size()) {
            return CompletableFuture.completedFuture(new Filled(items, true));
        }
        ColdLink block = reply.coldLinks().get(link);
        return cold.read(owner, block, routeOf(reply, block)).thenCompose(blockItems -> {
            for (TimelineItem item : blockItems) {
                if (items.size() < request.limit() && olderThanBound(item, request, items)) {
                    items.add(new Item(owner, item.ts(), item.seq(), item.value()));
                }
            }
            return next(cold, owner, request, reply, items, link + 1);
        });
    }

    /** Strictly older than the cursor and than the last item already on the page. */
    private static boolean olderThanBound(TimelineItem item, PageRequest request, List<Item> items) {
        if (!request.fromNewest() && !olderThan(item, request.beforeTs(), request.beforeSeq())) {
            return false;
        }
        if (items.isEmpty()) {
            return true;
        }
        Item last = items.getLast();
        return olderThan(item, last.ts(), last.seq());
    }

    static boolean olderThan(TimelineItem item, long ts, int seq) {
        return item.ts() < ts || (item.ts() == ts && Integer.compareUnsigned(item.seq(), seq) < 0);
    }

    private static ColdRoute routeOf(PageReply reply, ColdLink link) {
        for (ColdRoute route : reply.coldRoutes()) {
            if (route.hddGroup() == link.hddGroup()) {
                return route;
            }
        }
        return null;
    }
}
