#!/usr/bin/env bash
# Downloads the real model exports the services can run instead of the generated fixtures, for
# where the internet (or a mirror) is reachable. The offline default (bin/platform, tests) needs
# none of this.
#
#   scripts/fetch-models.sh [--manifest FILE] [--allow-unpinned] DIR [MODEL...]
#     DIR               target: each model lands in DIR/<model dir> (e.g. DIR/clip-vit-base-patch32)
#     MODEL             only these model dirs of the manifest (default: all of them); a manifest
#                       model dir may name a subfolder (stable-diffusion-2-1-onnx/tokenizer, for a
#                       file taken from another repo), which MODEL selects by its first part
#     --manifest FILE   the pinned file list (default scripts/models.lock; env MODELS_MANIFEST)
#     --allow-unpinned  also fetch files whose manifest hash is TODO-pin, printing the SHA-256
#                       they had so that it can be pinned
#   MODELS_BASE_URL     the hub or a mirror with its URL layout <base>/<repo>/resolve/<revision>/<path>
#                       (default https://huggingface.co)
#
# Every file is downloaded to <file>.part, its SHA-256 (and size, when pinned) checked, and only
# then renamed into place; a mismatch is refused and the .part removed. Files already present with
# the pinned hash are not downloaded again. Then run everything with them:
#   bin/platform --models DIR
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
manifest=${MODELS_MANIFEST:-$ROOT/scripts/models.lock}
base=${MODELS_BASE_URL:-https://huggingface.co}
base=${base%/}
allow_unpinned=false
args=()
while (($#)); do
  case $1 in
    --manifest) manifest=${2:?--manifest needs a file}; shift 2 ;;
    --manifest=*) manifest=${1#*=}; shift ;;
    --allow-unpinned) allow_unpinned=true; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) echo "fetch-models: unknown option $1" >&2; exit 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
((${#args[@]} >= 1)) || { echo "usage: fetch-models.sh [--manifest FILE] [--allow-unpinned] DIR [MODEL...]" >&2; exit 2; }
dir=${args[0]}
wanted=("${args[@]:1}")

fail() { echo "fetch-models: $*" >&2; exit 1; }
command -v curl > /dev/null || fail "curl is needed"
command -v sha256sum > /dev/null || fail "sha256sum (coreutils) is needed"
[[ -f $manifest ]] || fail "no manifest $manifest"

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }
size_of() { wc -c < "$1" | tr -d ' '; }

# Checks a downloaded or present file against its manifest line; prints why not when it fails.
verify() { # file sha256 size
  local file=$1 want=$2 size=$3 got
  if [[ $size != - && $(size_of "$file") != "$size" ]]; then
    echo "size $(size_of "$file") bytes, manifest says $size"
    return 1
  fi
  got=$(sha256_of "$file")
  if [[ $want != TODO-pin && $got != "$want" ]]; then
    echo "SHA-256 $got, manifest says $want"
    return 1
  fi
}

selected() { # model dir
  ((${#wanted[@]} == 0)) && return 0
  local m
  for m in "${wanted[@]}"; do [[ $m == "$1" ]] && return 0; done
  return 1
}

# First pass: read and check the whole manifest, so that nothing is downloaded when a line is bad
# or a selected file is unpinned without --allow-unpinned.
entries=()
declare -A seen=()
while read -r model repo revision path sha256 size extra; do
  [[ -z ${model:-} || $model == \#* ]] && continue
  [[ -n ${size:-} && -z ${extra:-} ]] || fail "$manifest: malformed line for $model $repo $revision $path (need 6 fields)"
  [[ $sha256 == TODO-pin || $sha256 =~ ^[0-9a-f]{64}$ ]] || fail "$manifest: $repo/$path: sha256 must be 64 hex digits or TODO-pin"
  [[ $size == - || $size =~ ^[0-9]+$ ]] || fail "$manifest: $repo/$path: size must be a byte count or -"
  [[ $path != /* && $path != *..* ]] || fail "$manifest: $repo/$path: path must stay inside the model dir"
  [[ $model != /* && $model != *..* ]] || fail "$manifest: $model: model dir must stay inside DIR"
  selected "${model%%/*}" || continue
  seen[${model%%/*}]=1
  if [[ $sha256 == TODO-pin && $allow_unpinned != true ]]; then
    fail "$repo@${revision:0:12}:$path is not pinned (TODO-pin in $manifest); rerun with --allow-unpinned to fetch it and print its SHA-256 for pinning"
  fi
  entries+=("$model $repo $revision $path $sha256 $size")
done < "$manifest"
for m in "${wanted[@]}"; do [[ -n ${seen[$m]:-} ]] || fail "model $m is not in $manifest"; done

fetched=0 present=0 unpinned=()
for entry in "${entries[@]}"; do
  read -r model repo revision path sha256 size <<< "$entry"
  target="$dir/$model/$path"
  what="$repo@${revision:0:12}:$path"
  if [[ -f $target ]] && verify "$target" "$sha256" "$size" > /dev/null; then
    echo "have   $target"
    present=$((present + 1))
    [[ $sha256 == TODO-pin ]] && unpinned+=("$model $repo $revision $path $(sha256_of "$target") $(size_of "$target")")
    continue
  fi
  mkdir -p "$(dirname "$target")"
  url="$base/$repo/resolve/$revision/$path"
  echo "fetch  $what"
  rm -f "$target.part"
  # Retries for transient failures; gives up on a stalled transfer (< 1 kB/s for 60 s), not on a slow big one.
  if ! curl --fail --location --silent --show-error --retry 3 --retry-delay 2 --retry-connrefused \
      --connect-timeout 20 --speed-limit 1024 --speed-time 60 --output "$target.part" "$url"; then
    rm -f "$target.part"
    fail "cannot download $url"
  fi
  if ! why=$(verify "$target.part" "$sha256" "$size"); then
    rm -f "$target.part"
    fail "refusing $url: $why (file removed; a changed upstream file or a bad mirror)"
  fi
  mv -f "$target.part" "$target"
  fetched=$((fetched + 1))
  if [[ $sha256 == TODO-pin ]]; then
    got=$(sha256_of "$target")
    echo "UNPINNED $what sha256 $got size $(size_of "$target")"
    unpinned+=("$model $repo $revision $path $got $(size_of "$target")")
  fi
done

echo "fetch-models: $fetched downloaded, $present already present and verified, in $dir"
if ((${#unpinned[@]})); then
  echo "fetch-models: ${#unpinned[@]} file(s) were not pinned; after checking them, pin with these manifest lines:"
  printf '  %s\n' "${unpinned[@]}"
fi
echo "run with: bin/platform --models $dir"
