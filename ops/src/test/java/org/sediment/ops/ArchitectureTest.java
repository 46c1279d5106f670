package org.sediment.ops;

import static com.tngtech.archunit.core.domain.AccessTarget.Predicates.declaredIn;
import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.time.InstantSource;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.Timer;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import org.sediment.common.time.Clock;
import org.sediment.common.time.RandomSource;
import org.sediment.router.config.RouteConfig;
import org.sediment.ssd.paxos.PaxosReplica;

/**
 * The rules of DESIGN.md §7 that a compiler does not check: core packages take time, randomness
 * and threads as inputs, and modules depend downward only (tiers talk over the wire, never
 * through each other's classes).
 *
 * <p>Reads the production classes of every module from this module's test classpath: ops
 * depends on all of them. ArchUnit fails a rule whose "that" selects no class, so a rule cannot
 * pass by reading nothing; {@link #theImportSeesEveryModuleAndNoTestClass} guards the import
 * itself and each core package.
 */
@AnalyzeClasses(packages = "org.sediment", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /**
     * Pure state machines and deterministic structures (STYLE.md 1 and 2): the Paxos core and
     * the common building blocks it and the router share.
     */
    private static final String[] CORE_PACKAGES = {
            "org.sediment.ssd.paxos..",
            "org.sediment.common.partition..",
            "org.sediment.common.key..",
            "org.sediment.common.block.."};

    // ------------------------------------------------------------------ core packages

    @ArchTest
    static final ArchRule coreUsesNoNetworkOrProcessFramework = noClasses()
            .that().resideInAnyPackage(CORE_PACKAGES)
            .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "org.springframework..", "java.net..")
            .because("a core is driven by messages in and out; transports and process shells are adapters"
                    + " around it");

    @ArchTest
    static final ArchRule coreStartsNoThreads = noClasses()
            .that().resideInAnyPackage(CORE_PACKAGES)
            .should().dependOnClassesThat().areAssignableTo(Thread.class)
            .orShould().dependOnClassesThat().areAssignableTo(Executor.class)
            .orShould().dependOnClassesThat().areAssignableTo(ThreadFactory.class)
            .orShould().dependOnClassesThat().belongToAnyOf(Executors.class, Timer.class)
            .because("one owner drives a core, and the simulator runs a whole group on one thread");

    @ArchTest
    static final ArchRule coreReadsTimeOnlyFromAnInjectedClock = noClasses()
            .that().resideInAnyPackage(CORE_PACKAGES)
            .should().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().callMethodWhere(target(declaredIn(resideInAPackage("java.time"))).and(target(name("now"))))
            .orShould().dependOnClassesThat().areAssignableTo(InstantSource.class)
            .orShould().callMethod(Clock.class, "system")
            .orShould().dependOnClassesThat().belongToAnyOf(Clock.SystemClock.class)
            .because("time is an input: the simulator drives cores with virtual time (STYLE.md 2)");

    @ArchTest
    static final ArchRule coreDrawsRandomnessOnlyFromAnInjectedSource = noClasses()
            .that().resideInAnyPackage(CORE_PACKAGES)
            .should().dependOnClassesThat().belongToAnyOf(ThreadLocalRandom.class)
            .orShould().callConstructorWhere(target(declaredIn(assignableTo(Random.class))))
            .orShould().callConstructorWhere(target(declaredIn(SplittableRandom.class)))
            .orShould().callMethod(Math.class, "random")
            .orShould().callMethod(StrictMath.class, "random")
            .orShould().callMethod(UUID.class, "randomUUID")
            .orShould().callMethod(RandomSource.class, "fromEntropy")
            .because("one seed must replay a whole simulated run (STYLE.md 3)");

    // ------------------------------------------------------------------ modules

    /** One package per module; its classes live nowhere else. */
    private static final String COMMON = "org.sediment.common..";
    private static final String ROUTER = "org.sediment.router..";
    private static final String SSD_TIER = "org.sediment.ssd..";
    private static final String MEMORY_TIER = "org.sediment.memory..";
    private static final String HDD_TIER = "org.sediment.hdd..";
    private static final String SINKER = "org.sediment.sinker..";
    private static final String OPS = "org.sediment.ops..";

    @ArchTest
    static final ArchRule everyClassBelongsToOneModulePackage = classes()
            .that().resideInAPackage("org.sediment..")
            .should().resideInAnyPackage(COMMON, ROUTER, SSD_TIER, MEMORY_TIER, HDD_TIER, SINKER, OPS)
            .because("the module rules below only see classes in these packages");

    /**
     * common ← router ← {ssd-tier, memory-tier, hdd-tier, sinker} ← ops. Tiers and the sinker
     * never use each other's classes: they talk over the wire, through the API types in common.
     * memory-tier, hdd-tier and the sinker have no production classes yet, so their layers are
     * optional; the others must not be empty.
     */
    @ArchTest
    static final ArchRule modulesDependDownwardOnly = layeredArchitecture()
            .consideringOnlyDependenciesInAnyPackage("org.sediment..")
            .layer("common").definedBy(COMMON)
            .layer("router").definedBy(ROUTER)
            .layer("ssd-tier").definedBy(SSD_TIER)
            .optionalLayer("memory-tier").definedBy(MEMORY_TIER)
            .optionalLayer("hdd-tier").definedBy(HDD_TIER)
            .optionalLayer("sinker").definedBy(SINKER)
            .layer("ops").definedBy(OPS)
            .whereLayer("common").mayNotAccessAnyLayer()
            .whereLayer("router").mayOnlyAccessLayers("common")
            .whereLayer("ssd-tier").mayOnlyAccessLayers("common", "router")
            .whereLayer("memory-tier").mayOnlyAccessLayers("common", "router")
            .whereLayer("hdd-tier").mayOnlyAccessLayers("common", "router")
            .whereLayer("sinker").mayOnlyAccessLayers("common", "router")
            .whereLayer("ops").mayNotBeAccessedByAnyLayer();

    // ------------------------------------------------------------------ the import itself

    @ArchTest
    static void theImportSeesEveryModuleAndNoTestClass(JavaClasses classes) {
        assertThat(classes.contain(Clock.class)).as("common").isTrue();
        assertThat(classes.contain(RouteConfig.class)).as("router").isTrue();
        assertThat(classes.contain(PaxosReplica.class)).as("ssd-tier").isTrue();
        assertThat(classes.contain(Main.class)).as("ops").isTrue();
        assertThat(classes.contain(ArchitectureTest.class)).as("test classes are left out").isFalse();
        for (String core : CORE_PACKAGES) {
            // A renamed core package would otherwise drop out of the core rules unnoticed.
            assertThat(classes.that(resideInAPackage(core))).as(core).isNotEmpty();
        }
    }
}
