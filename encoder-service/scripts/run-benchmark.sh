#!/bin/bash
# Encoder benchmark on the shape-faithful ViT-B/32 (random weights): the in-process rows
# (EncoderBenchmark), then gRPC end to end with 32 clients against raw batch 32 in one run
# (GrpcThroughputBenchmark, which starts the packaged service itself on 127.0.0.1). Run from
# anywhere; prints the figures of docs/benchmarks.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. bin/find-jdk21 # the JDK the build uses
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
# -am: on a fresh clone nothing of the project is installed; the reactor compiles the modules the
# encoder depends on and the classpath names their target/ folders. package: quarkus-run.jar.
./mvnw -o -q -pl encoder-service -am package dependency:build-classpath -DskipTests \
  -P'!containers' -Dimages.skip=true \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
cd encoder-service
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
uptime
"$java" -Xmx6g -cp "$cp" multimodal.encoder.bench.EncoderBenchmark target/bench-models
"$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx3g -cp "$cp" \
  multimodal.encoder.bench.GrpcThroughputBenchmark target/bench-models \
  --jar target/quarkus-app/quarkus-run.jar --clients 32
uptime
