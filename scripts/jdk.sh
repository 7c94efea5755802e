# Sourced by ./charter, ./run-tests, the benchmark script and the distribution's bin/charter: finds a JDK 25
# without the user exporting anything, and says what to install when there is none.
charter_find_jdk() {
  local candidate version
  local on_path=""
  # A java on the PATH counts too (an installed distribution may have nothing else to go on).
  if command -v java >/dev/null 2>&1; then on_path="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"; fi
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64 /usr/lib/jvm/java-25-openjdk-amd64 "$on_path"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    # The JDK's `release` file names its version without starting a JVM; ask the JVM only when it is absent.
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$candidate/release" 2>/dev/null)
    [ -n "$version" ] || version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [ -n "$version" ] && [ "${version%%.*}" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "charter: no JDK 25 found. Set JAVA_HOME to a JDK 25 or install one (e.g. Temurin 25 in /usr/lib/jvm/temurin-25-jdk-amd64)." >&2
  return 1
}

CHARTER_JVM_FLAGS="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Dpolyglot.engine.WarnInterpreterOnly=false"
# The JVM flags of a server (`charter serve`, and the benchmarks that run one in their own process).
# A server's engine holds events for minutes to days: they outlive every young collection anyway,
# and copying them between survivor spaces fifteen times before promoting them doubled the young
# pauses (7-8 ms -> 3-4 ms with two; p99 of webhooks at 2,000/s 20-27 ms -> 12-17 ms).
CHARTER_SERVE_JVM_FLAGS="-XX:MaxTenuringThreshold=2"
# The JVM flags of a command that reads a recording through and exits (simulate, explain, test,
# diff, demo): the parallel collector, which spends less of the run collecting than G1 and whose
# pauses nobody waits on (`./charter explain` over 100,000 events: 4.9 -> 4.6 s, 2 cores).
CHARTER_BATCH_JVM_FLAGS="-XX:+UseParallelGC"
