package org.sediment.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ops module sees every module's runtime dependencies: the product's whole classpath. */
class RuntimeClasspathTest {

    @Test
    void chronicleAnalyticsIsNotOnTheClasspath() {
        // Chronicle's core loads this class by reflection and reports usage when it finds it.
        assertThatThrownBy(() -> Class.forName("net.openhft.chronicle.analytics.Analytics"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(System.getProperty("chronicle.analytics.disable")).isEqualTo("true");
    }

    @Test
    void launchScriptUsesTheSameJvmFlagsAsTheTests() throws IOException {
        List<String> scriptFlags = Files.readAllLines(Path.of("..", "bin", "jvm.options")).stream()
                .map(String::strip).filter(line -> !line.isEmpty()).toList();
        List<String> testFlags = ManagementFactory.getRuntimeMXBean().getInputArguments();
        assertThat(scriptFlags).isNotEmpty();
        assertThat(testFlags).as("surefire argLine (pom.xml sediment.jvm.flags) vs bin/jvm.options")
                .containsAll(scriptFlags);
    }
}
