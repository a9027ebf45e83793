package multimodal.systemtest.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link HostileWorld} for every hostile test class of the run (kept in JUnit's root
 * store, closed when the run ends) and injects it; after each class, every service must still be
 * ready on its management port: an attack that takes a service down fails the class that made it.
 */
final class HostileSuite implements ParameterResolver, AfterAllCallback {
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == HostileWorld.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return world(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    HostileWorld world = world(context);
    assertThat(world.platform().allReady())
        .as("every service is still ready after " + context.getDisplayName())
        .isTrue();
  }

  static HostileWorld world(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(HostileSuite.class))
        .getOrComputeIfAbsent("world", key -> HostileWorld.start(), HostileWorld.class);
  }
}
