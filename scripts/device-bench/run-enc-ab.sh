#!/bin/bash
# Encoder A/B on the device: ONNX Runtime intra-op spinning on (default) vs off, same run.
set -u
B=${B:-/tmp/b}
for spin in true false; do
  echo "== encoder, encoder.ort.allow-spinning=$spin"
  PARTS=enc SPIN=$spin B=$B bash "$(dirname "$0")/run-device.sh" 2>&1 | grep -vE "^cores|load average"
done
