{{/*
Names. With the release named "ecswin" every object is named as
config/default names it (namePrefix ecswin-), so a kustomize install and a
Helm install grant the same RBAC to the same ServiceAccount, and the IAM
trust policies of config/iam fit both.
*/}}
{{- define "ecswin.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ecswin.fullname" -}}
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

{{/* name appends a suffix to the full name: include "ecswin.named" (list . "manager-role") */}}
{{- define "ecswin.named" -}}
{{- printf "%s-%s" (include "ecswin.fullname" (index . 0)) (index . 1) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ecswin.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "ecswin.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "ecswin.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ecswin.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
control-plane: controller-manager
{{- end }}

{{- define "ecswin.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ecswin.named" (list . "controller-manager")) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "ecswin.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/* The token the ServiceMonitor scrapes with: the chart's own, or one the operator names. */}}
{{- define "ecswin.scrapeSecretName" -}}
{{- if .Values.serviceMonitor.authorization.create }}
{{- include "ecswin.named" (list . "metrics-scraper-token") }}
{{- else }}
{{- required "serviceMonitor.authorization.secret.name is required when serviceMonitor.authorization.create is false" .Values.serviceMonitor.authorization.secret.name }}
{{- end }}
{{- end }}

{{/* The Secret holding the metrics server's certificate, or "" for a self-signed one. */}}
{{- define "ecswin.metricsCertSecret" -}}
{{- if .Values.metrics.certSecret }}
{{- .Values.metrics.certSecret }}
{{- else if .Values.metrics.certManager.enabled }}
{{- include "ecswin.named" (list . "metrics-server-cert") }}
{{- end }}
{{- end }}
