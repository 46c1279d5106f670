package org.sediment.hdd.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.sediment.common.api.hdd.BlockBytes;
import org.sediment.common.api.hdd.DiskListing;
import org.sediment.common.api.hdd.FileRange;
import org.sediment.common.api.hdd.HddApi;
import org.sediment.common.block.DiskLayout;
import org.sediment.common.rpc.CallOptions;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcOutcome;
import org.sediment.hdd.disk.DiskStore;

/**
 * Finds lost disks and rebuilds them from a peer (DESIGN §5, NO RAID). Each disk directory holds
 * a marker naming the disk; a disk whose marker is gone (wiped, or replaced empty) while a peer
 * holds files on the same-numbered disk is lost: its reads answer {@code NOT_FOUND} (the reader
 * takes another replica), and every file of the peer's disk is copied back, checked to be
 * byte-identical (same length, same CRC32C), and only then the marker written again. A disk
 * without a marker on a node none of whose disks is marked is new (and marked at once), unless a
 * peer holds files on it. Checked at start and every second.
 */
final class DiskRebuilds implements AutoCloseable {
    static final String MARKER = "disk.id";
    private static final System.Logger LOG = System.getLogger(DiskRebuilds.class.getName());
    private static final int CHUNK = 1 << 19;

    private final List<DiskStore> disks;
    private final List<InetSocketAddress> peers;
    private final RpcClient rpc;
    private final AtomicIntegerArray rebuilding;
    private final ScheduledExecutorService checker;
    final LongAdder rebuilt = new LongAdder();
    final LongAdder bytesCopied = new LongAdder();

    DiskRebuilds(List<DiskStore> disks, List<InetSocketAddress> peers, RpcClient rpc, String threadName) {
        this.disks = disks;
        this.peers = peers;
        this.rpc = rpc;
        this.rebuilding = new AtomicIntegerArray(disks.size());
        this.checker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(threadName).daemon().factory());
    }

    /** Checks every disk once before returning (so a node serves only after it knows its disks), then every second. */
    void start() {
        checkAll();
        checker.scheduleWithFixedDelay(this::checkAll, 1, 1, TimeUnit.SECONDS);
    }

    /** Whether disk {@code index} is lost and being rebuilt: its reads go to the peers meanwhile. */
    boolean rebuilding(int index) {
        return rebuilding.get(index) != 0;
    }

    int disksRebuilding() {
        int n = 0;
        for (int i = 0; i < rebuilding.length(); i++) {
            n += rebuilding.get(i);
        }
        return n;
    }

    private void checkAll() {
        boolean fresh = disks.stream().noneMatch(d -> Files.exists(d.dir().resolve(MARKER))); // judged for all at once
        for (DiskStore disk : disks) {
            try {
                check(disk, fresh);
            } catch (RuntimeException | IOException e) {
                LOG.log(System.Logger.Level.WARNING, "checking disk " + disk.index() + " failed; will try again", e);
            }
        }
    }

    private void check(DiskStore disk, boolean freshNode) throws IOException {
        Path marker = disk.dir().resolve(MARKER);
        if (Files.exists(marker)) {
            return;
        }
        Files.createDirectories(disk.dir());
        for (InetSocketAddress peer : peers) {
            RpcOutcome<DiskListing> listed = rpc.call(peer, HddApi.LIST, DiskListing.ask(disk.index()),
                    CallOptions.of(0, 10_000)).join();
            if (listed instanceof RpcOutcome.Success<DiskListing> ok && !ok.body().files().isEmpty()) {
                rebuild(disk, peer, ok.body());
                return;
            }
        }
        // No peer (that answered) holds files there. A disk of a node whose other disks are
        // marked was lost: wait until a peer answers. A node with no marked disk at all is new,
        // or lost everything while its peers were away: then blocks are repaired one by one as
        // they are read.
        if (freshNode && onlyMarkerOrNothing(disk.dir())) {
            Files.writeString(marker, "disk " + disk.index() + "\n");
        }
    }

    private void rebuild(DiskStore disk, InetSocketAddress peer, DiskListing listing) throws IOException {
        LOG.log(System.Logger.Level.WARNING, "disk " + disk.index() + " (" + disk.dir() + ") is lost: rebuilding "
                + listing.files().size() + " files from " + peer);
        rebuilding.set(disk.index(), 1);
        try {
            disk.forget(); // open files may be deleted ones: reopen from the copies
            for (DiskListing.FileSize f : listing.files()) {
                copy(disk, peer, f);
            }
            Files.writeString(disk.dir().resolve(MARKER), "disk " + disk.index() + "\n");
            rebuilt.increment();
            LOG.log(System.Logger.Level.INFO, "disk " + disk.index() + " rebuilt from " + peer);
        } finally {
            disk.forget();
            rebuilding.set(disk.index(), 0);
        }
    }

    /** Copies one file to a temporary name, checks it against the peer's length and CRC, then renames it. */
    private void copy(DiskStore disk, InetSocketAddress peer, DiskListing.FileSize f) throws IOException {
        Path target = disk.dir().resolve(DiskLayout.fileName(f.file()));
        Path temporary = disk.dir().resolve(DiskLayout.fileName(f.file()) + ".rebuild");
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        try (java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(temporary,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long at = 0; at < f.bytes(); ) {
                int length = (int) Math.min(CHUNK, f.bytes() - at);
                RpcOutcome<BlockBytes> got = rpc.call(peer, HddApi.RANGE, new FileRange(disk.index(), f.file(), at, length),
                        CallOptions.of(0, 30_000)).join();
                if (!(got instanceof RpcOutcome.Success<BlockBytes> ok) || ok.body().record().length != length) {
                    throw new IOException("peer " + peer + " did not give " + length + " bytes at " + at + " of file "
                            + f.file() + ": " + got);
                }
                byte[] bytes = ok.body().record();
                crc.update(bytes);
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer, at + buffer.position());
                }
                at += length;
                bytesCopied.add(length);
            }
            out.force(true);
        }
        if ((int) crc.getValue() != f.crc() || Files.size(temporary) != f.bytes()) {
            throw new IOException("the copy of file " + f.file() + " does not match the peer's (length or CRC32C)");
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean onlyMarkerOrNothing(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.noneMatch(p -> p.getFileName().toString().endsWith(".blocks"));
        }
    }

    /** The listing of one disk, with each file's length and CRC32C, for a peer rebuilding it. */
    static DiskListing listing(DiskStore disk) throws IOException {
        java.util.List<DiskListing.FileSize> files = new java.util.ArrayList<>();
        try (var paths = Files.list(disk.dir())) {
            for (Path p : paths.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.matches("w-?\\d+\\.blocks")) {
                    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
                    long length = 0;
                    try (java.io.InputStream in = Files.newInputStream(p)) {
                        byte[] buffer = new byte[1 << 16];
                        for (int n; (n = in.read(buffer)) > 0; ) {
                            crc.update(buffer, 0, n);
                            length += n;
                        }
                    }
                    files.add(new DiskListing.FileSize(Long.parseLong(name.substring(1, name.length() - 7)), length,
                            (int) crc.getValue()));
                }
            }
        }
        return new DiskListing(disk.index(), files);
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
