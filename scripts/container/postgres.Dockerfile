# PostgreSQL for the tests run with -Dportbank.backing=containers (src/test/java/dev/portbank/testing/
# BackingServices.java): Debian's package on the runtime stand-in, set up like the local test server (user
# postgres, trust auth), listening on all addresses. Built by the tests; not used by a plain `docker build .`.
ARG BASE_IMAGE=portbank-ci/runtime-base:trixie
FROM ${BASE_IMAGE}

# No cluster from the package's postinst: the one below is made with the settings the tests need.
RUN mkdir -p /etc/postgresql-common/createcluster.d \
 && echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.d/no-main-cluster.conf \
 && apt-get update \
 && apt-get install -y --no-install-recommends postgresql \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb \
 && ln -s /usr/lib/postgresql/*/bin/initdb /usr/lib/postgresql/*/bin/postgres /usr/local/bin/ \
 && install -d -o postgres -g postgres /run/postgresql

USER postgres
ENV PGDATA=/var/lib/postgresql/data
RUN initdb --username=postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync \
 && echo "listen_addresses = '*'" >>"${PGDATA}/postgresql.conf" \
 && echo "host all all all trust" >>"${PGDATA}/pg_hba.conf"

EXPOSE 5432
# A throwaway server: no durability to pay for.
CMD ["postgres", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
