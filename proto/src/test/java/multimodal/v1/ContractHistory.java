package multimodal.v1;

import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import java.util.List;

/** Messages of v1 as readers written before a field was added see them. */
final class ContractHistory {
  private ContractHistory() {}

  /** {@code current}'s message type as it was when its last field was {@code lastField}. */
  static Descriptors.Descriptor before(Descriptors.Descriptor current, int lastField)
      throws Descriptors.DescriptorValidationException {
    Descriptors.FileDescriptor file = current.getFile();
    DescriptorProtos.FileDescriptorProto.Builder proto = file.toProto().toBuilder();
    for (DescriptorProtos.DescriptorProto.Builder message : proto.getMessageTypeBuilderList()) {
      if (message.getName().equals(current.getName())) {
        List<DescriptorProtos.FieldDescriptorProto> kept =
            message.getFieldList().stream().filter(f -> f.getNumber() <= lastField).toList();
        message.clearField().addAllField(kept);
      }
    }
    return Descriptors.FileDescriptor.buildFrom(
            proto.build(), file.getDependencies().toArray(Descriptors.FileDescriptor[]::new))
        .findMessageTypeByName(current.getName());
  }

  static Object field(DynamicMessage message, String name) {
    return message.getField(message.getDescriptorForType().findFieldByName(name));
  }
}
