#!/bin/bash
# Device benchmark run (16-core machine, no JDK there; see make-bundle.sh): part1.tar.xz (jlink'd JRE 17, the packaged
# encoder app, encoder bench classes) and part2.tar.xz (generator classes, devkit) unpacked into $B.
# Run from the repository root. Prints the figures; logs under $OUT.
set -u
B=${B:-/tmp/b}
OUTDIR=${OUT:-/tmp/out}
J=$B/jre/bin/java
export DJL_CACHE_DIR=/tmp/djl
# Debian's OpenJDK links the system image libraries (libjpeg, lcms2, ...), which that machine lacks.
export LD_LIBRARY_PATH=$B/syslib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
REPO=$(pwd)
echo "cores: $(nproc)"; uptime
ENC_CP="$B/bench/enc-test-classes:$B/bench/enc-classes:$B/bench/devkit-0.1.0-SNAPSHOT.jar:$B/app/lib/main/*"
if [[ "${PARTS:-enc,gen}" == *enc* ]]; then
  echo "== encoder"
  $J -Xmx4g -cp "$ENC_CP" multimodal.devkit.onnx.VitB32ClipFixture /tmp/models >/dev/null 2>&1
  SPIN=${SPIN:-true}
  NOSPIN=$([ "$SPIN" = true ] && echo false || echo true)
  $J -Xmx8g -Dencoder.ort.allow-spinning=$SPIN -Dencoder.models.clip.dir=/tmp/models/clip-vit-b32-random -Dquarkus.http.port=18281 \
    -Dquarkus.http.host=127.0.0.1 -jar $B/app/quarkus-run.jar > $OUTDIR/enc-service.log 2>&1 &
  svc=$!
  for _ in $(seq 1 120); do grep -q "Listening on" $OUTDIR/enc-service.log && break; sleep 1; done
  grep -E "Listening|ERROR" $OUTDIR/enc-service.log | head -3
  sleep 3
  (cd $REPO/encoder-service && $J -Xmx8g -Dbench.no-spinning=$NOSPIN -cp "$ENC_CP" multimodal.encoder.bench.EncoderBenchmark /tmp/models --grpc 127.0.0.1:18281 2>&1 \
    | grep -E "raw|service|preprocessing|gRPC|model |Exception|Error")
  kill $svc; wait $svc 2>/dev/null
fi
if [[ "${PARTS:-enc,gen}" == *gen* ]]; then
  echo "== generator"; uptime
  GEN_CP="$B/gen/test-classes:$B/gen/classes:$B/gen/lib/*:$B/app/lib/main/*"
  $J -Xmx48g -cp "$GEN_CP" multimodal.generator.bench.GenerationBenchmark /tmp/gen-models ${GEN_ARGS:-2 vit-gpt2} 2>&1 \
    | grep -vE "^\s*$|W:onnxruntime|SLF4J" | tail -40
fi
uptime
