package org.sediment.ops.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.sediment.ops.Main;
import org.sediment.ssd.node.NodeConfig;
import org.sediment.ssd.node.PeerKey;

/**
 * An SSD group whose replicas are separate processes ({@code ssd-node}, the same command an
 * operator runs), on loopback: what a deployment looks like, where a pause in one replica's JVM
 * stalls only the writes it proposes. Each child runs this JVM's own java, class path and
 * flags; its output goes to {@code node-N.log} beside its data (a restarted node appends to it).
 *
 * <p>A replica can be killed as a crash would kill it ({@link #kill}) and started again on the
 * same data directory and ports ({@link #restart}). The children are also killed when this JVM
 * exits without closing the group (Ctrl-C, a test run stopped), so no replica outlives its caller
 * holding ports and a core; only a SIGKILL of this JVM still leaves them running.
 */
public final class SsdNodeProcesses implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

    private final List<List<String>> commands = new ArrayList<>();
    /** Read by the exit hook's thread, replaced by {@link #restart}. */
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final List<InetSocketAddress> addresses = new ArrayList<>();
    private final List<Integer> httpPorts = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private final List<Path> versionCaches = new ArrayList<>();
    private final Thread killOnExit = new Thread(this::killAll, "ssd-node-processes-exit");

    private SsdNodeProcesses() {
    }

    static SsdNodeProcesses start(long groupId, int size, Path dir) throws IOException, InterruptedException {
        return start(groupId, size, dir, List.of());
    }

    /**
     * @param jvmFlags given to each child after this JVM's own flags, so they win where both set
     *                 the same one (e.g. a test JVM's {@code -Dio.netty.leakDetectionLevel=paranoid})
     */
    static SsdNodeProcesses start(long groupId, int size, Path dir, List<String> jvmFlags)
            throws IOException, InterruptedException {
        List<InetSocketAddress> members = new ArrayList<>();
        List<InetSocketAddress> peers = new ArrayList<>();
        List<Integer> httpPorts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            members.add(new InetSocketAddress("127.0.0.1", freePort()));
            peers.add(new InetSocketAddress("127.0.0.1", freePort()));
            httpPorts.add(freePort());
        }
        Files.createDirectories(dir);
        PeerKey.generate().write(dir.resolve("peer.key"));
        return start(groupId, members, peers, httpPorts, dir, null, jvmFlags);
    }

    /**
     * Starts one {@code ssd-node} process per member, with node {@code i} on {@code members[i]},
     * {@code peers[i]} and actuator port {@code httpPorts[i]}, its data under {@code dir/node-i},
     * the group's key in {@code dir/peer.key} (which must exist), and following {@code routesFile}
     * when it is not null. Returns once every node is healthy.
     */
    public static SsdNodeProcesses start(long groupId, List<InetSocketAddress> members, List<InetSocketAddress> peers,
                                         List<Integer> httpPorts, Path dir, Path routesFile, List<String> jvmFlags)
            throws IOException, InterruptedException {
        SsdNodeProcesses group = new SsdNodeProcesses();
        Runtime.getRuntime().addShutdownHook(group.killOnExit);
        try {
            int size = members.size();
            group.addresses.addAll(members);
            group.httpPorts.addAll(httpPorts);
            String memberList = members.stream().map(a -> a.getHostString() + ":" + a.getPort())
                    .collect(Collectors.joining(","));
            String peerList = peers.stream().map(a -> a.getHostString() + ":" + a.getPort()).collect(Collectors.joining(","));
            Path keyFile = dir.resolve("peer.key");
            PeerKey key = PeerKey.read(keyFile);
            for (int i = 0; i < size; i++) {
                Path nodeDir = dir.resolve("node-" + i);
                Files.createDirectories(nodeDir);
                // The default place, derived from the data directory, handed to the child explicitly:
                // the shared-memory directory may be a system property of this JVM that is not among
                // the flags the child inherits (surefire sets it at run time).
                Path versionCache = NodeConfig.defaults(groupId, i, members, peers, key,
                        nodeDir.resolve("data")).versionCacheFile();
                List<String> command = new ArrayList<>(javaCommand(jvmFlags));
                command.addAll(List.of("ssd-node", "--sediment.ssd.group-id=" + groupId, "--sediment.ssd.node-index=" + i,
                        "--sediment.ssd.members=" + memberList, "--sediment.ssd.peers=" + peerList,
                        "--sediment.ssd.peer-key-file=" + keyFile, "--sediment.ssd.data-dir=" + nodeDir.resolve("data"),
                        "--sediment.ssd.version-cache-file=" + versionCache, "--server.port=" + httpPorts.get(i)));
                if (routesFile != null) {
                    command.add("--sediment.ssd.routes-file=" + routesFile);
                }
                group.commands.add(List.copyOf(command));
                group.logs.add(dir.resolve("node-" + i + ".log"));
                group.versionCaches.add(versionCache);
                group.processes.add(group.launch(i));
            }
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            for (int i = 0; i < size; i++) {
                group.awaitHealthy(i, deadline);
            }
            return group;
        } catch (IOException | InterruptedException | RuntimeException e) {
            group.close();
            throw e;
        }
    }

    /** Node {@code node}'s process id, for signals (SIGSTOP/SIGCONT in tests and the load generator). */
    public long pid(int node) {
        return processes.get(node).pid();
    }

    public List<InetSocketAddress> addresses() {
        return List.copyOf(addresses);
    }

    public Path log(int node) {
        return logs.get(node);
    }

    /** Node {@code node}'s version cache, which lives outside its data directory (in shared memory). */
    Path versionCacheFile(int node) {
        return versionCaches.get(node);
    }

    public int size() {
        return processes.size();
    }

    /**
     * Kills node {@code node} the way a crash does: {@link Process#destroyForcibly} is SIGKILL on
     * Linux, so no shutdown hook runs and nothing is flushed or checkpointed. Returns once the
     * process is gone (its ports are closed).
     */
    public void kill(int node) throws InterruptedException {
        Process process = processes.get(node);
        process.destroyForcibly();
        if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("ssd node " + node + " still running " + EXIT_TIMEOUT + " after SIGKILL");
        }
    }

    /**
     * Starts node {@code node} again, after {@link #kill}, on its data directory and ports, and
     * returns once its health says UP, i.e. once it votes again.
     */
    public void restart(int node) throws IOException, InterruptedException {
        if (processes.get(node).isAlive()) {
            throw new IllegalStateException("ssd node " + node + " is still running: kill it first");
        }
        processes.set(node, launch(node));
        awaitHealthy(node, System.nanoTime() + READY_TIMEOUT.toNanos());
    }

    private Process launch(int node) throws IOException {
        return new ProcessBuilder(commands.get(node)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.get(node).toFile())).start();
    }

    /** Waits until node {@code node}'s actuator health says UP, which it does once the node votes. */
    private void awaitHealthy(int node, long deadlineNanos) throws InterruptedException, IOException {
        URI health = URI.create("http://127.0.0.1:" + httpPorts.get(node) + "/actuator/health");
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            while (true) {
                Process process = processes.get(node);
                if (!process.isAlive()) {
                    throw new IOException("ssd node " + node + " exited with " + process.exitValue() + "; see " + logs.get(node));
                }
                if (isUp(http, health)) {
                    return;
                }
                if (System.nanoTime() > deadlineNanos) {
                    throw new IOException("ssd node " + node + " not healthy within " + READY_TIMEOUT + "; see " + logs.get(node));
                }
                Thread.sleep(200);
            }
        }
    }

    private static boolean isUp(HttpClient http, URI health) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** This JVM's java, its flags (minus recordings and logs, which name files), {@code extraFlags} and class path. */
    private static List<String> javaCommand(List<String> extraFlags) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-XX:StartFlightRecording") && !arg.startsWith("-Xlog") && !arg.startsWith("-agentlib")) {
                command.add(arg);
            }
        }
        command.addAll(extraFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        return command;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void killAll() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
    }

    /** Stops every node as an operator would (SIGTERM), forcibly after 20 s. */
    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException exiting) {
            // close() called from another shutdown hook: ours runs anyway, on processes already gone
        }
    }
}
