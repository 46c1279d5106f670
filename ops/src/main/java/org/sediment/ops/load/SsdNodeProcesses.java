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
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.sediment.ops.Main;
import org.sediment.ssd.node.NodeConfig;

/**
 * An SSD group whose replicas are separate processes ({@code ssd-node}, the same command an
 * operator runs), on loopback: what a deployment looks like, where a pause in one replica's JVM
 * stalls only the writes it proposes. Each child runs this JVM's own java, class path and
 * flags; its output goes to {@code node-N.log} beside its data.
 */
final class SsdNodeProcesses implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final List<Process> processes = new ArrayList<>();
    private final List<InetSocketAddress> addresses = new ArrayList<>();
    private final List<Integer> httpPorts = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private final List<Path> versionCaches = new ArrayList<>();

    private SsdNodeProcesses() {
    }

    static SsdNodeProcesses start(long groupId, int size, Path dir) throws IOException, InterruptedException {
        SsdNodeProcesses group = new SsdNodeProcesses();
        try {
            for (int i = 0; i < size; i++) {
                group.addresses.add(new InetSocketAddress("127.0.0.1", freePort()));
                group.httpPorts.add(freePort());
            }
            String members = group.addresses.stream().map(a -> "127.0.0.1:" + a.getPort()).collect(Collectors.joining(","));
            for (int i = 0; i < size; i++) {
                Path nodeDir = dir.resolve("node-" + i);
                Files.createDirectories(nodeDir);
                Path log = dir.resolve("node-" + i + ".log");
                List<String> command = new ArrayList<>(javaCommand());
                command.addAll(List.of("ssd-node", "--sediment.ssd.group-id=" + groupId, "--sediment.ssd.node-index=" + i,
                        "--sediment.ssd.members=" + members, "--sediment.ssd.data-dir=" + nodeDir.resolve("data"),
                        "--server.port=" + group.httpPorts.get(i)));
                group.processes.add(new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start());
                group.logs.add(log);
                // Where the child puts it: the same default, derived from the same data directory.
                group.versionCaches.add(NodeConfig.defaults(groupId, i, group.addresses, nodeDir.resolve("data"))
                        .versionCacheFile());
            }
            group.awaitHealthy();
            return group;
        } catch (IOException | InterruptedException | RuntimeException e) {
            group.close();
            throw e;
        }
    }

    List<InetSocketAddress> addresses() {
        return List.copyOf(addresses);
    }

    Path log(int node) {
        return logs.get(node);
    }

    /** Node {@code node}'s version cache, which lives outside its data directory (in shared memory). */
    Path versionCacheFile(int node) {
        return versionCaches.get(node);
    }

    int size() {
        return processes.size();
    }

    /** Waits until every node's actuator health says UP, which it does once the node votes. */
    private void awaitHealthy() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            for (int i = 0; i < processes.size(); i++) {
                URI health = URI.create("http://127.0.0.1:" + httpPorts.get(i) + "/actuator/health");
                while (true) {
                    if (!processes.get(i).isAlive()) {
                        throw new IOException("ssd node " + i + " exited with " + processes.get(i).exitValue()
                                + "; see " + logs.get(i));
                    }
                    if (isUp(http, health)) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IOException("ssd node " + i + " not healthy within " + READY_TIMEOUT + "; see " + logs.get(i));
                    }
                    Thread.sleep(200);
                }
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

    /** This JVM's java, its flags (minus recordings and logs, which name files) and class path. */
    private static List<String> javaCommand() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-XX:StartFlightRecording") && !arg.startsWith("-Xlog") && !arg.startsWith("-agentlib")) {
                command.add(arg);
            }
        }
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
    }
}
