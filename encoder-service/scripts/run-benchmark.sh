#!/bin/bash
# Encoder benchmark on the shape-faithful ViT-B/32 (random weights): the in-process rows, then
# gRPC 1 vs 32 clients against the packaged service on 127.0.0.1:18281 (needs `./mvnw package`
# first, or JAR=<quarkus-run.jar>). Run from anywhere; prints the figures of the README table.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
# -am: on a fresh clone nothing of the project is installed; the reactor compiles the modules the
# encoder depends on and the classpath names their target/ folders.
./mvnw -o -q -pl encoder-service -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
cd encoder-service
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
java -Xmx4g -cp "$cp" multimodal.devkit.onnx.VitB32ClipFixture target/bench-models
jar=${JAR:-target/quarkus-app/quarkus-run.jar}
uptime
java -Xmx3g -Dencoder.models.clip.dir=target/bench-models/clip-vit-b32-random -Dquarkus.http.port=18281 \
  -Dquarkus.http.host=127.0.0.1 -jar "$jar" > target/bench-service.log 2>&1 &
service=$!
trap 'kill $service 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do grep -q "Listening on" target/bench-service.log && break; sleep 1; done
sleep 5 # warm-up runs after the listener opens
java -Xmx6g -cp "$cp" multimodal.encoder.bench.EncoderBenchmark target/bench-models --grpc 127.0.0.1:18281
uptime
