# ecswin. `make demo` and `make test` are the whole set-up: every tool they
# need is built from the Go module proxy into $(CACHE), keyed by version, so
# a warm machine rebuilds nothing.

SHELL := /usr/bin/env bash -o pipefail
.SHELLFLAGS := -ec
.DEFAULT_GOAL := help

CACHE ?= $(or $(ECSWIN_CACHE),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/ecswin)
export ECSWIN_CACHE := $(CACHE)

IMG ?= ecswin/manager:dev
GO_TEST_FLAGS ?= -race
BENCH ?= .
BENCHTIME ?= 1x

CONTROLLER_GEN = $(shell hack/tool.sh controller-gen)
GOLANGCI_LINT = $(shell hack/tool.sh golangci-lint)
HELM = $(shell hack/tool.sh helm)
KUBECTL ?= kubectl
# More flags for make uninstall and undeploy (--dry-run=server, --wait=false).
DELETE_FLAGS ?=
# Where make deploy and the chart install the manager.
NAMESPACE ?= ecswin-system

##@ General

.PHONY: help
help: ## Show the targets.
	@awk 'BEGIN {FS = ":.*##"} /^[a-zA-Z_-]+:.*?##/ { printf "  %-14s %s\n", $$1, $$2 } /^##@/ { printf "\n%s\n", substr($$0, 5) }' $(MAKEFILE_LIST)

##@ Use

.PHONY: demo
demo: ## Run the reconcile loop on the embedded simulated fleet and watch it converge.
	go run ./cmd/ecswinctl demo

.PHONY: demo-kube
demo-kube: ## The manager on a local control plane against the simulated fleet, shown with kubectl; stops all it starts.
	go build -o bin/manager ./cmd/manager
	go run ./hack/demokube --manager bin/manager --assets "$$(hack/envtest-assets.sh)"

##@ Deployment (the current kubeconfig's cluster)

.PHONY: install
install: ## Install the FleetPolicy CRD.
	$(KUBECTL) apply --server-side -k config/crd

.PHONY: uninstall
uninstall: ## Remove the CRD, and with it every FleetPolicy.
	$(KUBECTL) delete --ignore-not-found $(DELETE_FLAGS) -k config/crd

.PHONY: deploy
deploy: ## Install CRD, RBAC and the manager (config/default) with the image IMG.
	@img='$(IMG)'; name=$${img%:*}; tag=$${img##*:}; \
	if [[ "$$name" == "$$img" || "$$tag" == */* ]]; then name=$$img; tag=latest; fi; \
	overlay=$$(mktemp -d) && trap 'rm -rf "$$overlay"' EXIT && \
	printf 'resources:\n  - %s\nimages:\n  - name: ecswin/manager\n    newName: %s\n    newTag: %s\n' \
	  "$$(realpath --relative-to="$$overlay" config/default)" "$$name" "$$tag" > "$$overlay/kustomization.yaml" && \
	$(KUBECTL) apply --server-side -k "$$overlay"

.PHONY: undeploy
undeploy: ## Remove what make deploy installed (the CRD and every FleetPolicy too).
	$(KUBECTL) delete --ignore-not-found $(DELETE_FLAGS) -k config/default

.PHONY: run
run: ## Run the manager here against the current kubeconfig (leader election off, plain-HTTP metrics on 127.0.0.1:8080).
	go run ./cmd/manager --leader-elect=false --metrics-secure=false \
	  --metrics-bind-address=127.0.0.1:8080 --health-probe-bind-address=127.0.0.1:8081 $(RUN_ARGS)

.PHONY: helm-lint
helm-lint: ## helm lint the chart with its default and its full values.
	$(HELM) lint --strict charts/ecswin
	$(HELM) lint --strict charts/ecswin -f charts/ecswin/ci/full-values.yaml

.PHONY: helm-template
helm-template: ## Render the chart as release ecswin in NAMESPACE (VALUES=file for more).
	$(HELM) template ecswin charts/ecswin --namespace $(NAMESPACE) $(if $(VALUES),-f $(VALUES))

##@ Development

.PHONY: generate
generate: ## Generate the deepcopy code of the API types.
	$(CONTROLLER_GEN) object:headerFile=hack/boilerplate.go.txt paths=./api/...

.PHONY: manifests
manifests: ## Generate the CRD and the RBAC role from the kubebuilder markers.
	$(CONTROLLER_GEN) crd paths=./api/... output:crd:artifacts:config=config/crd/bases
	$(CONTROLLER_GEN) rbac:roleName=manager-role paths=./controllers/... output:rbac:artifacts:config=config/rbac
	go generate ./internal/policyfile   # the CLI validates policy files with a copy of the CRD
	# The chart reads these from its own files/ (helm cannot reach outside the chart).
	cp config/crd/bases/ecswin.io_fleetpolicies.yaml charts/ecswin/files/crd.yaml
	cp config/rbac/role.yaml charts/ecswin/files/manager-role.yaml
	cp config/prometheus/ecswin-alerts.rules.yaml config/prometheus/grafana-dashboard.json charts/ecswin/files/

.PHONY: fmt
fmt: ## gofmt every Go file.
	gofmt -w $$(git ls-files '*.go')

.PHONY: vet
WINDOWS_PKGS = ./cmd/route-bootstrap/... ./internal/bootstrap/...

vet: ## go vet for Linux, and for Windows over route-bootstrap (the code that runs there).
	go vet ./...
	GOOS=windows go vet $(WINDOWS_PKGS)

.PHONY: lint
lint: ## Run golangci-lint with .golangci.yml.
	$(GOLANGCI_LINT) run ./...
	GOOS=windows $(GOLANGCI_LINT) run $(WINDOWS_PKGS)

.PHONY: envtest
envtest: ## Build (once) kube-apiserver and etcd for the envtest suites; prints their directory.
	@hack/envtest-assets.sh

.PHONY: test
test: vet build-windows ## Vet, cross-compile route-bootstrap, run every test (envtest, the chart included) with -race.
	KUBEBUILDER_ASSETS="$$(hack/envtest-assets.sh)" HELM="$(HELM)" MONITORING_CRDS="$$(hack/monitoring-crds.sh)" \
	  go test $(GO_TEST_FLAGS) ./...

.PHONY: bench
bench: ## Run the benchmarks once each (BENCH=regexp, BENCHTIME=Nx).
	go test -run '^$$' -bench '$(BENCH)' -benchtime $(BENCHTIME) -benchmem ./...

FUZZTIME ?= 30s

.PHONY: fuzz
fuzz: ## Fuzz the report parsers and the SSM parameter mapping, FUZZTIME each (seed corpora run in make test).
	go test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/bootstrap/report
	go test -run '^$$' -fuzz '^FuzzHostArgs$$' -fuzztime $(FUZZTIME) ./internal/bootstrap/ssmdoc
	go test -run '^$$' -fuzz '^FuzzReadReport$$' -fuzztime $(FUZZTIME) ./internal/remediate

.PHONY: verify
verify: generate manifests ## Regenerate and fail if anything generated or formatted differs from what is committed.
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt would change:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	go mod tidy -diff
	@git diff --exit-code -- api config internal/policyfile/crd.yaml charts/ecswin/files || { echo "generated files are stale: run make generate manifests and commit"; exit 1; }

##@ Build

.PHONY: build
build: build-windows ## Build the manager, ecswinctl and route-bootstrap into bin/.
	go build -o bin/manager ./cmd/manager
	go build -o bin/ecswinctl ./cmd/ecswinctl

.PHONY: build-windows
build-windows: ## Cross-compile route-bootstrap for windows/amd64.
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -trimpath -o bin/route-bootstrap.exe ./cmd/route-bootstrap

.PHONY: docker-build
docker-build: ## Build the manager image (needs a Docker engine).
	docker build -t $(IMG) .
