# PortBank container image.
#
#   docker build -t portbank .
#   docker run -p 8080:8080 -p 8081:8081 -e DATABASE_URL=... -e REDIS_URL=... portbank
#
# Three stages: `build` compiles the jar with Maven (for Java 21, on a JDK 25), `cds` makes
# a start-up cache with the runtime image's own JVM and JVM options (an AOT cache on JDK 25,
# a class-data sharing archive on JDK 21), and the last stage is the runtime image: a JRE,
# the application under /app, and nothing else. Both base images are build arguments, so
# a mirror or an air-gapped registry can stand in for the public ones, and
# RUNTIME_IMAGE=eclipse-temurin:21-jre works too (with a CDS archive). The file needs
# neither BuildKit nor a `# syntax` frontend: the legacy builder builds it.

ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-25
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre

# ---------------------------------------------------------------------------- build
FROM ${BUILD_IMAGE} AS build
WORKDIR /build

# Dependencies and plugins first, in their own layer: it is rebuilt only when pom.xml changes.
COPY pom.xml ./
RUN mvn -B -ntp -q dependency:go-offline

COPY src ./src
RUN mvn -B -ntp -DskipTests package \
 && test -f target/portbank.jar \
 && test -d target/libs

# ------------------------------------------------------------------------------ cds
# An AOT cache (or a CDS archive) fits only the JVM that wrote it, so it is written here,
# FROM the runtime image, by a training run that needs no database. If that JVM cannot
# write one, the stage leaves an empty options file and the image starts without a cache.
FROM ${RUNTIME_IMAGE} AS cds

# The runtime stage's JVM options, the same (ImageIT checks that they are): the JVM uses an
# AOT cache only with options compatible with those of the run that trained it, and the
# profiles in it are those of this configuration. (Duplicated rather than shared through a
# stage that both are built FROM: Testcontainers would try to pull that stage's name as an
# image. Not on an `ENV JAVA_TOOL_OPTIONS=` line: bench/run.sh reads the runtime stage's.)
ENV MALLOC_ARENA_MAX=2 \
    JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -XX:MaxRAMPercentage=20 -XX:ReservedCodeCacheSize=40m -XX:MaxMetaspaceSize=128m -Xss512k -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError"

COPY --from=build /build/target/libs/ /app/libs/
COPY --from=build /build/target/portbank.jar /app/portbank.jar
COPY scripts/container/cds-training.sh /usr/local/bin/portbank-cds-training
RUN sh /usr/local/bin/portbank-cds-training /app

# -------------------------------------------------------------------------- runtime
FROM ${RUNTIME_IMAGE}

# A fixed, unprivileged user: the Helm chart's securityContext runs as 10001:10001 too.
# (useradd on Debian, Ubuntu and UBI bases; BusyBox adduser on Alpine.)
RUN if command -v useradd >/dev/null 2>&1; then \
        groupadd --gid 10001 portbank \
        && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
               --shell /usr/sbin/nologin portbank; \
    else \
        addgroup -g 10001 portbank \
        && adduser -D -H -u 10001 -G portbank -h /nonexistent -s /sbin/nologin portbank; \
    fi

# Dependencies, then the application, then the cache: least to most often changed.
# Files stay owned by root and read-only to the service; it writes nothing but /tmp.
COPY --from=cds /app/libs/ /app/libs/
COPY --from=cds /app/portbank.jar /app/portbank.jar
COPY --from=cds /app/cds/ /app/cds/

WORKDIR /app
USER 10001:10001
EXPOSE 8080 8081

# JAVA_TOOL_OPTIONS: a small serial-GC heap (a fifth of the container's memory limit), capped code
# cache and metaspace, so the whole process stays near 256 MB; on OutOfMemoryError, exit and let the
# orchestrator restart the container. (The Helm chart sets the same in their place; bench/run.sh
# measures with them; the `cds` stage trains with them.) MALLOC_ARENA_MAX and TrimNativeHeapInterval:
# glibc keeps what the JIT and the threads freed unless told otherwise (returning it cut RSS by about
# 30 MB under load). JDK_JAVA_OPTIONS: the AOT cache (or CDS archive) from the `cds` stage, read by
# every `java` that starts in the container; the @argfile is empty when there is no cache.
ENV JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -XX:MaxRAMPercentage=20 -XX:ReservedCodeCacheSize=40m -XX:MaxMetaspaceSize=128m -Xss512k -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError" \
    MALLOC_ARENA_MAX=2 \
    JDK_JAVA_OPTIONS="@/app/cds/serve.args"

# Each probe starts a second, short-lived JVM. C1 only, a small serial-GC heap, no
# perf-data file in /tmp and the AOT cache keep it to about 0.4 s of CPU (0.7 s without
# the cache, on a busy 2-core machine). The cache serves these options too, without a warning.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xms8m", "-Xmx32m", "-Xss512k", \
         "-XX:-UsePerfData", "-jar", "/app/portbank.jar", "healthcheck"]

ENTRYPOINT ["java", "-jar", "/app/portbank.jar"]

# Last, so that a new version or commit re-labels the image without rebuilding a layer.
ARG VERSION=0.1.0-SNAPSHOT
ARG SOURCE_URL=
ARG LICENSES=NOASSERTION
LABEL org.opencontainers.image.title="PortBank" \
      org.opencontainers.image.description="A twelve-factor banking HTTP service on Helidon SE" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.licenses="${LICENSES}"
