package dev.berth.agent.dbus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconciler.model.Resources;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CgroupLimitsTest {
  private static final LongSupplier TEMPLATE = () -> 4242;

  private static Map<String, String> values(Resources resources, LongSupplier template) {
    List<Property> properties = CgroupLimits.properties(resources, template);
    return properties.stream()
        .collect(
            Collectors.toMap(
                property -> property.name, property -> property.value.getValue().toString()));
  }

  @Test
  void theManifestsLimitsAreSetAsSystemdTakesThem() {
    assertThat(values(new Resources("64M", "50%", "100"), TEMPLATE))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "MemoryMax", Long.toString(64L << 20),
                "CPUQuotaPerSecUSec", "500000",
                "TasksMax", "100"));
  }

  @Test
  void withoutATasksMaxTheTemplatesValueAsSystemdHasItComesBack() {
    assertThat(values(new Resources(null, null, null), TEMPLATE))
        .containsEntry("TasksMax", "4242")
        .containsEntry("MemoryMax", Long.toUnsignedString(-1L))
        .containsEntry("CPUQuotaPerSecUSec", Long.toUnsignedString(-1L));
  }

  @Test
  void theTemplateIsNotAskedWhenTheManifestSaysHowMany() {
    LongSupplier unasked =
        () -> {
          throw new AssertionError("the template's TasksMax was read");
        };
    assertThat(values(new Resources(null, null, "infinity"), unasked))
        .containsEntry("TasksMax", Long.toUnsignedString(-1L));
  }

  @Test
  void aPercentageIsAScaleOfTheHostsLimit() {
    assertThat(values(new Resources(null, null, "50%"), TEMPLATE))
        .containsEntry("TasksMaxScale", "2147483648")
        .doesNotContainKey("TasksMax");
    assertThat(CgroupLimits.scale("100%")).isEqualTo(0xffff_ffffL);
    assertThat(CgroupLimits.scale("12.5%")).isEqualTo(536_870_912L);
  }
}
