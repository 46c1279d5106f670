package org.sediment.router.hdd;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.sediment.common.api.hdd.BlockPlace;
import org.sediment.common.api.hdd.BlockReserve;
import org.sediment.common.api.hdd.BlockWrite;
import org.sediment.common.api.hdd.HddApi;
import org.sediment.common.block.Block;
import org.sediment.common.block.BlockItem;
import org.sediment.common.block.BlockRecord;
import org.sediment.common.block.ColdLink;
import org.sediment.common.block.DiskLayout;
import org.sediment.common.compress.ZstdCompressor;
import org.sediment.common.rpc.CallOptions;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcMethod;
import org.sediment.common.rpc.RpcOutcome;

/**
 * Writes blocks to the three replicas of an HDD group: the HDD tier's only way in, which the
 * sinker uses (DESIGN §5). A block is encoded once, its space reserved on every replica (they
 * must all give the same offset: their files are byte-identical, and this is their only
 * writer), then written to them one after another, each synced before it answers. The result
 * is the block's cold link, for the SSD tier to commit.
 */
public final class HddGroupWriter {
    private final RpcClient rpc;
    private final DiskLayout layout;
    private final long timeoutMs;

    public HddGroupWriter(RpcClient rpc, DiskLayout layout, long timeoutMs) {
        this.rpc = rpc;
        this.layout = layout;
        this.timeoutMs = timeoutMs;
    }

    /**
     * @throws HddWriteException a replica refused or did not answer, or the replicas reserved
     *                           different offsets (then nothing was written). A reservation that
     *                           failed on some replicas leaves their files' ends apart; bringing
     *                           them back in step is the sinker's job, which owns the writes.
     */
    public ColdLink write(int hddGroup, List<InetSocketAddress> replicas, Block block, List<BlockItem> items) {
        BlockRecord.Encoded encoded;
        try (ZstdCompressor zstd = new ZstdCompressor(3)) {
            encoded = BlockRecord.encode(block, items, zstd);
        }
        int disk = layout.diskOf(block);
        long file = layout.fileOf(block);
        List<Long> offsets = new ArrayList<>();
        for (InetSocketAddress replica : replicas) {
            offsets.add(call(replica, HddApi.RESERVE, new BlockReserve(disk, file, encoded.bytes().length)).offset());
        }
        if (offsets.stream().distinct().count() != 1) {
            throw new HddWriteException("the replicas of HDD group " + hddGroup + " reserved " + block + " at different "
                    + "offsets " + offsets + " of file " + file + " on disk " + disk + ": their files' ends differ");
        }
        long offset = offsets.getFirst();
        for (InetSocketAddress replica : replicas) {
            call(replica, HddApi.WRITE, new BlockWrite(disk, file, offset, encoded.bytes()));
        }
        BlockRecord.Header h = encoded.header();
        return new ColdLink(hddGroup, disk, file, offset, encoded.bytes().length, h.payloadCrc(), h.itemCount(), h.minTs(),
                h.maxTs());
    }

    private <Q> BlockPlace call(InetSocketAddress replica, RpcMethod<Q, BlockPlace> method, Q request) {
        RpcOutcome<BlockPlace> outcome = rpc.call(replica, method, request, CallOptions.of(0, timeoutMs)).join();
        return switch (outcome) {
            case RpcOutcome.Success<BlockPlace> ok -> ok.body();
            case RpcOutcome.Failure<BlockPlace> f -> throw new HddWriteException(method.request().name() + " to "
                    + replica + " failed: " + f.code() + " " + f.detail());
        };
    }

    /** A block write that did not complete; nothing links to what it may have written. */
    public static final class HddWriteException extends RuntimeException {
        public HddWriteException(String message) {
            super(message);
        }
    }
}
