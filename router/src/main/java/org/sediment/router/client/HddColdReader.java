package org.sediment.router.client;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.sediment.common.api.hdd.BlockBytes;
import org.sediment.common.api.hdd.BlockRead;
import org.sediment.common.api.hdd.HddApi;
import org.sediment.common.api.ssd.ColdRoute;
import org.sediment.common.api.ssd.TimelineItem;
import org.sediment.common.block.BlockItem;
import org.sediment.common.block.BlockRecord;
import org.sediment.common.block.ColdLink;
import org.sediment.common.compress.CorruptDataException;
import org.sediment.common.compress.ZstdCompressor;
import org.sediment.common.rpc.CallOptions;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcOutcome;

/**
 * The {@link ColdReader} of the HDD tier: fetches the block a cold link names from one replica
 * of its group, picked at random (one positioned read there), checks it against the link, and
 * keeps the owner's items. A replica that fails, lacks the block or sends a damaged copy is
 * passed over for the next; only when all fail does the read fail.
 */
public final class HddColdReader implements ColdReader {
    private static final ThreadLocal<ZstdCompressor> ZSTD = ThreadLocal.withInitial(() -> new ZstdCompressor(3));

    private final RpcClient rpc;
    private final long timeoutMs;

    public HddColdReader(RpcClient rpc, long timeoutMs) {
        this.rpc = rpc;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public CompletableFuture<List<TimelineItem>> read(long owner, ColdLink link, ColdRoute route) {
        if (route == null) {
            return CompletableFuture.failedFuture(new SedimentException(SedimentException.Reason.COLD_UNAVAILABLE,
                    "the SSD tier knows no replicas of HDD group " + link.hddGroup() + " holding block " + link));
        }
        List<String> replicas = new ArrayList<>(route.replicas());
        Collections.shuffle(replicas, ThreadLocalRandom.current());
        return attempt(owner, link, replicas, 0, new ArrayList<>());
    }

    private CompletableFuture<List<TimelineItem>> attempt(long owner, ColdLink link, List<String> replicas, int index,
                                                          List<String> failures) {
        if (index == replicas.size()) {
            return CompletableFuture.failedFuture(new SedimentException(SedimentException.Reason.COLD_UNAVAILABLE,
                    "no replica of HDD group " + link.hddGroup() + " served block " + link + ": " + failures));
        }
        String replica = replicas.get(index);
        BlockRead request = new BlockRead(link.disk(), link.file(), link.offset(), link.length());
        // Decoding a block (up to a frame of zstd) is not for the event loop the reply arrives on.
        CompletableFuture<RpcOutcome<BlockBytes>> call = rpc.call(address(replica), HddApi.READ, request,
                CallOptions.of(0, timeoutMs));
        return call.thenComposeAsync(outcome -> {
            if (outcome instanceof RpcOutcome.Failure<BlockBytes> f) {
                failures.add(replica + ": " + f.code() + " " + f.detail());
                return attempt(owner, link, replicas, index + 1, failures);
            }
            try {
                return CompletableFuture.completedFuture(ownersItems(owner, link,
                        ((RpcOutcome.Success<BlockBytes>) outcome).body().record()));
            } catch (CorruptDataException e) {
                failures.add(replica + ": " + e.getMessage());
                return attempt(owner, link, replicas, index + 1, failures);
            }
        });
    }

    /** The owner's items of the record, newest first, once the record matches its link. */
    private static List<TimelineItem> ownersItems(long owner, ColdLink link, byte[] record) {
        BlockRecord.Header h = BlockRecord.header(record);
        if (h.payloadCrc() != link.crc() || h.itemCount() != link.itemCount() || h.minTs() != link.minTs()
                || h.maxTs() != link.maxTs()) {
            throw new CorruptDataException("the record at the link's place is not the linked block");
        }
        List<TimelineItem> items = new ArrayList<>();
        for (BlockItem item : BlockRecord.decode(record, ZSTD.get())) {
            if (item.owner() == owner) {
                items.add(new TimelineItem(item.ts(), item.seq(), item.value()));
            }
        }
        items.sort(TimelineItem.NEWEST_FIRST);
        return items;
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
