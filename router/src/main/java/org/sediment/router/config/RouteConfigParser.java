package org.sediment.router.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sediment.common.block.BlockLayout;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a route config from YAML. Strict: unknown keys are errors (a typo must not silently
 * fall back to a default), and every message names the path of the offending field.
 *
 * <pre>
 * version: 7
 * buckets: 65536                 # fixed at cluster creation
 * blockWindowMillis: 604800000   # one block = one bucket × one week
 * timeSplits:
 *   memoryMaxAgeMillis: 259200000
 *   sinkAgeMillis: 7776000000
 * trafficRatio:
 *   memory: 0.9
 * tiers:
 *   ssd:
 *     - id: 0
 *       members:
 *         - { address: 127.0.0.1:7100, campus: a }
 *         - { address: 127.0.0.1:7101, campus: b }
 *         - { address: 127.0.0.1:7102, campus: c }
 *   memory: [...]   # optional, aligned 1:1 with ssd
 *   hdd: [...]
 * </pre>
 */
public final class RouteConfigParser {

    /** A route document is small; anything larger is a mistake or an attack. */
    public static final int MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

    private static final Set<String> TOP_KEYS =
            Set.of("version", "buckets", "blockWindowMillis", "timeSplits", "trafficRatio", "tiers");

    private RouteConfigParser() {
    }

    public static RouteConfig parse(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_DOCUMENT_BYTES) {
                throw new RouteConfigException(file + " is " + size + " bytes; the limit is " + MAX_DOCUMENT_BYTES);
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RouteConfigException("cannot read route config " + file + ": " + e.getMessage(), e);
        }
    }

    public static RouteConfig parse(String yaml) {
        Object root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            options.setCodePointLimit(MAX_DOCUMENT_BYTES);
            root = new Yaml(new SafeConstructor(options)).load(yaml);
        } catch (YAMLException e) {
            throw new RouteConfigException("route config is not valid YAML: " + e.getMessage(), e);
        }
        Map<String, Object> top = map(root, "the document");
        requireKnownKeys(top, TOP_KEYS, "top level");
        try {
            long version = integer(top, "version", "version");
            int buckets = toInt(integer(top, "buckets", "buckets", BlockLayout.DEFAULT_BUCKETS), "buckets");
            long window = integer(top, "blockWindowMillis", "blockWindowMillis", BlockLayout.DEFAULT_WINDOW_MILLIS);
            Map<String, Object> splits = map(required(top, "timeSplits", "timeSplits"), "timeSplits");
            requireKnownKeys(splits, Set.of("memoryMaxAgeMillis", "sinkAgeMillis"), "timeSplits");
            TimeSplits timeSplits = new TimeSplits(
                    integer(splits, "memoryMaxAgeMillis", "timeSplits.memoryMaxAgeMillis"),
                    integer(splits, "sinkAgeMillis", "timeSplits.sinkAgeMillis"));
            double ratio = 1.0;
            if (top.containsKey("trafficRatio")) {
                Map<String, Object> ratios = map(top.get("trafficRatio"), "trafficRatio");
                requireKnownKeys(ratios, Set.of("memory"), "trafficRatio");
                ratio = number(required(ratios, "memory", "trafficRatio.memory"), "trafficRatio.memory");
            }
            return new RouteConfig(version, new BlockLayout(buckets, window), tiers(top), timeSplits, ratio);
        } catch (IllegalArgumentException e) {
            throw new RouteConfigException(e.getMessage(), e);
        }
    }

    private static Map<Tier, List<GroupRoute>> tiers(Map<String, Object> top) {
        Map<String, Object> tiers = map(required(top, "tiers", "tiers"), "tiers");
        requireKnownKeys(tiers, Set.of("memory", "ssd", "hdd"), "tiers");
        Map<Tier, List<GroupRoute>> result = new EnumMap<>(Tier.class);
        for (Tier tier : Tier.values()) {
            if (!tiers.containsKey(tier.key())) {
                continue;
            }
            String path = "tiers." + tier.key();
            List<GroupRoute> groups = new ArrayList<>();
            List<Object> listed = list(tiers.get(tier.key()), path);
            for (int i = 0; i < listed.size(); i++) {
                groups.add(group(listed.get(i), path + "[" + i + "]"));
            }
            result.put(tier, groups);
        }
        return result;
    }

    private static GroupRoute group(Object node, String path) {
        Map<String, Object> group = map(node, path);
        requireKnownKeys(group, Set.of("id", "members"), path);
        int id = toInt(integer(group, "id", path + ".id"), path + ".id");
        List<Member> members = new ArrayList<>();
        List<Object> listed = list(required(group, "members", path + ".members"), path + ".members");
        for (int i = 0; i < listed.size(); i++) {
            members.add(member(listed.get(i), path + ".members[" + i + "]"));
        }
        return new GroupRoute(id, members);
    }

    private static Member member(Object node, String path) {
        Map<String, Object> member = map(node, path);
        requireKnownKeys(member, Set.of("address", "campus"), path);
        String address = string(required(member, "address", path + ".address"), path + ".address");
        String campus = string(required(member, "campus", path + ".campus"), path + ".campus");
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new RouteConfigException(path + ".address must be host:port, got '" + address + "'");
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new RouteConfigException(path + ".address has a non-numeric port: '" + address + "'");
        }
        try {
            return new Member(address.substring(0, colon), port, campus);
        } catch (IllegalArgumentException e) {
            throw new RouteConfigException(path + ": " + e.getMessage());
        }
    }

    private static void requireKnownKeys(Map<String, Object> node, Set<String> known, String where) {
        for (String key : node.keySet()) {
            if (!known.contains(key)) {
                throw new RouteConfigException("unknown key '" + key + "' at " + where
                        + " (expected one of " + known.stream().sorted().toList() + ")");
            }
        }
    }

    private static Object required(Map<String, Object> node, String key, String path) {
        Object value = node.get(key);
        if (value == null) {
            throw new RouteConfigException(path + " is required");
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String path) {
        if (!(node instanceof Map<?, ?> m)) {
            throw new RouteConfigException(path + " must be a mapping, got " + describe(node));
        }
        for (Object key : m.keySet()) {
            if (!(key instanceof String)) {
                throw new RouteConfigException(path + " has a non-text key: " + key);
            }
        }
        return (Map<String, Object>) m;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node, String path) {
        if (!(node instanceof List<?>)) {
            throw new RouteConfigException(path + " must be a list, got " + describe(node));
        }
        return (List<Object>) node;
    }

    private static long integer(Map<String, Object> node, String key, String path) {
        Object value = required(node, key, path);
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        throw new RouteConfigException(path + " must be an integer, got " + describe(value));
    }

    private static long integer(Map<String, Object> node, String key, String path, long fallback) {
        return node.containsKey(key) ? integer(node, key, path) : fallback;
    }

    private static int toInt(long value, String path) {
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new RouteConfigException(path + " is out of range: " + value);
        }
        return (int) value;
    }

    private static double number(Object value, String path) {
        if (value instanceof Number n && !(value instanceof java.math.BigInteger)) {
            return n.doubleValue();
        }
        throw new RouteConfigException(path + " must be a number, got " + describe(value));
    }

    private static String string(Object value, String path) {
        if (value instanceof String s) {
            return s;
        }
        throw new RouteConfigException(path + " must be text, got " + describe(value));
    }

    private static String describe(Object node) {
        if (node == null) {
            return "nothing";
        }
        String text = String.valueOf(node);
        return (text.length() > 40 ? text.substring(0, 40) + "…" : text)
                + " (" + node.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
