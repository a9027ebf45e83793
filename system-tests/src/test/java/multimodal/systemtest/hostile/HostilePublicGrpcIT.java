package multimodal.systemtest.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import multimodal.v1.CaptionRequest;
import multimodal.v1.ClassifyRequest;
import multimodal.v1.DeleteMediaRequest;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.ImageSource;
import multimodal.v1.ImageTarget;
import multimodal.v1.IngestMediaRequest;
import multimodal.v1.RankTextsRequest;
import multimodal.v1.SearchRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/** The gateway's public gRPC API with the attacker's key: the same tenant rules as REST. */
@ExtendWith(HostileSuite.class)
class HostilePublicGrpcIT {
  private static HostileWorld world;
  private static String victimId;

  @BeforeAll
  static void world(HostileWorld w) {
    world = w;
    victimId = w.victimItem().mediaId();
  }

  @AfterEach
  void victimIntact() throws Exception {
    world.assertVictimIntact();
  }

  private static Status.Code code(Executable call) {
    return assertThrows(StatusRuntimeException.class, call).getStatus().getCode();
  }

  @Test
  void getMediaOfAnotherTenantsIdIsNotFound() {
    try (PublicGrpc grpc = PublicGrpc.open(world, HostileWorld.ATTACKER_KEY)) {
      assertThat(
              code(
                  () ->
                      grpc.retrieval()
                          .getMedia(GetMediaRequest.newBuilder().setMediaId(victimId).build())))
          .isEqualTo(Status.Code.NOT_FOUND);
    }
  }

  @Test
  void getMediaNamingTheVictimsTenantInTheRequestIsNotFound() {
    try (PublicGrpc grpc = PublicGrpc.open(world, HostileWorld.ATTACKER_KEY)) {
      GetMediaRequest spoofed =
          GetMediaRequest.newBuilder()
              .setMediaId(victimId)
              .setTenant("acme")
              .setShardLocal(true)
              .build();
      assertThat(code(() -> grpc.retrieval().getMedia(spoofed))).isEqualTo(Status.Code.NOT_FOUND);
    }
  }

  @Test
  void searchNamingTheVictimsTenantSearchesTheCallersOwn() {
    try (PublicGrpc grpc =
        PublicGrpc.open(
            world, HostileWorld.ATTACKER_KEY, "x-tenant", "acme", "x-safe-search", "off")) {
      var hits =
          grpc.retrieval()
              .search(
                  SearchRequest.newBuilder()
                      .setTenant("acme")
                      .setText("something red")
                      .setK(100)
                      .build())
              .getHitsList();
      assertThat(hits).extracting(h -> h.getMediaId()).doesNotContain(victimId);
    }
  }

  @Test
  void classifyAndRankByTheVictimsIdAreNotFound() {
    try (PublicGrpc grpc = PublicGrpc.open(world, HostileWorld.ATTACKER_KEY)) {
      ImageTarget target = ImageTarget.newBuilder().setMediaId(victimId).build();
      assertThat(
              code(
                  () ->
                      grpc.retrieval()
                          .classify(
                              ClassifyRequest.newBuilder()
                                  .setImage(target)
                                  .addLabels("a")
                                  .addLabels("b")
                                  .addTemplates("a photo of {}")
                                  .setTenant("acme")
                                  .build())))
          .isEqualTo(Status.Code.NOT_FOUND);
      assertThat(
              code(
                  () ->
                      grpc.retrieval()
                          .rankTexts(
                              RankTextsRequest.newBuilder()
                                  .setImage(target)
                                  .addTexts("a")
                                  .setTenant("acme")
                                  .build())))
          .isEqualTo(Status.Code.NOT_FOUND);
    }
  }

  @Test
  void deleteOfAnotherTenantsIdIsNotFound() {
    try (PublicGrpc grpc = PublicGrpc.open(world, HostileWorld.ATTACKER_KEY)) {
      assertThat(
              code(
                  () ->
                      grpc.media()
                          .deleteMedia(
                              DeleteMediaRequest.newBuilder().setMediaId(victimId).build())))
          .isEqualTo(Status.Code.NOT_FOUND);
    }
  }

  @Test
  void ingestUnderAnotherTenantsIdIsAlreadyExists() throws Exception {
    try (PublicGrpc grpc = PublicGrpc.open(world, HostileWorld.ATTACKER_KEY)) {
      IngestMediaRequest claim =
          IngestMediaRequest.newBuilder()
              .setMediaId(victimId)
              .setImage(ImageSource.newBuilder().setData(ByteString.copyFrom(Images.distinctPng())))
              .build();
      assertThat(code(() -> grpc.media().ingestMedia(claim))).isEqualTo(Status.Code.ALREADY_EXISTS);
    }
  }

  @Test
  void withoutAKeyEveryServiceIsUnauthenticated() {
    try (PublicGrpc grpc = PublicGrpc.open(world, null, "x-tenant", "acme")) {
      assertThat(
              code(
                  () ->
                      grpc.retrieval()
                          .getMedia(
                              GetMediaRequest.newBuilder()
                                  .setMediaId(victimId)
                                  .setTenant("acme")
                                  .build())))
          .isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(
              code(
                  () ->
                      grpc.generator()
                          .caption(
                              CaptionRequest.newBuilder()
                                  .addImages(
                                      ImageSource.newBuilder().setUri("https://example.com/a.png"))
                                  .build())))
          .isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(
              code(
                  () ->
                      grpc.media()
                          .deleteMedia(
                              DeleteMediaRequest.newBuilder().setMediaId(victimId).build())))
          .isEqualTo(Status.Code.UNAUTHENTICATED);
    }
  }

  @Test
  void aTenantNameIsNotAKey() {
    try (PublicGrpc grpc = PublicGrpc.open(world, "acme")) {
      assertThat(
              code(
                  () ->
                      grpc.retrieval()
                          .getMedia(GetMediaRequest.newBuilder().setMediaId(victimId).build())))
          .isEqualTo(Status.Code.UNAUTHENTICATED);
    }
  }
}
