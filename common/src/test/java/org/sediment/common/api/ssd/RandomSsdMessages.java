package org.sediment.common.api.ssd;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.sediment.common.block.ColdLink;
import org.sediment.common.key.ItemKey;
import org.sediment.common.wire.MessageType;

/**
 * Valid SSD API messages with random contents. Values are small by default so thousands of
 * messages stay fast; {@code maxValueBytes} raises that for tests of the limits.
 */
final class RandomSsdMessages {

    /** A message and the type it travels as. */
    record Typed(MessageType<?> type, Object message) {
    }

    private final SplittableRandom random;
    private final int maxValueBytes;

    RandomSsdMessages(SplittableRandom random, int maxValueBytes) {
        this.random = random;
        this.maxValueBytes = maxValueBytes;
    }

    Typed any() {
        List<MessageType<?>> types = SsdApi.ALL;
        return of(types.get(random.nextInt(types.size())));
    }

    Typed of(MessageType<?> type) {
        Object message = switch (type.name()) {
            case "WriteRequest" -> writeRequest();
            case "WriteReply" -> writeReply();
            case "ColdLinkCommit" -> coldLinkCommit();
            case "PageRequest" -> pageRequest();
            case "PageReply" -> pageReply();
            case "GetRequest" -> new GetRequest(random.nextLong(), mode(), ts(), random.nextInt());
            case "GetReply" -> getReply();
            case "VersionCheckRequest" -> versionCheckRequest();
            case "VersionCheckReply" -> versionCheckReply();
            case "ColdRouteUpdate" -> coldRouteUpdate();
            case "ColdRouteAck" -> new ColdRouteAck(random.nextInt(Integer.MAX_VALUE));
            case "MultiPageRequest" -> new MultiPageRequest(parts(this::pageRequest));
            case "MultiPageReply" -> new MultiPageReply(parts(this::pageReply, 3));
            case "MultiGetRequest" -> new MultiGetRequest(parts(() -> new GetRequest(random.nextLong(), mode(), ts(),
                    random.nextInt())));
            case "MultiGetReply" -> new MultiGetReply(parts(this::getReply, 4));
            case "NodeStatusRequest" -> new NodeStatusRequest();
            case "NodeStatus" -> new NodeStatus(random.nextLong(), random.nextInt(), random.nextBoolean() ? "VOTING"
                    : "LEARNER", version(), random.nextLong(Long.MAX_VALUE), random.nextInt(Integer.MAX_VALUE),
                    random.nextLong(Long.MAX_VALUE));
            default -> throw new IllegalArgumentException("no generator for " + type);
        };
        return new Typed(type, message);
    }

    WriteRequest writeRequest() {
        WriteKind kind = WriteKind.values()[random.nextInt(WriteKind.values().length)];
        long ifVersion = random.nextBoolean() ? SsdApi.UNCONDITIONAL : version();
        int seq = kind == WriteKind.APPEND ? 0 : random.nextInt();
        byte[] value = kind == WriteKind.DELETE ? new byte[0] : value();
        return new WriteRequest(random.nextLong(), kind, ifVersion, ts(), seq, value);
    }

    WriteReply writeReply() {
        return switch (random.nextInt(3)) {
            case 0 -> WriteReply.ok(1 + random.nextLong(Long.MAX_VALUE - 1), random.nextInt());
            case 1 -> WriteReply.versionMismatch(version());
            default -> WriteReply.contended(text(random.nextInt(3) == 0 ? 400 : 20));
        };
    }

    ColdLinkCommit coldLinkCommit() {
        ColdLink link = coldLink();
        long coldBeforeTs = random.nextLong(link.maxTs() + 1, ItemKey.MAX_TS + 2);
        return new ColdLinkCommit(random.nextLong(), random.nextBoolean() ? SsdApi.UNCONDITIONAL : version(),
                coldBeforeTs, link);
    }

    PageRequest pageRequest() {
        int limit = 1 + random.nextInt(SsdApi.MAX_PAGE_ITEMS);
        return random.nextBoolean() ? PageRequest.newest(random.nextLong(), mode(), limit)
                : PageRequest.olderThan(random.nextLong(), mode(), ts(), random.nextInt(), limit);
    }

    GetReply getReply() {
        return switch (random.nextInt(3)) {
            case 0 -> GetReply.found(version(), value());
            case 1 -> GetReply.notFound(version());
            default -> {
                ColdLink link = coldLink();
                yield GetReply.sunk(version(), link, random.nextBoolean() ? coldRoute(link.hddGroup()) : null);
            }
        };
    }

    /** 1 to a few parts, or now and then many. */
    private <T> java.util.List<T> parts(java.util.function.Supplier<T> part) {
        return parts(part, random.nextInt(8) == 0 ? SsdApi.MAX_BATCH_PARTS : 5);
    }

    private <T> java.util.List<T> parts(java.util.function.Supplier<T> part, int most) {
        int count = 1 + random.nextInt(most);
        java.util.List<T> parts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            parts.add(part.get());
        }
        return parts;
    }

    PageReply pageReply() {
        List<ColdLink> links = new ArrayList<>();
        int linkCount = random.nextInt(4) == 0 ? random.nextInt(20) : 0;
        for (int i = 0; i < linkCount; i++) {
            links.add(coldLink());
        }
        List<ColdRoute> routes = new ArrayList<>();
        for (int group : links.stream().map(ColdLink::hddGroup).distinct().toList()) {
            if (random.nextInt(4) != 0) {
                routes.add(coldRoute(group));
            }
        }
        List<TimelineItem> items = items(random.nextInt(30));
        return new PageReply(version(), items, links, routes, links.isEmpty() && !items.isEmpty() && random.nextBoolean());
    }

    VersionCheckRequest versionCheckRequest() {
        List<VersionClaim> claims = new ArrayList<>();
        int count = 1 + random.nextInt(random.nextBoolean() ? 10 : SsdApi.MAX_VERSION_CLAIMS);
        for (int i = 0; i < count; i++) {
            claims.add(new VersionClaim(random.nextLong(), version()));
        }
        return new VersionCheckRequest(claims, 1 + random.nextInt(SsdApi.MAX_PAGE_ITEMS));
    }

    VersionCheckReply versionCheckReply() {
        List<VersionVerdict> verdicts = new ArrayList<>();
        int count = random.nextInt(20);
        for (int i = 0; i < count; i++) {
            verdicts.add(random.nextBoolean() ? VersionVerdict.current(new VersionClaim(random.nextLong(), version()))
                    : VersionVerdict.stale(random.nextLong(), version(), items(random.nextInt(10)), random.nextBoolean()));
        }
        return new VersionCheckReply(verdicts);
    }

    ColdRouteUpdate coldRouteUpdate() {
        Set<Integer> groups = new HashSet<>();
        int count = random.nextInt(random.nextBoolean() ? 10 : 500);
        List<ColdRoute> routes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int group = random.nextInt(Integer.MAX_VALUE);
            if (groups.add(group)) {
                routes.add(coldRoute(group));
            }
        }
        return new ColdRouteUpdate(routes);
    }

    /** Distinct keys, sorted newest first as a page must be. */
    List<TimelineItem> items(int count) {
        List<TimelineItem> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // Few distinct timestamps, so equal ts with different seqs (and unsigned seq order) occur.
            long ts = random.nextBoolean() ? random.nextInt(4) : ts();
            items.add(new TimelineItem(ts, random.nextInt(5) - 2, value()));
        }
        items.sort(TimelineItem.NEWEST_FIRST);
        for (int i = 1; i < items.size(); i++) {
            if (TimelineItem.NEWEST_FIRST.compare(items.get(i - 1), items.get(i)) == 0) {
                items.remove(i--);
            }
        }
        return items;
    }

    ColdLink coldLink() {
        long minTs = random.nextLong(ItemKey.MAX_TS);
        long maxTs = random.nextLong(minTs, ItemKey.MAX_TS);
        return new ColdLink(random.nextInt(16), random.nextInt(64), random.nextLong(), random.nextLong(Long.MAX_VALUE),
                1 + random.nextInt(1 << 24), random.nextInt(), random.nextInt(100_000), minTs, maxTs);
    }

    ColdRoute coldRoute(int group) {
        int count = 1 + random.nextInt(SsdApi.MAX_COLD_REPLICAS);
        List<String> replicas = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String address = (random.nextBoolean() ? "hdd-" + text(12) : "10.0." + i + "." + random.nextInt(256))
                    + ":" + (1 + random.nextInt(65_535));
            if (!replicas.contains(address)) {
                replicas.add(address);
            }
        }
        return new ColdRoute(group, replicas);
    }

    ReadMode mode() {
        return ReadMode.values()[random.nextInt(ReadMode.values().length)];
    }

    long ts() {
        return random.nextLong(ItemKey.MAX_TS + 1);
    }

    long version() {
        return random.nextInt(3) == 0 ? random.nextInt(10) : random.nextLong(Long.MAX_VALUE);
    }

    byte[] value() {
        byte[] value = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(maxValueBytes + 1)];
        random.nextBytes(value);
        return value;
    }

    /** Includes multi-byte UTF-8, so lengths are counted in bytes. */
    String text(int maxChars) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(maxChars + 1);
        for (int i = 0; i < n; i++) {
            s.append(switch (random.nextInt(3)) {
                case 0 -> (char) ('a' + random.nextInt(26));
                case 1 -> 'é';
                default -> '水';
            });
        }
        return s.toString();
    }
}
