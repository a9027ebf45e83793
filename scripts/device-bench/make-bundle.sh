#!/bin/bash
# Builds the bundle that runs the encoder and generator benchmarks on a machine with no JDK and no
# network (the lent GPU machine's 16 CPU cores), under the 64 MiB it can receive:
#   part1.tar.xz  jlink'd JRE 17, the packaged encoder app (non-linux-x64 natives stripped, jars
#                 re-stored so that xz compresses the classes), the encoder benchmark classes;
#   part2.tar.xz  the generator classes and devkit;
#   part3.tar.xz  Debian's image libraries that the JRE links (libjpeg, lcms2, ...).
# Usage, from the repository root after `./mvnw -o install -DskipTests`:
#   scripts/device-bench/make-bundle.sh <outDir>
# There: unpack the three into /tmp/b, then `B=/tmp/b bash scripts/device-bench/run-device.sh`.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/scripts/device-bench"
out=$(mkdir -p "$1" && cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
jlink --add-modules java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.scripting,java.security.jgss,java.sql,java.xml,jdk.crypto.ec,jdk.management,jdk.net,jdk.unsupported,jdk.zipfs \
  --strip-debug --no-header-files --no-man-pages --compress=0 --output jre
cp -r "$root/encoder-service/target/quarkus-app" app
(cd app/lib/main && python3 "$here/strip_natives.py" ai.djl.huggingface.tokenizers-*.jar at.yawk.lz4.lz4-java-*.jar \
  com.github.luben.zstd-jni-*.jar com.microsoft.onnxruntime.onnxruntime-*.jar net.java.dev.jna.jna-*.jar \
  org.fusesource.jansi.jansi-*.jar org.xerial.snappy.snappy-java-*.jar >/dev/null)
mkdir -p bench gen/lib syslib
cp -r "$root/encoder-service/target/test-classes" bench/enc-test-classes
cp -r "$root/encoder-service/target/classes" bench/enc-classes
cp "$root/devkit/target/devkit-0.1.0-SNAPSHOT.jar" bench/ && cp "$root/devkit/target/devkit-0.1.0-SNAPSHOT.jar" gen/lib/
cp -r "$root/generator-service/target/classes" gen/classes
cp -r "$root/generator-service/target/test-classes" gen/test-classes
python3 "$here/store_jars.py" app/lib/main/*.jar app/lib/boot/*.jar app/quarkus-run.jar app/app/*.jar app/quarkus/*.jar bench/*.jar
for lib in libjpeg.so.62 liblcms2.so.2 libpng16.so.16 libgif.so.7 libfreetype.so.6 libharfbuzz.so.0 libgraphite2.so.3 \
    libglib-2.0.so.0 libpcre2-8.so.0 libbrotlicommon.so.1 libbrotlidec.so.1 libz.so.1; do
  cp -L "/lib/x86_64-linux-gnu/$lib" syslib/
done
tar cf - jre app bench | xz -9 -T2 > "$out/part1.tar.xz"
tar cf - gen | xz -9 > "$out/part2.tar.xz"
tar cf - syslib | xz -9 > "$out/part3.tar.xz"
ls -la "$out"
