#!/usr/bin/env bash
# Downloads real CLIP exports into a model directory, for where the internet is reachable.
# The offline default (bin/platform, tests) needs none of this: it runs the generated colour
# fixture CLIP and the real all-MiniLM-L6-v2 from Maven Central.
#
#   scripts/fetch-models.sh [MODEL_DIR] [REPO]
#     MODEL_DIR  where to put the model (default .local/models/clip-vit-base-patch32)
#     REPO       a Hugging Face repo in the transformers.js split layout
#                (default Xenova/clip-vit-base-patch32)
#
# Then point the encoder at it, no code change:
#   java -Dencoder.models.clip.dir=.local/models/clip-vit-base-patch32 \
#        -Dencoder.models.clip.version=openai-clip-vit-base-patch32 -jar encoder-service/target/quarkus-app/quarkus-run.jar
# or ENCODER_MODELS_CLIP_DIR=... / ENCODER_MODELS_CLIP_VERSION=... in the environment.
#
# The encoder also loads the combined onnx/model.onnx layout and the Immich/OpenCLIP layout
# (textual/ + visual/, e.g. immich-app/ViT-B-32__openai): download such a repo's files into one
# directory keeping their paths and point encoder.models.<name>.dir at it.
set -euo pipefail

dir=${1:-.local/models/clip-vit-base-patch32}
repo=${2:-Xenova/clip-vit-base-patch32}
base="https://huggingface.co/$repo/resolve/main"
files=(
  config.json
  preprocessor_config.json
  tokenizer.json
  tokenizer_config.json
  onnx/text_model.onnx
  onnx/vision_model.onnx
)

command -v curl >/dev/null || { echo "fetch-models: curl is needed" >&2; exit 1; }
mkdir -p "$dir/onnx"
for file in "${files[@]}"; do
  target="$dir/$file"
  if [[ -s "$target" ]]; then
    echo "have  $target"
    continue
  fi
  echo "fetch $repo/$file"
  # Download beside the target, then move: an interrupted download never looks complete.
  curl --fail --location --retry 3 --connect-timeout 20 --show-error --silent \
    --output "$target.part" "$base/$file" \
    || { rm -f "$target.part"; echo "fetch-models: cannot download $base/$file (no internet here?)" >&2; exit 1; }
  mv "$target.part" "$target"
done
echo "model ready in $dir"
echo "run with: -Dencoder.models.clip.dir=$dir -Dencoder.models.clip.version=${repo//\//-}"
