package org.sediment.router.config;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sediment.common.block.BlockLayout;
import org.sediment.common.partition.PartitionMap;

/**
 * One version of the route document that clients and servers share: the block layout, the
 * groups of each tier, the time split points and the memory tier's traffic ratio. Immutable;
 * a reload builds a new one. Every request carries {@link #version()}, and a server answers an
 * older one with its own.
 *
 * <p>The constructor enforces what every consumer relies on, with exact messages: group ids are
 * the partition map's group numbers {@code 0..N-1}; SSD and HDD groups have three members in
 * three campuses; no address is used twice; memory groups, when present, align 1:1 with SSD
 * groups (so a memory machine can batch version checks per SSD group).
 */
public final class RouteConfig {

    public static final int REPLICAS_PER_GROUP = 3;

    private final long version;
    private final BlockLayout layout;
    private final Map<Tier, List<GroupRoute>> groups;
    private final Map<Tier, PartitionMap> partitionMaps;
    private final TimeSplits timeSplits;
    private final double memoryTrafficRatio;

    public RouteConfig(long version, BlockLayout layout, Map<Tier, List<GroupRoute>> groups,
            TimeSplits timeSplits, double memoryTrafficRatio) {
        if (version < 1) {
            throw new RouteConfigException("version must be ≥ 1, got " + version);
        }
        if (!(memoryTrafficRatio >= 0 && memoryTrafficRatio <= 1)) {
            throw new RouteConfigException("trafficRatio.memory must be in [0, 1], got " + memoryTrafficRatio);
        }
        this.version = version;
        this.layout = layout;
        this.timeSplits = timeSplits;
        this.memoryTrafficRatio = memoryTrafficRatio;
        this.groups = new EnumMap<>(Tier.class);
        this.partitionMaps = new EnumMap<>(Tier.class);
        for (Tier tier : Tier.values()) {
            List<GroupRoute> tierGroups = List.copyOf(groups.getOrDefault(tier, List.of()));
            checkGroups(tier, tierGroups);
            this.groups.put(tier, tierGroups);
            if (!tierGroups.isEmpty()) {
                partitionMaps.put(tier, PartitionMap.forGroups(tierGroups.size()));
            }
        }
        checkAddressesUnique();
        checkMemoryAlignsWithSsd();
    }

    public long version() {
        return version;
    }

    public BlockLayout layout() {
        return layout;
    }

    public TimeSplits timeSplits() {
        return timeSplits;
    }

    /** Fraction of reads inside the memory window that go to the memory tier. */
    public double memoryTrafficRatio() {
        return memoryTrafficRatio;
    }

    public List<GroupRoute> groups(Tier tier) {
        return groups.get(tier);
    }

    /** The group of {@code tier} that holds {@code owner}'s timeline. */
    public GroupRoute groupOf(Tier tier, long owner) {
        PartitionMap map = partitionMaps.get(tier);
        if (map == null) {
            throw new IllegalStateException("route version " + version + " has no " + tier.key() + " groups");
        }
        return groups.get(tier).get(layout.groupOf(owner, map));
    }

    /** Fails unless this config may replace {@code current}: versions only move forward. */
    public void requireNewerThan(RouteConfig current) {
        if (current != null && version <= current.version) {
            throw new RouteConfigException(
                    "route version " + version + " is not newer than the current version " + current.version);
        }
    }

    private static void checkGroups(Tier tier, List<GroupRoute> tierGroups) {
        if (tier == Tier.SSD && tierGroups.isEmpty()) {
            throw new RouteConfigException("tiers.ssd must list at least one group");
        }
        if (tierGroups.size() > PartitionMap.maxGroups()) {
            throw new RouteConfigException("tiers." + tier.key() + " has " + tierGroups.size()
                    + " groups; the partition map supports at most " + PartitionMap.maxGroups());
        }
        for (int i = 0; i < tierGroups.size(); i++) {
            GroupRoute group = tierGroups.get(i);
            if (group.id() != i) {
                throw new RouteConfigException("tiers." + tier.key() + ": group ids must be 0.." + (tierGroups.size() - 1)
                        + " in order, found id " + group.id() + " at position " + i);
            }
            if (group.members().isEmpty()) {
                throw new RouteConfigException("tiers." + tier.key() + " group " + i + " has no members");
            }
            if (tier.replicatedAcrossCampuses()) {
                checkCampuses(tier, group);
            }
        }
    }

    private static void checkCampuses(Tier tier, GroupRoute group) {
        Set<String> campuses = new HashSet<>();
        List<String> listed = new ArrayList<>();
        for (Member member : group.members()) {
            campuses.add(member.campus());
            listed.add(member.campus());
        }
        if (group.members().size() != REPLICAS_PER_GROUP || campuses.size() != REPLICAS_PER_GROUP) {
            throw new RouteConfigException("tiers." + tier.key() + " group " + group.id() + " needs "
                    + REPLICAS_PER_GROUP + " members in " + REPLICAS_PER_GROUP + " different campuses, has campuses " + listed);
        }
    }

    private void checkAddressesUnique() {
        Map<String, String> seen = new HashMap<>();
        for (Tier tier : Tier.values()) {
            for (GroupRoute group : groups.get(tier)) {
                for (Member member : group.members()) {
                    String where = "tiers." + tier.key() + " group " + group.id();
                    String earlier = seen.putIfAbsent(member.address(), where);
                    if (earlier != null) {
                        throw new RouteConfigException(
                                "duplicate member " + member.address() + " in " + earlier + " and " + where);
                    }
                }
            }
        }
    }

    private void checkMemoryAlignsWithSsd() {
        int memory = groups.get(Tier.MEMORY).size();
        int ssd = groups.get(Tier.SSD).size();
        if (memory != 0 && memory != ssd) {
            throw new RouteConfigException("tiers.memory has " + memory + " groups but tiers.ssd has " + ssd
                    + ": memory groups align 1:1 with SSD groups (or the memory tier is empty)");
        }
    }

    @Override
    public String toString() {
        return "RouteConfig{version=" + version + ", memory=" + groups.get(Tier.MEMORY).size()
                + ", ssd=" + groups.get(Tier.SSD).size() + ", hdd=" + groups.get(Tier.HDD).size() + " groups}";
    }
}
