#!/usr/bin/env bash
# Builds the folder that autoglm-cuda/scripts/gpu-check.sh needs on a GPU machine that has no Java and
# no Maven: a jlink-ed Java 17 runtime, this module's classes and test classes, and the jars they use.
#
#   autoglm-cuda/scripts/make-gpu-kit.sh      # -> autoglm-cuda/target/gpu-kit (ignored by git)
#
# Needs JDK 17 (jlink), Maven and network access to Maven Central for the JUnit console launcher.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
kit="$root/autoglm-cuda/target/gpu-kit"
junit_platform="1.14.1"   # matches junit.version 5.14.1 in the root pom
cd "$root"
mvn -B -q -pl autoglm-cuda -am -DskipTests install
mvn -B -q -pl autoglm-cuda test-compile
rm -rf "$kit"
mkdir -p "$kit/lib"
mvn -B -q -pl autoglm-cuda dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$kit/lib"
mvn -B -q -pl autoglm-cuda dependency:copy-dependencies -DincludeArtifactIds=slf4j-simple -DoutputDirectory="$kit/lib"
mvn -B -q dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit_platform" \
    -DoutputDirectory="$kit/lib"
cp -r autoglm-cuda/target/classes "$kit/classes"
cp -r autoglm-cuda/target/test-classes "$kit/test-classes"
jlink --add-modules java.base,java.logging,java.xml,java.sql,java.management,jdk.unsupported \
      --strip-debug --no-header-files --no-man-pages --compress=2 --output "$kit/jre"
du -sh "$kit"/* "$kit"
