#!/usr/bin/env bash
# Installs Temporal's time-skipping test server (Java, from Maven Central) for the workflow
# tests: jars under .tools/temporal-test-server/lib and the wrapper .tools/bin/temporal-test-server
# that the SDK runs as `<path> <port>`. Idempotent; the jars are cached.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="${TEMPORAL_TEST_SERVER_VERSION:-1.31.0}"
DIR="$(pwd)/.tools/temporal-test-server"
WRAPPER="$(pwd)/.tools/bin/temporal-test-server"

if [ -x "$WRAPPER" ] && [ -f "$DIR/lib/temporal-test-server-$VERSION.jar" ] && grep -q "$DIR" "$WRAPPER"; then
  echo "time-skipping test server: $WRAPPER"; exit 0
fi
for tool in java mvn; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "time-skipping test server not installed: needs $tool (apt-get install -y openjdk-17-jre-headless maven); the workflow tests that use it will fail" >&2; exit 0
  fi
done

mkdir -p "$DIR" "$(dirname "$WRAPPER")"
cat > "$DIR/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.cyberops</groupId>
  <artifactId>temporal-test-server-deps</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>$VERSION</version>
    </dependency>
  </dependencies>
</project>
POM
rm -rf "$DIR/lib"
(cd "$DIR" && mvn -q -B dependency:copy-dependencies -DoutputDirectory=lib)
# The SDK gives the server about 5 s to listen; on a busy machine a cold JVM takes longer. A
# class-data archive and the C1 compiler bring the start under a second.
JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
rm -f "$DIR/app.jsa"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
java $JAVA_OPTS -XX:ArchiveClassesAtExit="$DIR/app.jsa" -cp "$DIR/lib/*" io.temporal.testserver.TestServer "$port" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  if (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  sleep 0.1
done
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
cat > "$WRAPPER.part" <<SH
#!/usr/bin/env sh
exec java $JAVA_OPTS -XX:SharedArchiveFile='$DIR/app.jsa' -Xlog:cds=off -Xlog:cds+dynamic=off -cp '$DIR/lib/*' io.temporal.testserver.TestServer "\$@"
SH
chmod +x "$WRAPPER.part"
mv "$WRAPPER.part" "$WRAPPER"
echo "time-skipping test server: $WRAPPER (temporal-test-server $VERSION)"
