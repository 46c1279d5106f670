package org.sediment.hdd.node;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import org.sediment.common.api.hdd.BlockBytes;
import org.sediment.common.api.hdd.BlockRead;
import org.sediment.common.api.hdd.FileRange;
import org.sediment.common.api.hdd.HddApi;
import org.sediment.common.block.BlockRecord;
import org.sediment.common.compress.CorruptDataException;
import org.sediment.common.compress.Crc32c;
import org.sediment.common.rpc.CallOptions;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcOutcome;
import org.sediment.hdd.disk.DiskStore;

/**
 * The recovery queue (DESIGN §5): a block this node could not serve (its copy damaged or
 * missing) is copied back from a peer of the group, off the read path, one repair at a time. The
 * copy is checked (header and payload CRC) before it is written, and read back after. A block
 * already queued is not queued twice; one no peer can give stays broken and is counted.
 */
final class BlockRepairs implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BlockRepairs.class.getName());

    private final List<DiskStore> disks;
    private final List<InetSocketAddress> peers;
    private final RpcClient rpc;
    private final ExecutorService worker;
    private final Set<BlockRead> queued = ConcurrentHashMap.newKeySet();
    final LongAdder repaired = new LongAdder();
    final LongAdder failed = new LongAdder();

    BlockRepairs(List<DiskStore> disks, List<InetSocketAddress> peers, RpcClient rpc, String threadName) {
        this.disks = disks;
        this.peers = peers;
        this.rpc = rpc;
        this.worker = Executors.newSingleThreadExecutor(Thread.ofPlatform().name(threadName).daemon().factory());
    }

    /** Queues a repair of the record {@code read} names, unless one is queued already. */
    void enqueue(BlockRead read) {
        if (!queued.add(read)) {
            return;
        }
        try {
            worker.execute(() -> {
                try {
                    repair(read);
                } finally {
                    queued.remove(read);
                }
            });
        } catch (RejectedExecutionException closing) {
            queued.remove(read);
        }
    }

    int pending() {
        return queued.size();
    }

    private void repair(BlockRead read) {
        for (InetSocketAddress peer : peers) {
            // A raw range, not a block read: a peer lacking the record too must not queue a repair of its own,
            // or two nodes missing one record would ask each other for ever.
            RpcOutcome<BlockBytes> outcome = rpc.call(peer, HddApi.RANGE,
                    new FileRange(read.disk(), read.file(), read.offset(), read.length()), CallOptions.of(0, 10_000)).join();
            if (!(outcome instanceof RpcOutcome.Success<BlockBytes> ok) || !intact(ok.body().record())) {
                continue; // the peer's copy is broken too, or the peer is away: the next one
            }
            try {
                DiskStore disk = disks.get(read.disk());
                disk.file(read.file()).repair(read.offset(), ok.body().record());
                if (java.util.Arrays.equals(disk.file(read.file()).read(read.offset(), read.length()), ok.body().record())) {
                    repaired.increment();
                    LOG.log(System.Logger.Level.INFO, "repaired " + read + " from " + peer);
                    return;
                }
            } catch (java.io.IOException e) {
                LOG.log(System.Logger.Level.WARNING, "repair of " + read + " failed on this disk", e);
            }
        }
        failed.increment();
        LOG.log(System.Logger.Level.WARNING, "no peer could give an intact copy of " + read);
    }

    static boolean intact(byte[] record) {
        try {
            BlockRecord.Header h = BlockRecord.header(record);
            return h.recordBytes() == record.length
                    && Crc32c.of(record, BlockRecord.HEADER_BYTES, h.storedBytes()) == h.payloadCrc();
        } catch (CorruptDataException e) {
            return false;
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
