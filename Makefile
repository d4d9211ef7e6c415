# PortBank: `make run` starts the service locally, `make test` runs every test.
# The build needs a JDK 21+; scripts/find-jdk.sh finds one (or honours a JAVA_HOME that qualifies).
JAVA_HOME := $(shell scripts/find-jdk.sh)
export JAVA_HOME
JAVA := $(JAVA_HOME)/bin/java
MVN := mvn -B -ntp
DB_SERVER ?= postgres://postgres@127.0.0.1:5432
REDIS_URL ?= redis://127.0.0.1:6379

.PHONY: run test image-test package database services clean

## run: build, create the local `portbank` database if missing, start in local development mode
run: package database
	HOST=127.0.0.1 AUTH_DEV_MODE=true DATABASE_URL=$(DB_SERVER)/portbank REDIS_URL=$(REDIS_URL) $(JAVA) -jar target/portbank.jar

## test: unit, integration, process and chart tests against the local PostgreSQL and Redis
test: services
	$(MVN) verify

## image-test: build the Dockerfile and check the image in real containers (as root: may install and start Docker)
image-test: services
	scripts/container-setup.sh
	$(MVN) verify -Pimage-tests

package:
	$(MVN) -q -DskipTests package

database: services
	@psql "$(DB_SERVER)/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = 'portbank'" | grep -q 1 \
		|| psql "$(DB_SERVER)/postgres" -qc "CREATE DATABASE portbank"

services:
	@scripts/backing-services.sh

clean:
	$(MVN) -q clean
