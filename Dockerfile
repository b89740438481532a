# Registry Audit on the official Payara Micro image. Build: docker build -t registry-audit .
# Run on the embedded defaults:  docker run -p 8080:8080 -v registry-audit:/data registry-audit
# Production (PostgreSQL, standalone Artemis): see README "Docker" for the environment variables.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline -DexcludeArtifactIds=payara-micro || true
COPY src src
COPY server-config server-config
RUN mvn -B -q -DskipTests package

FROM payara/micro:6.2025.10-jdk17
USER root
RUN mkdir -p /data /opt/registry-audit && chown payara /data /opt/registry-audit
COPY --from=build /src/target/runtime/artemis-ra.rar /src/target/runtime/postgresql.jar /src/target/registry-audit.war /opt/registry-audit/
COPY --from=build /src/server-config /opt/registry-audit/server-config
USER payara
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s CMD wget -qO- http://127.0.0.1:8080/health/ready || exit 1
ENTRYPOINT ["/opt/registry-audit/server-config/docker/start.sh"]
