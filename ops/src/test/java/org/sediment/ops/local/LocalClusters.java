package org.sediment.ops.local;

import java.nio.file.Path;

/** Local clusters for tests: on a block of free ports, so test runs do not collide. */
final class LocalClusters {
    private LocalClusters() {
    }

    static LocalCluster start(Path dir, int ssdGroups, boolean processes) throws Exception {
        return LocalCluster.start(new LocalCluster.Options(dir, ssdGroups, LocalCluster.freeBasePort(ssdGroups), 0,
                processes));
    }
}
