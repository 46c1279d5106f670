package org.sediment.common.api.hdd;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.sediment.common.rpc.RpcMethod;
import org.sediment.common.wire.FrameHeader;
import org.sediment.common.wire.FrameLimits;
import org.sediment.common.wire.MessageCodec;
import org.sediment.common.wire.MessageType;
import org.sediment.common.wire.WireFields;

/**
 * The HDD tier's API (ids 3072-3099): cold reads by clients, the reserve-then-write steps of
 * its only writer, the sinker, and the listing and raw reads with which a node rebuilds a lost
 * disk from a peer. It lives in {@code common} for the reason {@code SsdApi} does:
 * the router's SDK and the sinker call it, and tiers never import each other. No call checks
 * the route version: HDD routes reach clients inside cold links' routes, not the route document.
 */
public final class HddApi {
    /** A block record fits one frame with room for the header and the message's own fields. */
    public static final int MAX_RECORD_BYTES = FrameLimits.DEFAULT_MAX_FRAME_BYTES - FrameHeader.MIN_FRAME_BYTES - 64;

    public static final MessageType<BlockRead> BLOCK_READ = new MessageType<>(3072, "BlockRead", BlockRead.class,
            new MessageCodec<>() {
                @Override
                public void write(BlockRead r, ByteBuf out) {
                    out.writeInt(r.disk()).writeLong(r.file()).writeLong(r.offset()).writeInt(r.length());
                }

                @Override
                public BlockRead read(ByteBuf in) {
                    return new BlockRead(in.readInt(), in.readLong(), in.readLong(), in.readInt());
                }
            });

    public static final MessageType<BlockBytes> BLOCK_BYTES = new MessageType<>(3073, "BlockBytes", BlockBytes.class,
            new MessageCodec<>() {
                @Override
                public void write(BlockBytes b, ByteBuf out) {
                    WireFields.writeBytes(out, b.record(), MAX_RECORD_BYTES);
                }

                @Override
                public BlockBytes read(ByteBuf in) {
                    return new BlockBytes(WireFields.readBytes(in, MAX_RECORD_BYTES));
                }
            });

    public static final MessageType<BlockReserve> BLOCK_RESERVE = new MessageType<>(3074, "BlockReserve",
            BlockReserve.class, new MessageCodec<>() {
                @Override
                public void write(BlockReserve r, ByteBuf out) {
                    out.writeInt(r.disk()).writeLong(r.file()).writeInt(r.length());
                }

                @Override
                public BlockReserve read(ByteBuf in) {
                    return new BlockReserve(in.readInt(), in.readLong(), in.readInt());
                }
            });

    public static final MessageType<BlockPlace> BLOCK_PLACE = new MessageType<>(3075, "BlockPlace", BlockPlace.class,
            new MessageCodec<>() {
                @Override
                public void write(BlockPlace p, ByteBuf out) {
                    out.writeInt(p.disk()).writeLong(p.file()).writeLong(p.offset());
                }

                @Override
                public BlockPlace read(ByteBuf in) {
                    return new BlockPlace(in.readInt(), in.readLong(), in.readLong());
                }
            });

    public static final MessageType<BlockWrite> BLOCK_WRITE = new MessageType<>(3076, "BlockWrite", BlockWrite.class,
            new MessageCodec<>() {
                @Override
                public void write(BlockWrite w, ByteBuf out) {
                    out.writeInt(w.disk()).writeLong(w.file()).writeLong(w.offset());
                    WireFields.writeBytes(out, w.record(), MAX_RECORD_BYTES);
                }

                @Override
                public BlockWrite read(ByteBuf in) {
                    int disk = in.readInt();
                    long file = in.readLong();
                    long offset = in.readLong();
                    return new BlockWrite(disk, file, offset, WireFields.readBytes(in, MAX_RECORD_BYTES));
                }
            });

    public static final MessageType<FileRange> FILE_RANGE = new MessageType<>(3077, "FileRange", FileRange.class,
            new MessageCodec<>() {
                @Override
                public void write(FileRange r, ByteBuf out) {
                    out.writeInt(r.disk()).writeLong(r.file()).writeLong(r.offset()).writeInt(r.length());
                }

                @Override
                public FileRange read(ByteBuf in) {
                    return new FileRange(in.readInt(), in.readLong(), in.readLong(), in.readInt());
                }
            });

    public static final MessageType<DiskListing> DISK_LISTING = new MessageType<>(3078, "DiskListing", DiskListing.class,
            new MessageCodec<>() {
                @Override
                public void write(DiskListing l, ByteBuf out) {
                    out.writeInt(l.disk());
                    WireFields.writeCount(out, l.files().size(), DiskListing.MAX_FILES, "file");
                    for (DiskListing.FileSize f : l.files()) {
                        out.writeLong(f.file()).writeLong(f.bytes()).writeInt(f.crc());
                    }
                }

                @Override
                public DiskListing read(ByteBuf in) {
                    int disk = in.readInt();
                    int count = WireFields.readCount(in, DiskListing.MAX_FILES, 20, "file");
                    List<DiskListing.FileSize> files = new java.util.ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        files.add(new DiskListing.FileSize(in.readLong(), in.readLong(), in.readInt()));
                    }
                    return new DiskListing(disk, files);
                }
            });

    public static final RpcMethod<BlockRead, BlockBytes> READ = new RpcMethod<>(BLOCK_READ, BLOCK_BYTES, false);
    public static final RpcMethod<BlockReserve, BlockPlace> RESERVE = new RpcMethod<>(BLOCK_RESERVE, BLOCK_PLACE, false);
    public static final RpcMethod<BlockWrite, BlockPlace> WRITE = new RpcMethod<>(BLOCK_WRITE, BLOCK_PLACE, false);
    /** A peer's raw file bytes, for rebuilding a lost disk. */
    public static final RpcMethod<FileRange, BlockBytes> RANGE = new RpcMethod<>(FILE_RANGE, BLOCK_BYTES, false);
    /** A peer's files on one disk, with lengths and CRCs, for rebuilding a lost disk. */
    public static final RpcMethod<DiskListing, DiskListing> LIST = new RpcMethod<>(DISK_LISTING, DISK_LISTING, false);

    public static final List<MessageType<?>> ALL = List.of(BLOCK_READ, BLOCK_BYTES, BLOCK_RESERVE, BLOCK_PLACE,
            BLOCK_WRITE, FILE_RANGE, DISK_LISTING);

    private HddApi() {
    }
}
