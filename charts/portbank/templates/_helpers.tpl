{{/*
Expand the name of the chart.
*/}}
{{- define "portbank.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Create a default fully qualified app name.
We truncate at 63 chars because some Kubernetes name fields are limited to this (by the DNS naming spec).
If release name contains chart name it will be used as a full name.
*/}}
{{- define "portbank.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Create chart name and version as used by the chart label.
*/}}
{{- define "portbank.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels
*/}}
{{- define "portbank.labels" -}}
helm.sh/chart: {{ include "portbank.chart" . }}
{{ include "portbank.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: portbank
{{- end }}

{{/*
Selector labels
*/}}
{{- define "portbank.selectorLabels" -}}
app.kubernetes.io/name: {{ include "portbank.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Selector labels of the API pods: the bundled PostgreSQL and Redis pods share the release labels
but not this component.
*/}}
{{- define "portbank.apiSelectorLabels" -}}
{{ include "portbank.selectorLabels" . }}
app.kubernetes.io/component: api
{{- end }}

{{/*
Create the name of the service account to use
*/}}
{{- define "portbank.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "portbank.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The PortBank image reference.
*/}}
{{- define "portbank.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/*
The Service that carries the admin port: the main Service when it is a ClusterIP, otherwise a
separate ClusterIP Service, so that the admin port never leaves the cluster.
*/}}
{{- define "portbank.adminServiceName" -}}
{{- if eq .Values.service.type "ClusterIP" }}
{{- include "portbank.fullname" . }}
{{- else }}
{{- printf "%s-admin" (include "portbank.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "portbank.postgresql.fullname" -}}
{{- printf "%s-postgresql" (include "portbank.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "portbank.redis.fullname" -}}
{{- printf "%s-redis" (include "portbank.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Where the secret settings are mounted as files.
*/}}
{{- define "portbank.secretsDir" -}}
/var/run/secrets/portbank
{{- end }}

{{/*
Name of the Secret that holds the secret settings.
*/}}
{{- define "portbank.secretName" -}}
{{- .Values.existingSecret.name | default (include "portbank.fullname" .) }}
{{- end }}

{{/*
Secret settings of the chart-created Secret, as a YAML map from env name to value; empty values are
left out. The bundled PostgreSQL and Redis provide the URLs when no URL is given.
*/}}
{{- define "portbank.secretValues" -}}
{{- $databaseUrl := .Values.database.url }}
{{- if and (not $databaseUrl) .Values.postgresql.enabled }}
{{- $auth := .Values.postgresql.auth }}
{{- $databaseUrl = printf "postgres://%s:%s@%s:5432/%s" $auth.username $auth.password (include "portbank.postgresql.fullname" .) $auth.database }}
{{- end }}
{{- $redisUrl := .Values.cache.url }}
{{- if and (not $redisUrl) .Values.redis.enabled }}
{{- $redisUrl = printf "redis://%s:6379/0" (include "portbank.redis.fullname" .) }}
{{- end }}
{{- $values := dict "DATABASE_URL" $databaseUrl "DATABASE_PASSWORD" .Values.database.password "DATABASE_MIGRATION_URL" .Values.database.migrationUrl "REDIS_URL" $redisUrl "REDIS_PASSWORD" .Values.cache.password "AUTH_PUBLIC_KEY" .Values.auth.publicKey }}
{{- range $env, $value := $values }}
{{- if $value }}
{{ $env }}: {{ $value | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Key of a secret setting in the chart-created Secret: DATABASE_URL is stored as database-url.
*/}}
{{- define "portbank.secretKey" -}}
{{- . | lower | replace "_" "-" }}
{{- end }}

{{/*
Secret settings the pods receive, as a YAML map from env name to the key in the Secret.
*/}}
{{- define "portbank.secretKeys" -}}
{{- if .Values.existingSecret.name }}
{{- $keys := .Values.existingSecret.keys }}
{{- $byEnv := dict "DATABASE_URL" $keys.databaseUrl "DATABASE_PASSWORD" $keys.databasePassword "REDIS_URL" $keys.redisUrl "REDIS_PASSWORD" $keys.redisPassword "AUTH_PUBLIC_KEY" $keys.authPublicKey }}
{{- range $env, $key := $byEnv }}
{{- if $key }}
{{ $env }}: {{ $key | quote }}
{{- end }}
{{- end }}
{{- else }}
{{- range $env, $value := fromYaml (include "portbank.secretValues" .) }}
{{- if ne $env "DATABASE_MIGRATION_URL" }}
{{ $env }}: {{ include "portbank.secretKey" $env | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Key of DATABASE_MIGRATION_URL in the Secret, or empty. Only the migration Job mounts it: the pods
run as the runtime role and never see the schema owner's credentials.
*/}}
{{- define "portbank.migrationUrlKey" -}}
{{- if .Values.existingSecret.name }}
{{- .Values.existingSecret.keys.databaseMigrationUrl }}
{{- else if .Values.database.migrationUrl }}
{{- include "portbank.secretKey" "DATABASE_MIGRATION_URL" }}
{{- end }}
{{- end }}

{{/*
Non-secret settings, as a YAML map from env name to value: the data of the ConfigMap and the env of
the migration Job. Secret settings appear only as X_FILE paths into the Secret's mount.
*/}}
{{- define "portbank.config" -}}
PORT: {{ .Values.containerPorts.http | quote }}
ADMIN_PORT: {{ .Values.containerPorts.admin | quote }}
LOG_FORMAT: {{ .Values.logging.format | quote }}
LOG_LEVEL: {{ .Values.logging.level | quote }}
SHUTDOWN_DRAIN_SECONDS: {{ .Values.shutdown.drainSeconds | quote }}
DATABASE_POOL_SIZE: {{ .Values.database.poolSize | quote }}
DATABASE_MIGRATE_ON_START: "false"
{{- with .Values.database.user }}
DATABASE_USER: {{ . | quote }}
{{- end }}
{{- with .Values.database.runtimeRole }}
DATABASE_RUNTIME_ROLE: {{ . | quote }}
{{- end }}
REDIS_POOL_SIZE: {{ .Values.cache.poolSize | quote }}
AUTH_DEV_MODE: {{ .Values.auth.devMode | quote }}
{{- if .Values.auth.devMode }}
{{- /* Probes reach the pod's address, so dev mode binds all interfaces; the validate helper keeps it off Ingress and LoadBalancer. */}}
AUTH_DEV_MODE_ALLOW_REMOTE: "true"
{{- end }}
AUTH_ROLES_CLAIM: {{ .Values.auth.rolesClaim | quote }}
{{- if .Values.auth.issuerAudienceOptional }}
AUTH_ISSUER_AUDIENCE_OPTIONAL: "true"
{{- end }}
{{- with .Values.auth.jwksUrl }}
AUTH_JWKS_URL: {{ . | quote }}
{{- end }}
{{- with .Values.auth.issuer }}
AUTH_ISSUER: {{ . | quote }}
{{- end }}
{{- with .Values.auth.audience }}
AUTH_AUDIENCE: {{ . | quote }}
{{- end }}
{{- with .Values.auth.oidcIssuer }}
AUTH_OIDC_ISSUER: {{ . | quote }}
{{- end }}
{{- with .Values.auth.oidcClientId }}
AUTH_OIDC_CLIENT_ID: {{ . | quote }}
{{- end }}
{{- with include "portbank.javaToolOptions" . }}
JAVA_TOOL_OPTIONS: {{ . | quote }}
{{- end }}
{{- $dir := include "portbank.secretsDir" . }}
{{- range $env, $key := fromYaml (include "portbank.secretKeys" .) }}
{{ $env }}_FILE: {{ printf "%s/%s" $dir $key | quote }}
{{- end }}
{{- end }}

{{/*
JAVA_TOOL_OPTIONS of the API container: jvm.toolOptions plus the JDWP agent when debug is on.
*/}}
{{- define "portbank.javaToolOptions" -}}
{{- $options := list }}
{{- with .Values.jvm.toolOptions }}
{{- $options = append $options . }}
{{- end }}
{{- if .Values.debug.enabled }}
{{- /* Loopback only: kubectl port-forward connects inside the pod, nothing else can reach the debugger. */}}
{{- $options = append $options (printf "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:%d" (int .Values.debug.port)) }}
{{- end }}
{{- join " " $options }}
{{- end }}

{{/*
Volumes that every PortBank pod needs: a writable /tmp and the secret settings as files.
*/}}
{{- define "portbank.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- with fromYaml (include "portbank.secretKeys" .) }}
- name: secrets
  secret:
    secretName: {{ include "portbank.secretName" $ }}
    defaultMode: 0440
    items:
      {{- range $env, $key := . }}
      - key: {{ $key }}
        path: {{ $key }}
      {{- end }}
{{- end }}
{{- end }}

{{- define "portbank.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if fromYaml (include "portbank.secretKeys" .) }}
- name: secrets
  mountPath: {{ include "portbank.secretsDir" . }}
  readOnly: true
{{- end }}
{{- end }}

{{/*
Restricted container security context for the bundled PostgreSQL and Redis, run as the given UID.
*/}}
{{- define "portbank.restrictedSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ . }}
runAsGroup: {{ . }}
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
Checks across values that the schema cannot express. Fails the render with a message that says
what to set.
*/}}
{{- define "portbank.validate" -}}
{{- $secretKeys := fromYaml (include "portbank.secretKeys" .) }}
{{- if not (or .Values.auth.devMode .Values.auth.jwksUrl (hasKey $secretKeys "AUTH_PUBLIC_KEY")) }}
{{- fail "auth: set auth.jwksUrl or auth.publicKey (or existingSecret.keys.authPublicKey) so that tokens can be verified; auth.devMode=true is for local development only" }}
{{- end }}
{{- if and .Values.auth.devMode (or .Values.ingress.enabled (eq .Values.service.type "LoadBalancer")) }}
{{- fail "auth: auth.devMode=true accepts tokens that anyone can mint, so it cannot be exposed: set ingress.enabled=false and service.type=ClusterIP, and reach the pod with kubectl port-forward" }}
{{- end }}
{{- if and (or .Values.auth.jwksUrl (hasKey $secretKeys "AUTH_PUBLIC_KEY")) (not .Values.auth.issuerAudienceOptional) (not (and .Values.auth.issuer .Values.auth.audience)) }}
{{- fail "auth: set auth.issuer and auth.audience, so that only tokens issued for PortBank are accepted (auth.issuerAudienceOptional=true for a provider that sets neither)" }}
{{- end }}
{{- if and .Values.debug.enabled (not .Values.auth.devMode) }}
{{- fail "debug: debug.enabled=true lets whoever reaches the debugger run any code in the pod; it belongs to the development values only (values-dev.yaml, with auth.devMode=true)" }}
{{- end }}
{{- if and .Values.database.runtimeRole (not (include "portbank.migrationUrlKey" .)) }}
{{- fail "database: database.runtimeRole needs database.migrationUrl (or existingSecret.keys.databaseMigrationUrl): migrations run as the schema's owner, the pods as the runtime role" }}
{{- end }}
{{- if not (hasKey $secretKeys "DATABASE_URL") }}
{{- fail "database: set database.url, existingSecret.name with existingSecret.keys.databaseUrl, or postgresql.enabled=true for a development database" }}
{{- end }}
{{- if and .Values.postgresql.enabled (not .Values.postgresql.auth.password) }}
{{- fail "postgresql: set postgresql.auth.password when postgresql.enabled=true" }}
{{- end }}
{{- $ports := list (int .Values.containerPorts.http) (int .Values.containerPorts.admin) }}
{{- if .Values.debug.enabled }}
{{- $ports = append $ports (int .Values.debug.port) }}
{{- end }}
{{- if ne (len $ports) (len (uniq $ports)) }}
{{- fail "containerPorts: containerPorts.http, containerPorts.admin and debug.port (when debug.enabled) must all differ" }}
{{- end }}
{{- include "portbank.validateConnectionBudget" . }}
{{- if and .Values.podDisruptionBudget.enabled (eq (include "portbank.isSet" .Values.podDisruptionBudget.maxUnavailable) (include "portbank.isSet" .Values.podDisruptionBudget.minAvailable)) }}
{{- fail "podDisruptionBudget: set exactly one of podDisruptionBudget.maxUnavailable and podDisruptionBudget.minAvailable (the other null)" }}
{{- end }}
{{- end }}

{{/*
Every pod that can run at once must get its whole pool: the autoscaler's maximum (or replicaCount) plus the
Deployment's rolling-update surge (25%, rounded up), each with database.poolSize connections and 2 more (the cache
epoch's listener and fence), plus the reserved ones, within the server's max_connections.
*/}}
{{- define "portbank.validateConnectionBudget" -}}
{{- $replicas := int (ternary .Values.autoscaling.maxReplicas .Values.replicaCount .Values.autoscaling.enabled) }}
{{- $replicasFrom := ternary "autoscaling.maxReplicas" "replicaCount" .Values.autoscaling.enabled }}
{{- $surge := div (add $replicas 3) 4 }}
{{- $perPod := add (int .Values.database.poolSize) 2 }}
{{- $reserved := int .Values.database.reservedConnections }}
{{- $needed := add (mul (add $replicas $surge) $perPod) $reserved }}
{{- $max := int .Values.database.maxConnections }}
{{- if gt $needed $max }}
{{- fail (printf "database: the pods may need %d connections, more than database.maxConnections=%d: (%s=%d + %d rolling-update surge) pods x (database.poolSize=%d + 2) + database.reservedConnections=%d. Lower %s or database.poolSize, or raise database.maxConnections to the server's max_connections" $needed $max $replicasFrom $replicas $surge (int .Values.database.poolSize) $reserved $replicasFrom) }}
{{- end }}
{{- end }}

{{/*
"true" unless the value is null: 0 is a valid minAvailable or maxUnavailable.
*/}}
{{- define "portbank.isSet" -}}
{{- not (kindIs "invalid" .) }}
{{- end }}
