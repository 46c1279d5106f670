package org.sediment.common.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sediment.common.testing.Blob;
import org.sediment.common.testing.NoLeaks;
import org.sediment.common.testing.Seeds;
import org.sediment.common.testing.TestBuffers;
import org.sediment.common.wire.BuiltinMessages;
import org.sediment.common.wire.Frame;
import org.sediment.common.wire.FrameDecoder;
import org.sediment.common.wire.FrameEncoder;
import org.sediment.common.wire.FrameLimits;
import org.sediment.common.wire.Ping;
import org.sediment.common.wire.Pong;
import org.sediment.common.wire.WireException;

/**
 * Random and mutated frames against the server pipeline: nothing escapes, every bad frame is
 * answered or the connection closes cleanly, good requests keep being served, no buffer leaks
 * ({@link NoLeaks}, paranoid detection). {@code -Dsediment.long=true} runs ten times the volume;
 * {@code -Dsediment.seed=N} replays a run.
 */
@ExtendWith({NoLeaks.class, Seeds.class})
class WireFuzzTest {
    private static final int SCALE = Boolean.getBoolean("sediment.long") ? 10 : 1;
    private static final int MAX_FRAME_BYTES = 64 * 1024;
    private static final FrameLimits LIMITS = new FrameLimits(MAX_FRAME_BYTES);
    private static final int MAX_IN_STREAM_PER_CONNECTION = 300;

    @Test
    void embeddedServerPipelineSurvivesRandomAndMutatedFrames() throws Exception {
        // On a thread of its own: paranoid leak detection captures a stack trace per buffer
        // access, and under JUnit's deep stack that alone made this run twice as slow.
        CompletableFuture.runAsync(WireFuzzTest::fuzzEmbeddedPipeline).get();
    }

    private static void fuzzEmbeddedPipeline() {
        SplittableRandom random = new SplittableRandom(Seeds.seed());
        FuzzFrames fuzz = new FuzzFrames(random, MAX_FRAME_BYTES);
        RpcServerStats stats = new RpcServerStats();
        long frames = 0;
        long connections = 0;
        long id = 1;
        while (frames < 150_000L * SCALE) {
            EmbeddedChannel channel = embeddedServer(stats);
            List<FuzzFrames.Case> cases = new ArrayList<>();
            ByteBuf stream = TestBuffers.untracked();
            for (int n = 1 + random.nextInt(MAX_IN_STREAM_PER_CONNECTION); n > 0; n--) {
                FuzzFrames.Case c = fuzz.inStream(id++);
                cases.add(c);
                stream.writeBytes(c.bytes());
            }
            while (stream.isReadable()) { // random cuts: frames split across and packed into reads
                channel.writeInbound(stream.readRetainedSlice(Math.min(stream.readableBytes(), 1 + random.nextInt(2_000))));
            }
            stream.release();
            FuzzReplies.checkInStream(cases, drain(channel));
            assertThat(channel.isOpen()).isTrue();

            FuzzFrames.Tail tail = fuzz.randomTail();
            if (tail != FuzzFrames.Tail.NONE) {
                channel.writeInbound(Unpooled.wrappedBuffer(fuzz.tail(tail, id++)));
                if (tail.fatalCode() != null) {
                    assertThat(channel.isOpen()).as("closed by the server after " + tail).isFalse();
                }
                channel.close(); // the peer's EOF, for tails the server waits on
                FuzzReplies.checkTail(tail, drain(channel), false);
                frames++;
            }
            channel.finishAndReleaseAll();
            frames += cases.size();
            connections++;
        }
        System.out.printf("embedded fuzz (seed %d): %d frames on %d connections; %s%n", Seeds.seed(), frames,
                connections, stats);
        assertThat(stats.unexpectedExceptions()).isZero();
        assertThat(stats.handlerFailures()).isZero();
        assertThat(stats.badFramesAnswered()).isPositive();
        assertThat(stats.connectionsClosedOnBadFraming()).isPositive();
    }

    @Test
    void realServerSurvivesFuzzWhileAGoodClientKeepsGettingCorrectAnswers() throws Exception {
        RpcServerConfig config = RpcServerConfig.loopback(0).withMaxFrameBytes(MAX_FRAME_BYTES)
                .withMaxQueuedRequests(100_000);
        try (RpcServer server = echoServer(config).build()) {
            InetSocketAddress address = server.start();
            AtomicBoolean fuzzing = new AtomicBoolean(true);
            CompletableFuture<Long> goodClient = CompletableFuture.supplyAsync(
                    () -> runGoodClient(address, fuzzing, Seeds.seed() ^ 0x5EED));
            int workers = 3;
            long framesPerWorker = 70_000L * SCALE;
            List<CompletableFuture<long[]>> fuzzers = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                long workerSeed = Seeds.seed() + w;
                long firstId = (w + 1L) << 40;
                fuzzers.add(CompletableFuture.supplyAsync(() -> fuzzConnections(address, workerSeed, firstId, framesPerWorker)));
            }
            long frames = 0;
            long connections = 0;
            long resets = 0;
            try {
                for (CompletableFuture<long[]> fuzzer : fuzzers) {
                    long[] counts = fuzzer.get();
                    frames += counts[0];
                    connections += counts[1];
                    resets += counts[2];
                }
            } finally {
                fuzzing.set(false);
            }
            long goodCalls = goodClient.get();
            RpcServerStats stats = server.stats();
            System.out.printf("loopback fuzz (seed %d): %d frames on %d connections (%d reset after a fatal"
                    + " frame), %d good-client calls; %s%n", Seeds.seed(), frames, connections, resets, goodCalls, stats);
            assertThat(stats.unexpectedExceptions()).isZero();
            assertThat(stats.handlerFailures()).isZero();
            assertThat(goodCalls).isPositive();
            assertThat(frames).isGreaterThanOrEqualTo(workers * framesPerWorker);
        }
    }

    /** One worker: connections with in-stream fuzz, checked, then a tail. Returns frames, connections, resets. */
    private static long[] fuzzConnections(InetSocketAddress address, long seed, long firstId, long frameQuota) {
        SplittableRandom random = new SplittableRandom(seed);
        FuzzFrames fuzz = new FuzzFrames(random, MAX_FRAME_BYTES);
        long id = firstId;
        long frames = 0;
        long connections = 0;
        long resets = 0;
        while (frames < frameQuota) {
            try (SocketPeer peer = new SocketPeer(address)) {
                List<FuzzFrames.Case> cases = new ArrayList<>();
                ByteBuf stream = TestBuffers.untracked();
                try {
                    for (int n = 1 + random.nextInt(MAX_IN_STREAM_PER_CONNECTION); n > 0; n--) {
                        FuzzFrames.Case c = fuzz.inStream(id++);
                        cases.add(c);
                        stream.writeBytes(c.bytes());
                    }
                    byte[] bytes = ByteBufUtilCopy.toArray(stream);
                    if (random.nextInt(4) == 0) {
                        peer.writeInPieces(bytes, random); // frames split across TCP segments
                    } else {
                        peer.write(bytes);
                    }
                } finally {
                    stream.release();
                }
                FuzzReplies.checkInStream(cases, peer.read(cases.size()));
                frames += cases.size();

                FuzzFrames.Tail tail = fuzz.randomTail();
                if (tail != FuzzFrames.Tail.NONE) {
                    peer.write(fuzz.tail(tail, id++));
                    if (tail.fatalCode() == null) {
                        peer.shutdownOutput(); // truncated or mutated: the server may be waiting for more
                    }
                    List<Frame> replies = peer.readUntilClosed();
                    FuzzReplies.checkTail(tail, replies, peer.wasReset);
                    resets += peer.wasReset ? 1 : 0;
                    frames++;
                }
                connections++;
            } catch (IOException e) {
                throw new AssertionError("fuzz connection failed (seed " + seed + ")", e);
            }
        }
        return new long[] {frames, connections, resets};
    }

    /** A well-behaved client calling throughout the fuzz; every answer must be right. */
    private static long runGoodClient(InetSocketAddress address, AtomicBoolean fuzzing, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long calls = 0;
        try (RpcClient client = new RpcClient(RpcClientConfig.defaults(), Blob.registry())) {
            while (fuzzing.get() || calls == 0) {
                long nonce = random.nextLong();
                assertThat(client.call(address, RpcMethod.PING, new Ping(nonce), CallOptions.of(0, 30_000)).join())
                        .isEqualTo(new RpcOutcome.Success<>(new Pong(nonce), FuzzFrames.ROUTE_VERSION));
                byte[] data = new byte[random.nextInt(512)];
                random.nextBytes(data);
                Blob blob = new Blob(nonce, "good", data);
                assertThat(client.call(address, Blob.ECHO, blob, CallOptions.of(FuzzFrames.ROUTE_VERSION, 30_000)).join())
                        .isEqualTo(new RpcOutcome.Success<>(blob, FuzzFrames.ROUTE_VERSION));
                calls += 2;
            }
        }
        return calls;
    }

    private static RpcServer.Builder echoServer(RpcServerConfig config) {
        return RpcServer.builder(config, Blob.registry())
                .routeVersion(() -> FuzzFrames.ROUTE_VERSION)
                .handle(RpcMethod.PING, (request, header) -> RpcOutcome.success(new Pong(request.nonce())))
                .handle(Blob.ECHO, (request, header) -> RpcOutcome.success(request));
    }

    /** The real server's handlers in an EmbeddedChannel, handlers run inline. */
    private static EmbeddedChannel embeddedServer(RpcServerStats stats) {
        RequestHandler<Ping, Pong> ping = (request, header) -> RpcOutcome.success(new Pong(request.nonce()));
        RequestHandler<Blob, Blob> echo = (request, header) -> RpcOutcome.success(request);
        Map<Integer, Route<?, ?>> routes = Map.of(
                BuiltinMessages.PING.id(), new Route<>(RpcMethod.PING, ping),
                Blob.TYPE.id(), new Route<>(Blob.ECHO, echo));
        return new EmbeddedChannel(
                new FrameDecoder(Blob.registry(), LIMITS),
                new FrameEncoder(LIMITS),
                new BackpressureHandler(),
                new RequestDispatcher(routes, () -> FuzzFrames.ROUTE_VERSION, Runnable::run, 100_000, stats),
                new ServerErrorHandler(() -> FuzzFrames.ROUTE_VERSION, stats));
    }

    private static List<Frame> drain(EmbeddedChannel channel) {
        return ServerPipelineTest.replies(channel);
    }

    private static final class ByteBufUtilCopy {
        static byte[] toArray(ByteBuf buf) {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), bytes);
            return bytes;
        }
    }

    /** A raw blocking socket that parses the server's byte stream with the real decoder. */
    private static final class SocketPeer implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final FrameDecoder decoder = new FrameDecoder(Blob.registry(),
                new FrameLimits(FrameLimits.MAX_FRAME_BYTES_CEILING));
        private final ByteBuf received = TestBuffers.untracked();
        private final byte[] chunk = new byte[16 * 1024];
        boolean wasReset;

        SocketPeer(InetSocketAddress address) throws IOException {
            socket = new Socket(address.getAddress(), address.getPort());
            socket.setSoTimeout(30_000); // a silent server fails the test instead of hanging it
            socket.setTcpNoDelay(true);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        void writeInPieces(byte[] bytes, SplittableRandom random) throws IOException {
            for (int at = 0; at < bytes.length; ) {
                int piece = Math.min(bytes.length - at, 1 + random.nextInt(600));
                out.write(bytes, at, piece);
                out.flush();
                at += piece;
            }
        }

        void shutdownOutput() throws IOException {
            socket.shutdownOutput();
        }

        List<Frame> read(int count) throws IOException {
            List<Frame> frames = new ArrayList<>();
            while (frames.size() < count) {
                if (!decodeAvailable(frames) && !fill()) {
                    throw new AssertionError("server closed after " + frames.size() + " of " + count + " replies");
                }
            }
            return frames;
        }

        List<Frame> readUntilClosed() throws IOException {
            List<Frame> frames = new ArrayList<>();
            do {
                decodeAvailable(frames);
            } while (fill());
            decodeAvailable(frames);
            if (received.isReadable() && !wasReset) {
                throw new AssertionError("server closed mid-frame: " + received.readableBytes() + " bytes left");
            }
            return frames;
        }

        private boolean decodeAvailable(List<Frame> frames) {
            boolean any = false;
            try {
                for (Frame frame; (frame = decoder.tryDecode(received)) != null; ) {
                    frames.add(frame);
                    any = true;
                }
            } catch (WireException e) {
                throw new AssertionError("the server sent an undecodable frame", e);
            }
            received.discardReadBytes();
            return any;
        }

        /** Reads more bytes; false on EOF or reset. */
        private boolean fill() throws IOException {
            int n;
            try {
                n = in.read(chunk);
            } catch (SocketException e) {
                // A server closing with our bytes unread makes the kernel send RST: still a close.
                wasReset = true;
                return false;
            }
            if (n < 0) {
                return false;
            }
            received.writeBytes(chunk, 0, n);
            return true;
        }

        @Override
        public void close() throws IOException {
            received.release();
            socket.close();
        }
    }
}
