# weaklink as a container: a static Go binary on a distroless, non-root base image.
#
#   docker build --build-arg VERSION=1.2.3 -t weaklink .
#   docker compose up --build          (with PostgreSQL; see docker-compose.yml)
#
# The binary embeds its migrations and openapi.yaml, so it needs no other files and
# runs from any directory. Configuration is the WEAKLINK_* environment (README.md).

# --- build ---------------------------------------------------------------------------
FROM golang:1.26-bookworm AS build
WORKDIR /src

# Modules first, so that a source change does not download them again.
COPY go.mod go.sum ./
RUN go mod download

COPY . .
ARG VERSION=dev
# CGO off: the SQLite driver is pure Go, so the binary is fully static and needs no libc.
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/weaklink . \
 && mkdir -p /out/data

# --- run -----------------------------------------------------------------------------
# distroless/static: no shell, no package manager, only CA certificates, tzdata and
# /etc/passwd; the :nonroot tag runs as uid 65532.
FROM gcr.io/distroless/static-debian12:nonroot

COPY --from=build /out/weaklink /weaklink
# A writable place for the embedded SQLite file, used only when WEAKLINK_DATABASE_URL is
# unset (a trial: docker run -p 127.0.0.1:8080:8080 -v weaklink-data:/data IMAGE). Production
# sets WEAKLINK_DATABASE_URL to PostgreSQL and keeps nothing in the container.
COPY --from=build --chown=65532:65532 /out/data /data
# Every interface inside the container: the default, 127.0.0.1:8080, would not be
# reachable through a published port.
ENV WEAKLINK_ADDR=:8080 \
    WEAKLINK_SQLITE_PATH=/data/weaklink.db

USER 65532:65532
EXPOSE 8080

# No HEALTHCHECK: the image has no shell and no HTTP client to run one with. Probe
# GET /healthz (liveness) and GET /readyz (database reachable, migrations current)
# from the orchestrator or load balancer instead.

# serve stops gracefully on SIGTERM (WEAKLINK_SHUTDOWN_TIMEOUT, 20s by default);
# give the container a longer stop grace period than that.
ENTRYPOINT ["/weaklink"]
CMD ["serve"]
