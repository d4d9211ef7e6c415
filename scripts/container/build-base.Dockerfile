# Stand-in for the default BUILD_IMAGE (maven:3.9-eclipse-temurin-25), built from a
# debootstrap root filesystem so the image tests need no image registry.
# Built by scripts/container-setup.sh; not used by a plain `docker build .`.
ARG ROOTFS_IMAGE
FROM ${ROOTFS_IMAGE}

# CA certificates that the host trusts beyond Debian's set, collected by the setup script
# (none on most hosts): behind a TLS-inspecting egress proxy, Maven inside the build
# stage must trust what the host trusts. Installed before the JDK, whose cacerts
# keystore is generated from the system store.
COPY local-ca/ /usr/local/share/ca-certificates/

ARG JDK_PACKAGE=openjdk-25-jdk-headless
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && apt-get install -y --no-install-recommends "${JDK_PACKAGE}" maven \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb \
 && java -version \
 && mvn -v

CMD ["mvn", "-v"]
