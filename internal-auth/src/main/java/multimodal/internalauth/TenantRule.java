package multimodal.internalauth;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.Optional;

/**
 * Every tenant-scoped internal call names its tenant explicitly. Where the request message has a
 * {@code tenant} field, that field is the tenant: it must not be empty, and when the token names a
 * tenant too the two must agree (a caller cannot use a token issued for one tenant to read
 * another's data). Where the message has no such field, the token's {@code tenant} claim is the
 * tenant, and must be present when the service is tenant-scoped.
 */
public final class TenantRule {
  static final String FIELD = "tenant";

  private TenantRule() {}

  /**
   * Refuses {@code request} of {@code call} when it breaks the rule; {@code tenantScoped}: whether
   * a call without a tenant field must carry the claim ({@link InternalServices#tenantScoped}).
   */
  public static void check(Object request, InternalCall call, boolean tenantScoped) {
    Optional<String> field = tenantField(request);
    if (field.isPresent()) {
      if (field.get().isEmpty()) {
        throw new CallRefusedException(
            RefusalReason.MISSING_TENANT,
            call.caller(),
            "tenant is required: every internal call names the tenant it acts for",
            FIELD);
      }
      if (call.tenant().isPresent() && !call.tenant().get().equals(field.get())) {
        throw new CallRefusedException(
            RefusalReason.TENANT_MISMATCH,
            call.caller(),
            "the request's tenant is not the tenant the call token was issued for");
      }
    } else if (tenantScoped && call.tenant().isEmpty()) {
      throw new CallRefusedException(
          RefusalReason.MISSING_TENANT,
          call.caller(),
          "the call names no tenant: the call token must carry the claim tenant");
    }
  }

  /** The request's singular string field {@code tenant}, when its message type has one. */
  static Optional<String> tenantField(Object request) {
    if (!(request instanceof Message message)) {
      return Optional.empty();
    }
    FieldDescriptor field = message.getDescriptorForType().findFieldByName(FIELD);
    if (field == null
        || field.isRepeated()
        || field.getJavaType() != FieldDescriptor.JavaType.STRING) {
      return Optional.empty();
    }
    return Optional.of((String) message.getField(field));
  }
}
