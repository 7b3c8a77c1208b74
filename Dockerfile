# The manager image: built static and reproducibly (same flags as `make
# build`), run as non-root on distroless. route-bootstrap.exe is not in the
# image: hosts download it from the policy's bootstrap source, and the
# manager pins its SHA-256, passed in by `make docker-build` from the
# bin/route-bootstrap.exe of the same source (see README, "Releases").
# The build stage runs on the builder's own platform and cross-compiles
# (Go needs no emulation), so `docker buildx build --platform
# linux/amd64,linux/arm64` is quick; buildx sets TARGETOS and TARGETARCH.
FROM --platform=$BUILDPLATFORM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY api/ api/
COPY cmd/ cmd/
COPY controllers/ controllers/
COPY internal/ internal/
ARG TARGETOS=linux
ARG TARGETARCH=amd64
ARG VERSION=devel
ARG COMMIT=unknown
ARG ROUTE_BOOTSTRAP_SHA256=
RUN CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} go build -trimpath -buildvcs=false \
    -ldflags="-s -w -buildid= -X github.com/ecswin/ecswin/internal/buildinfo.version=${VERSION} -X github.com/ecswin/ecswin/internal/buildinfo.commit=${COMMIT} -X github.com/ecswin/ecswin/internal/buildinfo.routeBootstrapSHA256=${ROUTE_BOOTSTRAP_SHA256}" \
    -o /out/manager ./cmd/manager

FROM gcr.io/distroless/static:nonroot
WORKDIR /
COPY --from=build /out/manager /manager
USER 65532:65532
ENTRYPOINT ["/manager"]
