package org.sediment.ops.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sediment.common.wire.BuiltinMessages;
import org.sediment.common.wire.Frame;
import org.sediment.common.wire.FrameDecoder;
import org.sediment.common.wire.FrameEncoder;
import org.sediment.common.wire.FrameHeader;
import org.sediment.common.wire.FrameKind;
import org.sediment.common.wire.FrameLimits;
import org.sediment.common.wire.MessageCodec;
import org.sediment.common.wire.MessageRegistry;
import org.sediment.common.wire.MessageType;
import org.sediment.common.wire.Ping;
import org.sediment.common.wire.WireFields;

/**
 * Cost of turning one frame into bytes and back, without sockets or pipelines: the part of every
 * RPC the wire layer owns. Messages: a Ping (8-byte body) and an item write shaped like the
 * design's typical item (20-byte key, 256 B or 2 KiB value).
 *
 * <p>Rerun: {@code ./mvnw -o -q -pl ops -am package -DskipTests && java -cp
 * "ops/target/classes:ops/target/lib/*" org.openjdk.jmh.Main FrameCodec -f 1 -wi 2 -i 3 -w 1s -r 2s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetectionLevel=disabled"})
public class FrameCodecBenchmark {

    /** An item write as a tier would declare it; ids 60000+ are for tests and benchmarks. */
    public record ItemPut(long owner, long ts, int seq, byte[] value) {
        static final int VALUE_BYTES_MAX = 64 * 1024;

        static final MessageType<ItemPut> TYPE = new MessageType<>(60_200, "ItemPut", ItemPut.class,
                new MessageCodec<>() {
                    @Override
                    public void write(ItemPut item, ByteBuf out) {
                        out.writeLong(item.owner());
                        out.writeLong(item.ts());
                        out.writeInt(item.seq());
                        WireFields.writeBytes(out, item.value(), VALUE_BYTES_MAX);
                    }

                    @Override
                    public ItemPut read(ByteBuf in) {
                        return new ItemPut(in.readLong(), in.readLong(), in.readInt(),
                                WireFields.readBytes(in, VALUE_BYTES_MAX));
                    }
                });
    }

    @Param({"PING", "ITEM_256B", "ITEM_2KIB"})
    public String message;

    private Frame frame;
    private FrameDecoder decoder;
    private ByteBuf encodeTarget;
    private ByteBuf encoded;
    private int maxFrameBytes;

    @Setup(Level.Trial)
    public void setUp() {
        FrameLimits limits = FrameLimits.defaults();
        maxFrameBytes = limits.maxFrameBytes();
        MessageRegistry registry = MessageRegistry.builder().register(ItemPut.TYPE).build();
        decoder = new FrameDecoder(registry, limits);
        frame = switch (message) {
            case "PING" -> new Frame(header(BuiltinMessages.PING), BuiltinMessages.PING, new Ping(42));
            case "ITEM_256B" -> new Frame(header(ItemPut.TYPE), ItemPut.TYPE, item(256));
            case "ITEM_2KIB" -> new Frame(header(ItemPut.TYPE), ItemPut.TYPE, item(2_048));
            default -> throw new IllegalArgumentException("unknown message " + message);
        };
        // Direct pooled buffers, as the event loops use.
        encodeTarget = PooledByteBufAllocator.DEFAULT.directBuffer(4_096);
        encoded = PooledByteBufAllocator.DEFAULT.directBuffer(4_096);
        FrameEncoder.encodeInto(frame, encoded, maxFrameBytes);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encodeTarget.release();
        encoded.release();
    }

    @Benchmark
    public int encode() {
        encodeTarget.clear();
        FrameEncoder.encodeInto(frame, encodeTarget, maxFrameBytes);
        return encodeTarget.writerIndex();
    }

    @Benchmark
    public Frame decode() {
        encoded.readerIndex(0);
        return decoder.tryDecode(encoded);
    }

    @Benchmark
    public Frame roundTrip() {
        encodeTarget.clear();
        FrameEncoder.encodeInto(frame, encodeTarget, maxFrameBytes);
        return decoder.tryDecode(encodeTarget);
    }

    private static FrameHeader header(MessageType<?> type) {
        return new FrameHeader(FrameKind.REQUEST, 123_456_789L, type.id(), 10, 64, 7L);
    }

    private static ItemPut item(int valueBytes) {
        byte[] value = new byte[valueBytes];
        new SplittableRandom(1).nextBytes(value);
        return new ItemPut(0x1234_5678_9ABCL, 1_763_700_000_000L, 3, value);
    }
}
