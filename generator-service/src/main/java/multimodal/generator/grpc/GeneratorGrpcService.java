package multimodal.generator.grpc;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import multimodal.v1.AskRequest;
import multimodal.v1.AskResponse;
import multimodal.v1.CaptionRequest;
import multimodal.v1.CaptionResponse;
import multimodal.v1.GeneratorService;
import multimodal.v1.OcrRequest;
import multimodal.v1.OcrResponse;

/**
 * The {@code GeneratorService} endpoint of the spine: the contract is served, but no model runs
 * behind it yet. Every call fails with {@code UNIMPLEMENTED} and says so, rather than returning
 * made-up text. Captioning, VQA and OCR arrive with issue 5.
 */
@GrpcService
public class GeneratorGrpcService implements GeneratorService {
  static final String NOT_YET =
      "%s is not implemented yet: captioning, visual question answering and OCR arrive with issue 5"
          + " (generator-service)";

  @Override
  public Uni<CaptionResponse> caption(CaptionRequest request) {
    return Uni.createFrom().failure(unimplemented("Caption"));
  }

  @Override
  public Multi<AskResponse> ask(AskRequest request) {
    return Multi.createFrom().failure(unimplemented("Ask"));
  }

  @Override
  public Uni<OcrResponse> ocr(OcrRequest request) {
    return Uni.createFrom().failure(unimplemented("Ocr"));
  }

  private static RuntimeException unimplemented(String rpc) {
    Log.debugf("rejected %s: not implemented yet", rpc);
    return Status.UNIMPLEMENTED.withDescription(NOT_YET.formatted(rpc)).asRuntimeException();
  }
}
