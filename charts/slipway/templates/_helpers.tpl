{{/* The chart name, or nameOverride. */}}
{{- define "slipway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The full name of the release's objects: the release name, with the chart name
appended unless it already contains it (release "slipway" → "slipway"). */}}
{{- define "slipway.fullname" -}}
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

{{/* Labels that select the operator pods; they never change after install. */}}
{{- define "slipway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "slipway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels on every object of the release. */}}
{{- define "slipway.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "slipway.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: slipway
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The ServiceAccount the operator runs as. */}}
{{- define "slipway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "slipway.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* "true" when leader election is on: asked for, or more than one replica. */}}
{{- define "slipway.leaderElect" -}}
{{- if or .Values.leaderElection.enabled (gt (int .Values.replicaCount) 1) }}true{{ end }}
{{- end }}

{{/* The image reference; the tag defaults to the chart's appVersion. */}}
{{- define "slipway.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
The namespaced rules of the operator: exactly what the controllers call (see
docs/install.md, "RBAC"); a test runs a BatchJob end to end, records every request and
fails when one is not allowed here.
*/}}
{{- define "slipway.namespacedRules" -}}
# BatchJobs and SparkJobs: read through informers; delete after ttlSecondsAfterFinished;
# created (and deleted by history limits and Replace) by JobSchedules.
- apiGroups: ["slipway.dev"]
  resources: ["batchjobs", "sparkjobs"]
  verbs: ["get", "list", "watch", "create", "delete"]
# JobSchedules: read through an informer.
- apiGroups: ["slipway.dev"]
  resources: ["jobschedules"]
  verbs: ["get", "list", "watch"]
# Status is written with optimistic concurrency (PUT .../status).
- apiGroups: ["slipway.dev"]
  resources: ["batchjobs/status", "sparkjobs/status", "jobschedules/status"]
  verbs: ["update"]
# Pods and scheduled runs carry a controller reference with blockOwnerDeletion; clusters
# that enforce OwnerReferencesPermissionEnforcement require update on the owner's
# finalizers for that.
- apiGroups: ["slipway.dev"]
  resources: ["batchjobs/finalizers", "sparkjobs/finalizers", "jobschedules/finalizers"]
  verbs: ["update"]
# Attempt pods: created, adopted (get), released from Slipway's finalizer (a conditional
# JSON patch, else get and update), deleted.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
# SparkJob: a ConfigMap (spark.properties) and a headless driver Service per attempt,
# written with server-side apply (a PATCH, authorized as create when it creates the object;
# they go with the driver pod, which owns them).
- apiGroups: [""]
  resources: ["configmaps", "services"]
  verbs: ["create", "patch"]
# Events: the operator reads pods' warning events and records its own (core/v1).
- apiGroups: [""]
  resources: ["events"]
  verbs: ["list", "watch", "create", "patch"]
{{- if .Values.web.enabled }}
# The web view (docs/web.md) shows the logs of jobs' pods.
- apiGroups: [""]
  resources: ["pods/log"]
  verbs: ["get"]
{{- end }}
{{- end }}

{{/* Labels of the Spark drivers' ServiceAccount, Role and RoleBinding. */}}
{{- define "slipway.sparkLabels" -}}
{{ include "slipway.labels" . | replace "app.kubernetes.io/component: operator" "app.kubernetes.io/component: spark-driver" }}
{{- end }}
