#!/bin/sh
# Container entry point: the same artifacts and post-boot files as README "Run" and "Production",
# switched by environment variables:
#   REGISTRY_AUDIT_DB_HOST set      -> the default datasource on PostgreSQL (REGISTRY_AUDIT_DB_*)
#   REGISTRY_AUDIT_BROKER_HOST set  -> a standalone Artemis broker (REGISTRY_AUDIT_BROKER_*)
#   otherwise                       -> embedded H2 and embedded broker, kept under /data
set -eu
config=/opt/registry-audit/server-config
boot=/tmp/registry-audit-boot.asadmin
cat "$config/payara/defaults.asadmin" > "$boot"
libs=""
if [ -n "${REGISTRY_AUDIT_DB_HOST:-}" ]; then
  : "${REGISTRY_AUDIT_DB_PORT:=5432}" "${REGISTRY_AUDIT_DB_NAME:=registry_audit}" "${REGISTRY_AUDIT_DB_USER:=registry_audit}"
  : "${REGISTRY_AUDIT_DB_PASSWORD:?set REGISTRY_AUDIT_DB_PASSWORD}"
  cat "$config/payara/postgresql.asadmin" >> "$boot"
  libs="--addlibs /opt/registry-audit/postgresql.jar"
fi
if [ -n "${REGISTRY_AUDIT_BROKER_HOST:-}" ]; then
  : "${REGISTRY_AUDIT_BROKER_PORT:=61616}" "${REGISTRY_AUDIT_BROKER_USER:?set REGISTRY_AUDIT_BROKER_USER}"
  : "${REGISTRY_AUDIT_BROKER_PASSWORD:?set REGISTRY_AUDIT_BROKER_PASSWORD}"
  export REGISTRY_AUDIT_BROKER_USER REGISTRY_AUDIT_BROKER_PASSWORD
  cat "$config/payara/artemis.asadmin" >> "$boot"
fi
# Fill in ${VAR} placeholders (the image has no envsubst); asadmin needs ':' and '=' escaped.
for var in REGISTRY_AUDIT_DB_HOST REGISTRY_AUDIT_DB_PORT REGISTRY_AUDIT_DB_NAME REGISTRY_AUDIT_DB_USER \
           REGISTRY_AUDIT_DB_PASSWORD REGISTRY_AUDIT_BROKER_HOST REGISTRY_AUDIT_BROKER_PORT \
           REGISTRY_AUDIT_BROKER_USER REGISTRY_AUDIT_BROKER_PASSWORD; do
  eval "value=\${$var:-}"
  escaped=$(printf '%s' "$value" | sed -e 's/[:=]/\\&/g' -e 's/[&|\\]/\\&/g')
  sed -i "s|\${$var}|$escaped|g" "$boot"
done
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar /opt/payara/payara-micro.jar --nocluster --rootdir /data --port 8080 \
  --prebootcommandfile "$config/payara/preboot.asadmin" --systemproperties "$config/payara/system.properties" \
  --logproperties "$config/payara/logging.properties" --postbootcommandfile "$boot" $libs \
  --deploy /opt/registry-audit/artemis-ra.rar --deploy /opt/registry-audit/registry-audit.war
