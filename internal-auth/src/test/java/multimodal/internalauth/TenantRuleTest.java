package multimodal.internalauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.grpc.Status;
import java.util.Optional;
import multimodal.v1.CaptionRequest;
import multimodal.v1.SearchRequest;
import org.junit.jupiter.api.Test;

class TenantRuleTest {
  private static final InternalCall FOR_ACME = new InternalCall("gateway", Optional.of("acme"));
  private static final InternalCall NO_TENANT = new InternalCall("gateway", Optional.empty());

  @Test
  void theRequestFieldIsReadFromTheMessagesDescriptor() {
    assertThat(TenantRule.tenantField(SearchRequest.newBuilder().setTenant("acme").build()))
        .contains("acme");
    assertThat(TenantRule.tenantField(CaptionRequest.getDefaultInstance())).isEmpty();
    assertThat(TenantRule.tenantField("not a message")).isEmpty();
  }

  @Test
  void aFieldEqualToTheClaimOrAFieldWithoutClaimPasses() {
    assertThatCode(
            () ->
                TenantRule.check(
                    SearchRequest.newBuilder().setTenant("acme").build(), FOR_ACME, true))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                TenantRule.check(
                    SearchRequest.newBuilder().setTenant("acme").build(), NO_TENANT, true))
        .doesNotThrowAnyException();
  }

  @Test
  void anEmptyFieldIsInvalidAndADifferentOneDenied() {
    CallTokenVerifierTest.assertRefused(
        () -> TenantRule.check(SearchRequest.getDefaultInstance(), FOR_ACME, false),
        RefusalReason.MISSING_TENANT,
        Status.Code.INVALID_ARGUMENT);
    CallTokenVerifierTest.assertRefused(
        () ->
            TenantRule.check(SearchRequest.newBuilder().setTenant("other").build(), FOR_ACME, true),
        RefusalReason.TENANT_MISMATCH,
        Status.Code.PERMISSION_DENIED);
  }

  @Test
  void withoutAFieldTheClaimIsRequiredOnlyWhereTheServiceIsTenantScoped() {
    CallTokenVerifierTest.assertRefused(
        () -> TenantRule.check(CaptionRequest.getDefaultInstance(), NO_TENANT, true),
        RefusalReason.MISSING_TENANT,
        Status.Code.INVALID_ARGUMENT);
    assertThatCode(() -> TenantRule.check(CaptionRequest.getDefaultInstance(), FOR_ACME, true))
        .doesNotThrowAnyException();
    assertThatCode(() -> TenantRule.check(CaptionRequest.getDefaultInstance(), NO_TENANT, false))
        .doesNotThrowAnyException();
  }
}
