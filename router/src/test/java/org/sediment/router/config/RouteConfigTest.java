package org.sediment.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.sediment.common.partition.PartitionMap;

class RouteConfigTest {

    /** A valid document with {@code ssdGroups} SSD groups (and as many memory groups). */
    static String document(long version, int ssdGroups) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("version: ").append(version).append('\n')
                .append("buckets: 4096\n")
                .append("blockWindowMillis: 86400000\n")
                .append("timeSplits:\n  memoryMaxAgeMillis: 259200000\n  sinkAgeMillis: 7776000000\n")
                .append("trafficRatio:\n  memory: 0.75\n")
                .append("tiers:\n");
        appendTier(yaml, "ssd", ssdGroups, 7000, 3);
        appendTier(yaml, "memory", ssdGroups, 8000, 2);
        appendTier(yaml, "hdd", 1, 9000, 3);
        return yaml.toString();
    }

    private static void appendTier(StringBuilder yaml, String tier, int groups, int basePort, int members) {
        yaml.append("  ").append(tier).append(":\n");
        for (int g = 0; g < groups; g++) {
            yaml.append("    - id: ").append(g).append("\n      members:\n");
            for (int m = 0; m < members; m++) {
                yaml.append("        - { address: 127.0.0.1:").append(basePort + g * 10 + m)
                        .append(", campus: ").append((char) ('a' + m)).append(" }\n");
            }
        }
    }

    @Test
    void parsesAValidDocument() {
        RouteConfig config = RouteConfigParser.parse(document(7, 4));
        assertThat(config.version()).isEqualTo(7);
        assertThat(config.layout().bucketCount()).isEqualTo(4096);
        assertThat(config.layout().windowMillis()).isEqualTo(86_400_000L);
        assertThat(config.timeSplits()).isEqualTo(new TimeSplits(259_200_000L, 7_776_000_000L));
        assertThat(config.memoryTrafficRatio()).isEqualTo(0.75);
        assertThat(config.groups(Tier.SSD)).hasSize(4);
        assertThat(config.groups(Tier.MEMORY)).hasSize(4);
        assertThat(config.groups(Tier.HDD).get(0).members())
                .extracting(Member::address).containsExactly("127.0.0.1:9000", "127.0.0.1:9001", "127.0.0.1:9002");
    }

    @Test
    void ownersRouteThroughTheSharedPartitionMapAndMemoryConvergesOnSsd() {
        RouteConfig config = RouteConfigParser.parse(document(1, 5));
        PartitionMap map = PartitionMap.forGroups(5);
        for (long owner = 0; owner < 10_000; owner++) {
            int expected = config.layout().groupOf(owner, map);
            assertThat(config.groupOf(Tier.SSD, owner).id()).isEqualTo(expected);
            assertThat(config.groupOf(Tier.MEMORY, owner).id()).isEqualTo(expected);
        }
    }

    @Test
    void membersAreTriedInARotationThatCoversTheGroup() {
        GroupRoute group = RouteConfigParser.parse(document(1, 1)).groups(Tier.SSD).get(0);
        for (long h = 0; h < 6; h++) {
            long hash = h;
            assertThat(java.util.stream.IntStream.range(0, 3).mapToObj(a -> group.memberFor(hash, a)))
                    .containsExactlyInAnyOrderElementsOf(group.members());
        }
    }

    @Test
    void rejectsADuplicateMember() {
        String yaml = document(1, 2).replace("127.0.0.1:7010", "127.0.0.1:7001");
        assertThatThrownBy(() -> RouteConfigParser.parse(yaml))
                .isInstanceOf(RouteConfigException.class)
                .hasMessage("duplicate member 127.0.0.1:7001 in tiers.ssd group 0 and tiers.ssd group 1");
    }

    @Test
    void rejectsAReplicatedGroupWithoutThreeCampuses() {
        String yaml = document(1, 2).replace("127.0.0.1:7011, campus: b", "127.0.0.1:7011, campus: a");
        assertThatThrownBy(() -> RouteConfigParser.parse(yaml))
                .hasMessage("tiers.ssd group 1 needs 3 members in 3 different campuses, has campuses [a, a, c]");
    }

    @Test
    void rejectsATrafficRatioOutOfRange() {
        assertThatThrownBy(() -> RouteConfigParser.parse(document(1, 1).replace("memory: 0.75", "memory: 1.5")))
                .hasMessage("trafficRatio.memory must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> RouteConfigParser.parse(document(1, 1).replace("memory: 0.75", "memory: -0.1")))
                .hasMessage("trafficRatio.memory must be in [0, 1], got -0.1");
    }

    @Test
    void rejectsAVersionThatDoesNotIncrease() {
        RouteConfig current = RouteConfigParser.parse(document(5, 1));
        assertThatThrownBy(() -> RouteConfigParser.parse(document(5, 1)).requireNewerThan(current))
                .hasMessage("route version 5 is not newer than the current version 5");
        RouteConfigParser.parse(document(6, 1)).requireNewerThan(current);
    }

    @Test
    void rejectsStructuralMistakesWithThePathOfTheField() {
        assertThatThrownBy(() -> RouteConfigParser.parse(document(1, 1).replace("buckets:", "bukkets:")))
                .hasMessageStartingWith("unknown key 'bukkets' at top level");
        assertThatThrownBy(() -> RouteConfigParser.parse(document(1, 2).replaceFirst("- id: 1", "- id: 2")))
                .hasMessage("tiers.ssd: group ids must be 0..1 in order, found id 2 at position 1");
        assertThatThrownBy(() -> RouteConfigParser.parse(document(1, 1).replace("127.0.0.1:7000", "127.0.0.1")))
                .hasMessage("tiers.ssd[0].members[0].address must be host:port, got '127.0.0.1'");
        assertThatThrownBy(() -> RouteConfigParser.parse(document(1, 1).replace("127.0.0.1:7000", "127.0.0.1:70000")))
                .hasMessage("tiers.ssd[0].members[0]: member port must be in [1, 65535], got 70000");
        assertThatThrownBy(() -> RouteConfigParser.parse(document(1, 1).replace("version: 1", "version: one")))
                .hasMessage("version must be an integer, got one (string)");
        assertThatThrownBy(() -> RouteConfigParser.parse(document(1, 1).replace("buckets: 4096", "buckets: 0")))
                .hasMessage("bucket count must be in [1, 16777216], got 0");
        assertThatThrownBy(() -> RouteConfigParser.parse(document(1, 1).replace("sinkAgeMillis: 7776000000", "sinkAgeMillis: 5")))
                .hasMessage("timeSplits.sinkAgeMillis (5) must be greater than timeSplits.memoryMaxAgeMillis (259200000)");
        assertThatThrownBy(() -> RouteConfigParser.parse("version: [1\n"))
                .hasMessageStartingWith("route config is not valid YAML");
        assertThatThrownBy(() -> RouteConfigParser.parse("- 1\n- 2\n"))
                .hasMessage("the document must be a mapping, got [1, 2] (arraylist)");
    }

    @Test
    void rejectsMemoryGroupsThatDoNotAlignWithSsdGroups() {
        String yaml = document(1, 2).replace("  memory:\n", "  memory:\n    - id: 0\n      members:\n"
                        + "        - { address: 127.0.0.1:8500, campus: a }\n")
                .replace("    - id: 0\n      members:\n        - { address: 127.0.0.1:8000",
                        "    - id: 1\n      members:\n        - { address: 127.0.0.1:8000")
                .replace("    - id: 1\n      members:\n        - { address: 127.0.0.1:8010",
                        "    - id: 2\n      members:\n        - { address: 127.0.0.1:8010");
        assertThatThrownBy(() -> RouteConfigParser.parse(yaml))
                .hasMessage("tiers.memory has 3 groups but tiers.ssd has 2: memory groups align 1:1 with SSD groups (or the memory tier is empty)");
    }
}
