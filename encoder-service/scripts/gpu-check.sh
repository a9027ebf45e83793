#!/usr/bin/env bash
# Checks the CUDA execution-provider path of encoder-service on a GPU machine:
#   1. builds the module with the onnxruntime_gpu profile (offline: from the local Maven
#      repository, which must already hold com.microsoft.onnxruntime:onnxruntime_gpu:1.23.2);
#   2. runs a tiny ONNX session (the generated colour CLIP fixture) through the service's own
#      ModelLoader with encoder.ort.execution-provider=cuda, printing the providers ONNX Runtime
#      offers and whether the session really got CUDA (a CPU fallback logs a WARNING).
# Usage, from the repository root:  encoder-service/scripts/gpu-check.sh
# Exit 0: CUDA is available and the session ran; 1: it fell back or failed; 2: setup problem.
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v java >/dev/null || { echo "gpu-check: no java on this machine: install a JDK 17+ (and Maven, or use ./mvnw with a carried ~/.m2)" >&2; exit 2; }
MVN=${MVN:-mvn}
command -v "$MVN" >/dev/null || MVN=./mvnw
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "gpu-check: nvidia-smi not found"

if ! ls "${HOME}/.m2/repository/com/microsoft/onnxruntime/onnxruntime_gpu/1.23.2/"*.jar >/dev/null 2>&1; then
  echo "gpu-check: onnxruntime_gpu 1.23.2 is not in ~/.m2 and this machine may be offline;" >&2
  echo "  on a connected machine run: mvn dependency:get -Dartifact=com.microsoft.onnxruntime:onnxruntime_gpu:1.23.2" >&2
  echo "  and carry ~/.m2/repository/com/microsoft/onnxruntime/onnxruntime_gpu here." >&2
  exit 2
fi

echo "gpu-check: building encoder-service with -Donnxruntime_gpu (offline)"
# -Denforcer.skip: the JDK 21 rule is for retrieval-service (Lucene 10); the encoder builds on 17.
"$MVN" -B -q -o -pl encoder-service -am test-compile dependency:build-classpath -Denforcer.skip=true \
  -Donnxruntime_gpu -Dmdep.outputFile=target/gpu-classpath.txt -Dmdep.includeScope=test \
  || { echo "gpu-check: offline build failed (missing artifacts in ~/.m2?)" >&2; exit 2; }

cd encoder-service
CP="target/test-classes:target/classes:$(cat target/gpu-classpath.txt)"
if grep -q "onnxruntime-1.23.2.jar" target/gpu-classpath.txt; then
  echo "gpu-check: the CPU onnxruntime jar is on the classpath; the profile did not switch" >&2
  exit 2
fi
java -cp "$CP" multimodal.encoder.bench.GpuCheck target/gpu-check-models
