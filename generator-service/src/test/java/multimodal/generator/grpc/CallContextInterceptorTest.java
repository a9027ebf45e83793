package multimodal.generator.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CallContextInterceptorTest {

  @Test
  void readsTheGrpcTimeoutHeaderInEachUnit() {
    assertThat(CallContextInterceptor.timeoutNanos("1184950u"))
        .isEqualTo(TimeUnit.MICROSECONDS.toNanos(1184950));
    assertThat(CallContextInterceptor.timeoutNanos("1500m"))
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(1500));
    assertThat(CallContextInterceptor.timeoutNanos("30S")).isEqualTo(TimeUnit.SECONDS.toNanos(30));
    assertThat(CallContextInterceptor.timeoutNanos("2M")).isEqualTo(TimeUnit.MINUTES.toNanos(2));
    assertThat(CallContextInterceptor.timeoutNanos("1H")).isEqualTo(TimeUnit.HOURS.toNanos(1));
    assertThat(CallContextInterceptor.timeoutNanos("99999999n")).isEqualTo(99_999_999L);
  }

  @Test
  void ignoresAMissingOrMalformedHeader() {
    assertThat(CallContextInterceptor.timeoutNanos(null)).isNull();
    assertThat(CallContextInterceptor.timeoutNanos("")).isNull();
    assertThat(CallContextInterceptor.timeoutNanos("m")).isNull();
    assertThat(CallContextInterceptor.timeoutNanos("10x")).isNull();
    assertThat(CallContextInterceptor.timeoutNanos("-5S")).isNull();
    assertThat(CallContextInterceptor.timeoutNanos("123456789S")).isNull(); // more than 8 digits
  }
}
