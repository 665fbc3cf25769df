package dev.berth.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.berth.reconciler.plan.Planner;
import org.quartz.CronExpression;

/**
 * The dependency rules of {@code docs/layout.md}, checked on the main bytecode of the reconciler
 * and the agent (this module's test classpath holds both).
 */
@AnalyzeClasses(
    packages = "dev.berth",
    importOptions = {
      ImportOption.DoNotIncludeTests.class,
      ArchitectureTest.DoNotIncludeTestJars.class
    })
class ArchitectureTest {

  /**
   * The only packages that may start a subprocess, stated once. Each entry says why it is allowed.
   */
  private static final String[] MAY_RUN_SUBPROCESSES = {
    // The one boundary for subprocesses: typed results, no magic exit codes (STYLE.md).
    "dev.berth.agent.process..",
    // nix-build / nix build of a NixOS toplevel: the host's own nix is the builder, it has no API.
    "dev.berth.agent.nix..",
  };

  /** Quartz schedules in the agent; the reconciler may only parse a window's cron expression. */
  private static final DescribedPredicate<JavaClass> QUARTZ_BUT_CRON_EXPRESSIONS =
      JavaClass.Predicates.resideInAPackage("org.quartz..")
          .and(DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(CronExpression.class)))
          .as("are Quartz classes other than CronExpression");

  private static final DescribedPredicate<JavaMethodCall> RUNTIME_EXEC =
      DescribedPredicate.describe(
          "Runtime.exec(..)",
          call ->
              call.getTargetOwner().isEquivalentTo(Runtime.class) && call.getName().equals("exec"));

  /**
   * Without the reconciler's main classes every rule about {@code dev.berth.reconciler..} would
   * pass on nothing; without the test exclusion fakes would be judged as main code.
   */
  @ArchTest
  void imports_the_main_classes_of_both_modules_and_no_tests(JavaClasses classes) {
    assertThat(classes.contain(Planner.class)).as("reconciler's Planner imported").isTrue();
    assertThat(classes.contain("dev.berth.reconciler.apply.Applier"))
        .as("reconciler's Applier imported")
        .isTrue();
    assertThat(classes.contain("dev.berth.agent.daemon.Agent"))
        .as("agent's Agent imported")
        .isTrue();
    assertThat(classes.contain(ArchitectureTest.class)).as("this test not imported").isFalse();
    assertThat(classes.contain("dev.berth.reconciler.apply.FakeHost"))
        .as("reconciler's test-jar not imported")
        .isFalse();
  }

  @ArchTest
  static final ArchRule the_reconciler_is_pure =
      noClasses()
          .that()
          .resideInAPackage("dev.berth.reconciler..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.eclipse.jgit..",
              "org.freedesktop..",
              "com.sun.net.httpserver..",
              "java.net.http..",
              "org.eclipse.jetty..",
              "java.nio.file..",
              "dev.berth.agent..")
          .orShould()
          .dependOnClassesThat(QUARTZ_BUT_CRON_EXPRESSIONS)
          .orShould()
          .dependOnClassesThat()
          .belongToAnyOf(ProcessBuilder.class, Process.class)
          .orShould()
          .callMethodWhere(RUNTIME_EXEC)
          .because(
              "the reconciler is the pure core: Git, D-Bus, scheduling, HTTP, files and processes"
                  + " are the agent's adapters behind ports, and dependencies point"
                  + " crd-schemas <- reconciler <- agent only (docs/layout.md); of Quartz it"
                  + " reads only CronExpression, a parser, for a Rollout's windows");

  @ArchTest
  static final ArchRule no_cycles_between_modules =
      slices()
          .matching("dev.berth.(*)..")
          .should()
          .beFreeOfCycles()
          .because("the modules depend on each other in one direction only (docs/layout.md)");

  @ArchTest
  static final ArchRule no_cycles_inside_the_reconciler =
      slices()
          .matching("dev.berth.reconciler.(*)..")
          .should()
          .beFreeOfCycles()
          .because(
              "each stage of the core (load, validate, plan, apply, ...) builds on earlier ones");

  @ArchTest
  static final ArchRule no_cycles_inside_the_agent =
      slices()
          .matching("dev.berth.agent.(*)..")
          .should()
          .beFreeOfCycles()
          .because("adapters and the daemon are wired in one place, not through each other");

  @ArchTest
  static final ArchRule only_the_dbus_adapter_uses_dbus_java =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.berth.agent.dbus..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.freedesktop..")
          .because(
              "raw D-Bus interfaces live in one package, wrapped by an adapter that speaks"
                  + " berth's own types");

  @ArchTest
  static final ArchRule only_the_git_source_uses_jgit =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.berth.agent.source..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.eclipse.jgit..")
          .because("one adapter turns JGit and its failures into berth's source types");

  @ArchTest
  static final ArchRule only_named_packages_run_subprocesses =
      noClasses()
          .that()
          .resideOutsideOfPackages(MAY_RUN_SUBPROCESSES)
          .should()
          .dependOnClassesThat()
          .belongToAnyOf(ProcessBuilder.class, Process.class)
          .orShould()
          .callMethodWhere(RUNTIME_EXEC)
          .because(
              "subprocesses go through one place with typed results; each exception is listed"
                  + " in MAY_RUN_SUBPROCESSES with its reason");

  @ArchTest
  static final ArchRule the_daemon_owns_its_ports =
      noClasses()
          .that()
          .resideInAPackage("dev.berth.agent.daemon..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.berth.agent.http..")
          .because("the daemon owns its ports; http adapts them, not the other way round");

  /** The reconciler's test-jar: on this classpath as a jar, which DoNotIncludeTests misses. */
  public static final class DoNotIncludeTestJars implements ImportOption {
    @Override
    public boolean includes(Location location) {
      return !location.matches(java.util.regex.Pattern.compile(".*-tests\\.jar!/.*"));
    }
  }
}
