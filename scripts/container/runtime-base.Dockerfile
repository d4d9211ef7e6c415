# Stand-in for the default RUNTIME_IMAGE (eclipse-temurin:25-jre), built from a
# debootstrap root filesystem so the image tests need no image registry.
# Built by scripts/container-setup.sh; not used by a plain `docker build .`.
ARG ROOTFS_IMAGE
FROM ${ROOTFS_IMAGE}

ARG JRE_PACKAGE=openjdk-25-jre-headless
RUN apt-get update \
 && apt-get install -y --no-install-recommends "${JRE_PACKAGE}" \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb \
 && java -version

CMD ["java", "-version"]
