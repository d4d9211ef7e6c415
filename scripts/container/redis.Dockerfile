# Redis for the tests run with -Dportbank.backing=containers (src/test/java/dev/portbank/testing/
# BackingServices.java): Debian's package on the runtime stand-in, listening on all addresses, nothing saved.
# Built by the tests; not used by a plain `docker build .`.
ARG BASE_IMAGE=portbank-ci/runtime-base:trixie
FROM ${BASE_IMAGE}

RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb

USER redis
EXPOSE 6379
CMD ["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no", "--save", "", "--appendonly", "no"]
