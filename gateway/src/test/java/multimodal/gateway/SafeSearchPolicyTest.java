package multimodal.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import multimodal.v1.SearchFilter;
import multimodal.v1.SearchRequest;
import org.junit.jupiter.api.Test;

class SafeSearchPolicyTest {
  private final SafeSearchPolicy policy =
      new SafeSearchPolicy(true, Map.of("kids", true, "lab", false), 0.4f);
  private final SearchRequest plain = SearchRequest.newBuilder().setText("x").build();

  @Test
  void theTenantDefaultDecidesWhenTheRequestSaysNothing() {
    assertThat(policy.apply("anyone", plain, null).getFilter())
        .isEqualTo(SearchFilter.newBuilder().setSafe(true).setUnsafeThreshold(0.4f).build());
    assertThat(policy.apply("lab", plain, null).hasFilter())
        .isFalse(); // off and nothing else: no filter at all
    assertThat(policy.defaultFor("kids")).isTrue();
  }

  @Test
  void anExplicitChoiceWinsAndTheCallersThresholdAndFiltersAreKept() {
    SearchRequest strict =
        plain.toBuilder()
            .setFilter(SearchFilter.newBuilder().addObjects("horse").setUnsafeThreshold(0.1f))
            .build();
    SearchFilter on = policy.apply("lab", strict, true).getFilter();
    assertThat(on.getSafe()).isTrue();
    assertThat(on.getUnsafeThreshold()).isEqualTo(0.1f);
    assertThat(on.getObjectsList()).containsExactly("horse");

    SearchFilter off = policy.apply("kids", strict, false).getFilter();
    assertThat(off.getSafe()).isFalse();
    assertThat(off.getObjectsList()).containsExactly("horse");
  }

  @Test
  void theAnswerSaysWhatWasApplied() {
    assertThat(policy.describe(policy.apply("anyone", plain, null)))
        .isEqualTo(new SearchResult.SafeSearch(true, 0.4f));
    assertThat(policy.describe(policy.apply("lab", plain, null)))
        .isEqualTo(new SearchResult.SafeSearch(false, 0.4f));
  }

  @Test
  void aThresholdOutsideZeroToOneStopsTheStart() {
    for (float bad : new float[] {0f, -0.1f, 1.5f, Float.NaN}) {
      assertThatThrownBy(() -> new SafeSearchPolicy(true, Map.of(), bad))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("unsafe-threshold");
    }
  }

  @Test
  void aTenantSettingForANameOutsideTheTenantGrammarStopsTheStart() {
    assertThatThrownBy(() -> new SafeSearchPolicy(true, Map.of("Kids.Club", false), 0.5f))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("gateway.safe-search.tenants.Kids.Club")
        .hasMessageContaining("[a-z0-9][a-z0-9-]{0,62}");
  }
}
