package org.sediment.router.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.sediment.common.api.ssd.GetReply;
import org.sediment.common.api.ssd.GetRequest;
import org.sediment.common.api.ssd.MultiGetReply;
import org.sediment.common.api.ssd.MultiGetRequest;
import org.sediment.common.api.ssd.MultiPageReply;
import org.sediment.common.api.ssd.MultiPageRequest;
import org.sediment.common.api.ssd.PageReply;
import org.sediment.common.api.ssd.PageRequest;
import org.sediment.common.api.ssd.TimelineItem;
import org.sediment.common.block.BlockLayout;
import org.sediment.router.config.GroupRoute;
import org.sediment.router.config.Member;
import org.sediment.router.config.RouteConfig;
import org.sediment.router.config.Tier;
import org.sediment.router.config.TimeSplits;

/**
 * Feed and timeline paging against a tier that cuts pages short at random (as a full frame
 * does): following {@code next} must reach every item exactly once, in merged order, with many
 * ties in time and seq across owners. The reads reach the fake through the memory tier's seam.
 */
class FeedPagingTest {
    private static final long CENTURY = 100L * 365 * 24 * 3_600_000;

    @Test
    void followingTheFeedCursorReachesEveryItemOnceInOrder() {
        for (long seed = 1; seed <= 200; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            FakeTier tier = new FakeTier(random.split());
            int owners = 1 + random.nextInt(25);
            List<Long> ids = new ArrayList<>();
            List<Item> expected = new ArrayList<>();
            for (int o = 0; o < owners; o++) {
                long owner = random.nextInt(3) == 0 ? -1L - o : o * 7L; // some owners above 2^63: unsigned order
                ids.add(owner);
                int items = random.nextInt(40);
                for (int i = 0; i < items; i++) {
                    TimelineItem item = new TimelineItem(1_000 + random.nextInt(20), random.nextInt(4) - 2,
                            new byte[] {(byte) o, (byte) i});
                    if (tier.add(owner, item)) {
                        expected.add(new Item(owner, item.ts(), item.seq(), item.value()));
                    }
                }
            }
            expected.sort(Feeds.NEWEST_FIRST);
            try (SedimentClient client = client(tier)) {
                List<Item> seen = new ArrayList<>();
                Cursor cursor = null;
                int pages = 0;
                do {
                    FeedPage page = client.feed(ids, cursor, 1 + random.nextInt(12));
                    seen.addAll(page.items());
                    cursor = page.next();
                    assertThat(++pages).as("seed %d: the feed ends", seed).isLessThan(10_000);
                } while (cursor != null);
                assertThat(seen).as("seed %d", seed).containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void followingATimelineCursorReachesEveryItemOnceInOrder() {
        for (long seed = 1; seed <= 100; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            FakeTier tier = new FakeTier(random.split());
            long owner = random.nextLong();
            List<Item> expected = new ArrayList<>();
            for (int i = random.nextInt(80); i > 0; i--) {
                TimelineItem item = new TimelineItem(random.nextInt(30), random.nextInt(), new byte[] {(byte) i});
                if (tier.add(owner, item)) {
                    expected.add(new Item(owner, item.ts(), item.seq(), item.value()));
                }
            }
            expected.sort(Feeds.NEWEST_FIRST);
            try (SedimentClient client = client(tier)) {
                List<Item> seen = new ArrayList<>();
                Cursor cursor = null;
                do {
                    Page page = client.timeline(owner, cursor, 1 + random.nextInt(10));
                    seen.addAll(page.items());
                    cursor = page.next();
                } while (cursor != null);
                assertThat(seen).as("seed %d", seed).containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void aFeedSendsOneRequestPerGroupNotPerOwner() {
        FakeTier tier = new FakeTier(new SplittableRandom(1));
        List<Long> owners = new ArrayList<>();
        for (long o = 0; o < 50; o++) {
            owners.add(o);
            tier.add(o, new TimelineItem(o, 0, new byte[] {1}));
        }
        try (SedimentClient client = client(tier)) {
            client.feed(owners, null, 10);
        }
        assertThat(tier.multiPageCalls.get()).isEqualTo(1); // one group in these routes
        assertThat(tier.pageCalls.get()).isZero();
    }

    private static SedimentClient client(FakeTier tier) {
        GroupRoute ssd = new GroupRoute(0, List.of(new Member("127.0.0.1", 1, "a"), new Member("127.0.0.1", 2, "b"),
                new Member("127.0.0.1", 3, "c")));
        GroupRoute memory = new GroupRoute(0, List.of(new Member("127.0.0.1", 4, "a")));
        RouteConfig routes = new RouteConfig(1, BlockLayout.defaults(), Map.of(Tier.SSD, List.of(ssd),
                Tier.MEMORY, List.of(memory)), new TimeSplits(CENTURY, 2 * CENTURY), 1.0);
        return SedimentClient.builder(RouteSource.fixed(routes)).tierReader(Tier.MEMORY, tier).build();
    }

    /** Timelines in memory, served as the SSD tier serves them, with pages cut short at random. */
    private static final class FakeTier implements TierReader {
        private static final Comparator<TimelineItem> ORDER = TimelineItem.NEWEST_FIRST;
        private final Map<Long, TreeSet<TimelineItem>> timelines = new HashMap<>();
        private final SplittableRandom random;
        final AtomicInteger pageCalls = new AtomicInteger();
        final AtomicInteger multiPageCalls = new AtomicInteger();

        FakeTier(SplittableRandom random) {
            this.random = random;
        }

        /** False if the timeline already holds an item at that key. */
        boolean add(long owner, TimelineItem item) {
            TreeSet<TimelineItem> items = timelines.computeIfAbsent(owner, o -> new TreeSet<>(ORDER));
            return items.add(item);
        }

        private synchronized PageReply serve(PageRequest request) {
            TreeSet<TimelineItem> items = timelines.getOrDefault(request.timeline(), new TreeSet<>(ORDER));
            List<TimelineItem> page = new ArrayList<>();
            for (TimelineItem item : items) {
                boolean older = request.fromNewest() || item.ts() < request.beforeTs()
                        || (item.ts() == request.beforeTs() && Integer.compareUnsigned(item.seq(), request.beforeSeq()) < 0);
                if (older && page.size() < request.limit()) {
                    page.add(item);
                }
            }
            if (page.size() > 1 && random.nextInt(3) == 0) { // a frame filled up: a cut page
                return new PageReply(items.size(), page.subList(0, 1 + random.nextInt(page.size() - 1)), List.of(),
                        List.of(), true);
            }
            return PageReply.ofItems(items.size(), page);
        }

        @Override
        public CompletableFuture<PageReply> page(RouteConfig routes, int group, PageRequest request) {
            pageCalls.incrementAndGet();
            return CompletableFuture.completedFuture(serve(request));
        }

        @Override
        public CompletableFuture<MultiPageReply> pages(RouteConfig routes, int group, MultiPageRequest request) {
            multiPageCalls.incrementAndGet();
            List<PageReply> replies = new ArrayList<>();
            for (PageRequest page : request.pages()) {
                replies.add(serve(page));
            }
            return CompletableFuture.completedFuture(new MultiPageReply(replies));
        }

        @Override
        public CompletableFuture<GetReply> get(RouteConfig routes, int group, GetRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<MultiGetReply> gets(RouteConfig routes, int group, MultiGetRequest request) {
            throw new UnsupportedOperationException();
        }
    }
}
