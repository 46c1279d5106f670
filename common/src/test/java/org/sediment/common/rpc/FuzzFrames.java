package org.sediment.common.rpc;

import java.util.SplittableRandom;
import org.sediment.common.testing.Blob;
import org.sediment.common.testing.RawFrames;
import org.sediment.common.wire.BuiltinMessages;
import org.sediment.common.wire.ErrorCode;
import org.sediment.common.wire.Frame;
import org.sediment.common.wire.FrameHeader;
import org.sediment.common.wire.FrameKind;
import org.sediment.common.wire.Ping;
import org.sediment.common.wire.Pong;

/**
 * Generates fuzz input for a server that answers Ping and echoes Blobs at route version
 * {@link #ROUTE_VERSION}, together with what the server must answer.
 *
 * <p>Two families. <b>In-stream</b> cases keep the framing intact (good requests, and requests
 * with a bad version, kind, type, priority, route or body): each must get exactly one reply with
 * its request id, and the connection must stay open. <b>Tails</b> end a connection (wrong magic
 * or random bytes, lengths too large or too small, a truncated frame, a frame with random bytes
 * overwritten): each must get an error reply followed by a clean close, or just a close.
 */
final class FuzzFrames {
    static final long ROUTE_VERSION = 5;
    private static final int MAGIC = FrameHeader.MAGIC;
    private static final int V = FrameHeader.PROTOCOL_VERSION;

    /** What the reply to an in-stream case must be. */
    record Expected(long requestId, Object body, ErrorCode code, boolean anyReply) {
        static Expected answer(long id, Object body) {
            return new Expected(id, body, null, false);
        }

        static Expected error(long id, ErrorCode code) {
            return new Expected(id, null, code, false);
        }

        static Expected anyReply(long id) {
            return new Expected(id, null, null, true);
        }
    }

    record Case(byte[] bytes, Expected expected) {
    }

    enum Tail {
        NONE, WRONG_MAGIC, OVERSIZED_LENGTH, SHORT_LENGTH, TRUNCATED, MUTATED;

        /** The error code the server answers before closing, or null if it just closes. */
        ErrorCode fatalCode() {
            return switch (this) {
                case WRONG_MAGIC, SHORT_LENGTH -> ErrorCode.BAD_FRAME;
                case OVERSIZED_LENGTH -> ErrorCode.TOO_LARGE;
                default -> null;
            };
        }
    }

    private final SplittableRandom random;
    private final int maxFrameBytes;

    FuzzFrames(SplittableRandom random, int maxFrameBytes) {
        this.random = random;
        this.maxFrameBytes = maxFrameBytes;
    }

    /** Half good requests, half bad ones that keep the framing intact. */
    Case inStream(long id) {
        return random.nextBoolean() ? good(id) : badContent(id);
    }

    Case good(long id) {
        if (random.nextBoolean()) {
            Ping ping = new Ping(random.nextLong());
            return new Case(encode(request(id, BuiltinMessages.PING.id(), 0), BuiltinMessages.PING, ping),
                    Expected.answer(id, new Pong(ping.nonce())));
        }
        Blob blob = randomBlob();
        long route = ROUTE_VERSION + random.nextInt(3); // newer routes than the server's are served
        return new Case(encode(request(id, Blob.TYPE.id(), route), Blob.TYPE, blob), Expected.answer(id, blob));
    }

    Case badContent(long id) {
        byte[] ping = {1, 2, 3, 4, 5, 6, 7, 8};
        return switch (random.nextInt(12)) {
            case 0 -> new Case(RawFrames.request(id, unregisteredType(), randomBytes(random.nextInt(64))),
                    Expected.error(id, ErrorCode.UNKNOWN_TYPE));
            case 1 -> new Case(RawFrames.custom(-1, MAGIC, otherVersion(), random.nextInt(256), id,
                    random.nextInt(65_536), random.nextInt(256), random.nextInt(256), random.nextLong(),
                    randomBytes(random.nextInt(64))), Expected.error(id, ErrorCode.UNSUPPORTED_VERSION));
            case 2 -> new Case(RawFrames.custom(-1, MAGIC, V, 3 + random.nextInt(253), id, BuiltinMessages.PING.id(),
                    0, 0, 0, ping), Expected.error(id, ErrorCode.BAD_FRAME));
            case 3 -> new Case(RawFrames.custom(-1, MAGIC, V, random.nextInt(1, 3), id, BuiltinMessages.PING.id(),
                    0, 0, 0, ping), Expected.error(id, ErrorCode.BAD_FRAME));
            case 4 -> new Case(RawFrames.custom(-1, MAGIC, V, 0, id, BuiltinMessages.PING.id(), random.nextInt(256),
                    128 + random.nextInt(128), 0, ping), Expected.error(id, ErrorCode.BAD_FRAME));
            case 5 -> new Case(RawFrames.request(id, BuiltinMessages.PING.id(), randomBytes(random.nextInt(8))),
                    Expected.error(id, ErrorCode.BAD_FRAME));
            case 6 -> new Case(RawFrames.request(id, BuiltinMessages.PING.id(), randomBytes(9 + random.nextInt(40))),
                    Expected.error(id, ErrorCode.BAD_FRAME));
            case 7 -> new Case(RawFrames.request(id, Blob.TYPE.id(), garbageBlobLengths()),
                    Expected.error(id, ErrorCode.BAD_FRAME));
            case 8 -> new Case(encode(request(id, Blob.TYPE.id(), random.nextLong(0, ROUTE_VERSION)), Blob.TYPE,
                    randomBlob()), Expected.error(id, ErrorCode.STALE_ROUTE));
            case 9 -> new Case(encode(request(id, BuiltinMessages.PONG.id(), 0), BuiltinMessages.PONG,
                    new Pong(random.nextLong())), Expected.error(id, ErrorCode.UNKNOWN_TYPE));
            case 10 -> new Case(RawFrames.custom(-1, MAGIC, V, FrameKind.ERROR.wireCode(), id,
                    BuiltinMessages.ERROR_REPLY.id(), 0, 0, 0, new byte[] {0, (byte) (11 + random.nextInt(200)),
                            0, 0, 0, 0, 0, 0, 0, 0, 0, 0}), Expected.error(id, ErrorCode.BAD_FRAME));
            // Random bytes as a Blob body: almost always garbage, but a valid Blob is possible.
            default -> new Case(RawFrames.request(id, Blob.TYPE.id(), randomBytes(random.nextInt(200))),
                    Expected.anyReply(id));
        };
    }

    Tail randomTail() {
        int roll = random.nextInt(100);
        if (roll < 25) {
            return Tail.NONE;
        } else if (roll < 45) {
            return Tail.WRONG_MAGIC;
        } else if (roll < 60) {
            return Tail.OVERSIZED_LENGTH;
        } else if (roll < 70) {
            return Tail.SHORT_LENGTH;
        } else if (roll < 85) {
            return Tail.TRUNCATED;
        }
        return Tail.MUTATED;
    }

    byte[] tail(Tail tail, long id) {
        return switch (tail) {
            case NONE -> new byte[0];
            case WRONG_MAGIC -> {
                byte[] bytes = randomBytes(6 + random.nextInt(300));
                if ((bytes[4] & 0xFF) == (MAGIC >>> 8) && (bytes[5] & 0xFF) == (MAGIC & 0xFF)) {
                    bytes[5] ^= 1;
                }
                yield bytes;
            }
            case OVERSIZED_LENGTH -> RawFrames.custom(random.nextLong(maxFrameBytes - 3L, 1L << 32), MAGIC, V, 0, id,
                    BuiltinMessages.PING.id(), 0, 0, 0, randomBytes(random.nextInt(100)));
            case SHORT_LENGTH -> RawFrames.custom(random.nextInt(FrameHeader.HEADER_BYTES), MAGIC, V, 0, id,
                    BuiltinMessages.PING.id(), 0, 0, 0, randomBytes(random.nextInt(100)));
            case TRUNCATED -> {
                byte[] whole = good(id).bytes();
                byte[] cut = new byte[1 + random.nextInt(whole.length - 1)];
                System.arraycopy(whole, 0, cut, 0, cut.length);
                yield cut;
            }
            case MUTATED -> {
                byte[] bytes = good(id).bytes();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
                yield bytes;
            }
        };
    }

    private Blob randomBlob() {
        int size = random.nextInt(4) == 0 ? random.nextInt(1_024) : random.nextInt(32);
        return new Blob(random.nextLong(), "f" + random.nextInt(1_000), randomBytes(size));
    }

    private byte[] garbageBlobLengths() {
        io.netty.buffer.ByteBuf body = org.sediment.common.testing.TestBuffers.untracked();
        try {
            body.writeLong(random.nextLong());
            if (random.nextBoolean()) {
                body.writeShort(Blob.LABEL_BYTES_MAX + 1 + random.nextInt(65_000)); // label too long
            } else {
                body.writeShort(1).writeByte('x');
                // data length negative, above the limit, or longer than the body
                body.writeInt(switch (random.nextInt(3)) {
                    case 0 -> -1 - random.nextInt(Integer.MAX_VALUE);
                    case 1 -> Blob.DATA_BYTES_MAX + 1 + random.nextInt(1_000_000);
                    default -> 1 + random.nextInt(Blob.DATA_BYTES_MAX);
                });
            }
            byte[] bytes = new byte[body.readableBytes()];
            body.readBytes(bytes);
            return bytes;
        } finally {
            body.release();
        }
    }

    private int unregisteredType() {
        int id;
        do {
            id = random.nextInt(65_536);
        } while (id <= 3 || id == Blob.TYPE.id());
        return id;
    }

    private int otherVersion() {
        int version;
        do {
            version = random.nextInt(256);
        } while (version == V);
        return version;
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static FrameHeader request(long id, int typeId, long route) {
        return new FrameHeader(FrameKind.REQUEST, id, typeId, 0, 0, route);
    }

    private static byte[] encode(FrameHeader header, org.sediment.common.wire.MessageType<?> type, Object body) {
        return RawFrames.encode(new Frame(header, type, body));
    }
}
