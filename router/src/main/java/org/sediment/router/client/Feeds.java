package org.sediment.router.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.sediment.common.api.ssd.GetRequest;
import org.sediment.common.api.ssd.MultiGetRequest;
import org.sediment.common.api.ssd.MultiPageRequest;
import org.sediment.common.api.ssd.PageReply;
import org.sediment.common.api.ssd.PageRequest;
import org.sediment.router.config.RouteConfig;

/**
 * Reads that span many timelines: feeds (read diffusion) and batch gets, one request per group.
 *
 * <p>A feed page asks every owner for up to {@code limit} items past the cursor, then merges them
 * newest first (ties at one {@code (ts, seq)} broken by owner). It may only return items it knows
 * the complete order of: an owner whose page did not reach its oldest item bounds the merge at
 * that page's last item, so nothing of that owner between the bound and the next page is skipped.
 * The feed's cursor is the last item returned; the next page asks each owner for what lies past
 * it in merged order.
 */
final class Feeds {

    /** Merged feed order: newest first, then by owner (unsigned). */
    static final Comparator<Item> NEWEST_FIRST = (a, b) -> {
        int c = Long.compare(b.ts(), a.ts());
        if (c != 0) {
            return c;
        }
        c = Integer.compareUnsigned(b.seq(), a.seq());
        return c != 0 ? c : Long.compareUnsigned(a.owner(), b.owner());
    };

    private final SedimentClient client;

    Feeds(SedimentClient client) {
        this.client = client;
    }

    CompletableFuture<FeedPage> page(RouteConfig config, TierReader reader, List<Long> owners, Cursor before,
                                     int limit) {
        Map<Integer, List<PageRequest>> byGroup = new LinkedHashMap<>();
        for (long owner : new LinkedHashSet<>(owners)) {
            byGroup.computeIfAbsent(client.ssdGroup(config, owner), g -> new ArrayList<>())
                    .add(pastCursor(owner, before, limit, client.settings()));
        }
        List<CompletableFuture<List<SedimentClient.PagePart>>> groups = new ArrayList<>(byGroup.size());
        for (Map.Entry<Integer, List<PageRequest>> group : byGroup.entrySet()) {
            List<PageRequest> requests = group.getValue();
            groups.add(reader.pages(config, group.getKey(), new MultiPageRequest(requests)).thenCompose(reply -> {
                List<CompletableFuture<SedimentClient.PagePart>> parts = new ArrayList<>(requests.size());
                for (int i = 0; i < requests.size(); i++) {
                    PageRequest request = requests.get(i);
                    PageReply page = reply.pages().get(i);
                    parts.add(client.pageItems(request.timeline(), request, page));
                }
                return all(parts);
            }));
        }
        return all(groups).thenApply(perGroup -> merge(perGroup, limit));
    }

    /** Owner {@code owner}'s part of the feed past {@code before} in merged order. */
    private static PageRequest pastCursor(long owner, Cursor before, int limit, ClientSettings settings) {
        if (before == null) {
            return PageRequest.newest(owner, settings.readMode(), limit);
        }
        if (Long.compareUnsigned(owner, before.owner()) > 0) {
            // Its item at the cursor's (ts, seq), if any, comes after the cursor: include it.
            Cursor including = before.justNewer();
            return including == null ? PageRequest.newest(owner, settings.readMode(), limit)
                    : PageRequest.olderThan(owner, settings.readMode(), including.ts(), including.seq(), limit);
        }
        return PageRequest.olderThan(owner, settings.readMode(), before.ts(), before.seq(), limit);
    }

    private static FeedPage merge(List<List<SedimentClient.PagePart>> perGroup, int limit) {
        List<Item> all = new ArrayList<>();
        Item bound = null;
        boolean everyOwnerDone = true;
        for (List<SedimentClient.PagePart> parts : perGroup) {
            for (SedimentClient.PagePart part : parts) {
                all.addAll(part.items());
                if (!part.exhausted()) {
                    everyOwnerDone = false;
                    Item last = part.items().getLast();
                    if (bound == null || NEWEST_FIRST.compare(last, bound) < 0) {
                        bound = last;
                    }
                }
            }
        }
        all.sort(NEWEST_FIRST);
        List<Item> page = new ArrayList<>(Math.min(limit, all.size()));
        for (Item item : all) {
            if (page.size() == limit || (bound != null && NEWEST_FIRST.compare(item, bound) > 0)) {
                break;
            }
            page.add(item);
        }
        boolean end = everyOwnerDone && page.size() == all.size();
        Cursor next = end || page.isEmpty() ? null
                : Cursor.feed(page.getLast().owner(), page.getLast().ts(), page.getLast().seq());
        return new FeedPage(page, next);
    }

    CompletableFuture<List<ItemRead>> gets(RouteConfig config, TierReader reader, List<GetRequest> requests) {
        Map<Integer, List<Integer>> byGroup = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            byGroup.computeIfAbsent(client.ssdGroup(config, requests.get(i).timeline()), g -> new ArrayList<>()).add(i);
        }
        ItemRead[] answers = new ItemRead[requests.size()];
        List<CompletableFuture<Void>> groups = new ArrayList<>(byGroup.size());
        for (Map.Entry<Integer, List<Integer>> group : byGroup.entrySet()) {
            groups.add(getsFrom(config, reader, group.getKey(), requests, group.getValue(), 0, answers));
        }
        return CompletableFuture.allOf(groups.toArray(CompletableFuture[]::new)).thenApply(done -> List.of(answers));
    }

    /** The gets {@code indexes[from..]} of one group; a reply that stopped early is followed by one for the rest. */
    private CompletableFuture<Void> getsFrom(RouteConfig config, TierReader reader, int group,
                                             List<GetRequest> requests, List<Integer> indexes, int from,
                                             ItemRead[] answers) {
        List<GetRequest> batch = new ArrayList<>(indexes.size() - from);
        for (int i = from; i < indexes.size(); i++) {
            batch.add(requests.get(indexes.get(i)));
        }
        return reader.gets(config, group, new MultiGetRequest(batch)).thenCompose(reply -> {
            if (reply.gets().isEmpty()) {
                throw new SedimentException(SedimentException.Reason.INTERNAL, "a multi-get reply answered nothing");
            }
            List<CompletableFuture<Void>> reads = new ArrayList<>(reply.gets().size());
            for (int i = 0; i < reply.gets().size(); i++) {
                int index = indexes.get(from + i);
                GetRequest request = requests.get(index);
                reads.add(client.itemRead(request.timeline(), request.ts(), request.seq(), reply.gets().get(i))
                        .thenAccept(read -> answers[index] = read));
            }
            CompletableFuture<Void> these = CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new));
            int answered = from + reply.gets().size();
            return answered == indexes.size() ? these
                    : these.thenCompose(done -> getsFrom(config, reader, group, requests, indexes, answered, answers));
        });
    }

    private static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<T> results = new ArrayList<>(futures.size());
            for (CompletableFuture<T> future : futures) {
                results.add(future.join());
            }
            return results;
        });
    }
}
