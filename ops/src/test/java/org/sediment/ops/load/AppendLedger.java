package org.sediment.ops.load;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.sediment.common.api.ssd.SsdApi;
import org.sediment.common.api.ssd.WriteKind;
import org.sediment.common.api.ssd.WriteReply;
import org.sediment.common.api.ssd.WriteRequest;
import org.sediment.common.api.ssd.WriteStatus;
import org.sediment.router.ssd.SsdCallException;
import org.sediment.router.ssd.SsdGroupClient;

/**
 * Clients that append unique values to a set of timelines and write down how each append ended:
 * acknowledged (with the seq and version of the reply) or failed (by status or error code).
 *
 * <p>Each value names its client, the client's counter and its timeline, followed by filler
 * derived from those three, so a stored value tells which append it was, whether it sits in the
 * timeline it was sent to and whether its bytes are intact; the same value stored twice is a
 * duplicate.
 *
 * <p>Threads: each client runs on a virtual thread of its own and is the only writer of its
 * records; {@link #stop} joins them, after which any thread may read the records.
 * {@link #acked()} may be read at any time.
 */
final class AppendLedger {
    static final int VALUE_BYTES = 64;
    private static final int HEADER_BYTES = 4 + 8 + 8;

    /** One acknowledged append: where its reply says it is, what it holds, and when the reply came. */
    record Ack(long timeline, long ts, int seq, long version, byte[] value, long ackedNanos) {
        @Override
        public String toString() {
            return "append to timeline " + timeline + " at " + ts + "/" + Integer.toUnsignedString(seq) + " (v" + version + ")";
        }
    }

    /** Which append a stored value is: its client and that client's counter. */
    record AppendId(int client, long counter) {
    }

    private final List<Client> clients = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong acked = new AtomicLong();
    private volatile boolean running = true;

    private AppendLedger() {
    }

    /**
     * Starts {@code clients} clients, each appending to timelines {@code firstTimeline} ..
     * {@code firstTimeline + timelines - 1} chosen by a random source seeded from {@code seed}.
     */
    static AppendLedger start(SsdGroupClient group, int clients, long firstTimeline, int timelines, long seed) {
        AppendLedger ledger = new AppendLedger();
        for (int i = 0; i < clients; i++) {
            Client client = ledger.new Client(i, group, new Random(seed + i), firstTimeline, timelines);
            ledger.clients.add(client);
            ledger.threads.add(Thread.ofVirtual().name("appender-" + i).start(client));
        }
        return ledger;
    }

    /** Appends acknowledged so far, by all clients. */
    long acked() {
        return acked.get();
    }

    /** Tells every client to stop, and waits until each one's last append has ended. */
    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join();
        }
    }

    List<Ack> acks() {
        List<Ack> all = new ArrayList<>();
        for (Client c : clients) {
            all.addAll(c.acks);
        }
        return all;
    }

    /** Failed appends by status or error code, e.g. {@code UNAVAILABLE=3}. */
    Map<String, Integer> failures() {
        Map<String, Integer> all = new TreeMap<>();
        for (Client c : clients) {
            c.failures.forEach((reason, n) -> all.merge(reason, n, Integer::sum));
        }
        return all;
    }

    long failed() {
        return failures().values().stream().mapToLong(Integer::longValue).sum();
    }

    /** Errors no append may end with (anything but an answer or an {@link SsdCallException}). */
    List<Throwable> unexpected() {
        List<Throwable> all = new ArrayList<>();
        for (Client c : clients) {
            all.addAll(c.unexpected);
        }
        return all;
    }

    /**
     * Which append of this ledger {@code value}, read from {@code timeline}, is; null if no client
     * sent it there (a value never sent, one sent to another timeline, or changed bytes).
     */
    AppendId sender(long timeline, byte[] value) {
        AppendId id = decode(timeline, value);
        return id != null && id.client() < clients.size() && id.counter() < clients.get(id.client()).sent ? id : null;
    }

    /** Which append {@code value} encodes, or null if it is not a value {@link #encode} made for {@code timeline}. */
    static AppendId decode(long timeline, byte[] value) {
        if (value.length != VALUE_BYTES) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(value);
        int client = in.getInt();
        long counter = in.getLong();
        if (client < 0 || counter < 0 || in.getLong() != timeline || !Arrays.equals(value, encode(client, counter, timeline))) {
            return null;
        }
        return new AppendId(client, counter);
    }

    static byte[] encode(int client, long counter, long timeline) {
        ByteBuffer out = ByteBuffer.allocate(VALUE_BYTES).putInt(client).putLong(counter).putLong(timeline);
        for (int i = HEADER_BYTES; i < VALUE_BYTES; i++) {
            out.put((byte) (counter * 31 + client * 7 + timeline * 13 + i));
        }
        return out.array();
    }

    /** One closed-loop client: its next append starts when the last one ended. */
    private final class Client implements Runnable {
        final int id;
        final SsdGroupClient group;
        final Random random;
        final long firstTimeline;
        final int timelines;
        final List<Ack> acks = new ArrayList<>();
        final Map<String, Integer> failures = new TreeMap<>();
        final List<Throwable> unexpected = new ArrayList<>();
        /** Appends started; read by {@link #sender} only after {@link #stop}. */
        long sent;

        Client(int id, SsdGroupClient group, Random random, long firstTimeline, int timelines) {
            this.id = id;
            this.group = group;
            this.random = random;
            this.firstTimeline = firstTimeline;
            this.timelines = timelines;
        }

        @Override
        public void run() {
            while (running) {
                long timeline = firstTimeline + random.nextInt(timelines);
                byte[] value = encode(id, sent++, timeline);
                long ts = System.currentTimeMillis();
                try {
                    WriteReply reply = group.write(new WriteRequest(timeline, WriteKind.APPEND, SsdApi.UNCONDITIONAL, ts, 0, value));
                    if (reply.status() == WriteStatus.OK) {
                        acks.add(new Ack(timeline, ts, reply.seq(), reply.version(), value, System.nanoTime()));
                        acked.incrementAndGet();
                    } else {
                        failures.merge(reply.status().name(), 1, Integer::sum);
                    }
                } catch (SsdCallException e) {
                    failures.merge(e.code().name(), 1, Integer::sum);
                } catch (RuntimeException e) {
                    unexpected.add(e);
                }
            }
        }
    }
}
