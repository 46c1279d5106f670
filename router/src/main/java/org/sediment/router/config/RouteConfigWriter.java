package org.sediment.router.config;

import java.util.List;

/**
 * Writes a route config as the YAML document {@link RouteConfigParser} reads: what a tool that
 * builds routes (the local cluster) publishes to clients and servers. Parsing the output gives an
 * equal config.
 */
public final class RouteConfigWriter {

    private RouteConfigWriter() {
    }

    public static String toYaml(RouteConfig config) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("version: ").append(config.version()).append('\n');
        yaml.append("buckets: ").append(config.layout().bucketCount()).append('\n');
        yaml.append("blockWindowMillis: ").append(config.layout().windowMillis()).append('\n');
        yaml.append("timeSplits:\n");
        yaml.append("  memoryMaxAgeMillis: ").append(config.timeSplits().memoryMaxAgeMillis()).append('\n');
        yaml.append("  sinkAgeMillis: ").append(config.timeSplits().sinkAgeMillis()).append('\n');
        yaml.append("trafficRatio:\n");
        yaml.append("  memory: ").append(config.memoryTrafficRatio()).append('\n');
        yaml.append("tiers:\n");
        for (Tier tier : Tier.values()) {
            List<GroupRoute> groups = config.groups(tier);
            if (groups.isEmpty()) {
                continue;
            }
            yaml.append("  ").append(tier.key()).append(":\n");
            for (GroupRoute group : groups) {
                yaml.append("    - id: ").append(group.id()).append('\n');
                yaml.append("      members:\n");
                for (Member member : group.members()) {
                    yaml.append("        - { address: ").append(member.address()).append(", campus: ")
                            .append(member.campus()).append(" }\n");
                }
            }
        }
        return yaml.toString();
    }
}
