# Shortcuts for everyday work. The two commands that matter need nothing but Go:
#   make run   = go run . serve     (embedded SQLite in ./weaklink.db)
#   make test  = go test ./...      (SQLite; PostgreSQL too with WEAKLINK_TEST_DATABASE_URL)

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
GO_FILES = $(shell find . -name '*.go' -not -path './node_modules/*' -not -path './.git/*')

.DEFAULT_GOAL := help
.PHONY: help run test test-pg ci lint lint-openapi docs-assets build docker load screenshots clients

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /  \1\t/' | expand -t 16

run: ## run the service on the embedded SQLite file ./weaklink.db
	go run . serve

test: ## run every test on SQLite (and PostgreSQL when WEAKLINK_TEST_DATABASE_URL is set)
	go test ./...

test-pg: ## run every test on SQLite and PostgreSQL (needs WEAKLINK_TEST_DATABASE_URL)
	@test -n "$$WEAKLINK_TEST_DATABASE_URL" || { \
	  echo "set WEAKLINK_TEST_DATABASE_URL=postgres://... (a database in which the tests may create schemas)" >&2; exit 2; }
	go test ./...
	go test -v -run PostgreSQLConfigured ./internal/store

ci: ## run what CI runs: PostgreSQL, gofmt, vet, race tests on both databases, OpenAPI lint
	bash .ci/run

lint: ## gofmt check and go vet
	@out="$$(gofmt -l $(GO_FILES))"; if [ -n "$$out" ]; then echo "gofmt would change:" >&2; echo "$$out" >&2; exit 1; fi
	go vet ./...

lint-openapi: node_modules ## lint openapi.yaml with Spectral (npm script lint:openapi)
	npm run --silent lint:openapi

docs-assets: node_modules ## refresh the API reference's Swagger UI files from the pinned npm package
	bash .ci/docs-assets

clients: node_modules ## check the generated Go and TypeScript clients and the Prism scenario against the running service
	bash .ci/clients/run

node_modules: package.json package-lock.json
	SCARF_ANALYTICS=false npm ci --no-audit --no-fund
	@touch node_modules

load: ## run the load harness (1 to 1.5 hours; SQLite and PostgreSQL) and write its tables into docs/performance.md
	LOAD_COMMAND="make load$(if $(LOAD_ARGS), LOAD_ARGS='$(LOAD_ARGS)')" bash .ci/load/run --profile --doc docs/performance.md $(LOAD_ARGS)

screenshots: ## regenerate docs/report-example.png, reference.png, portal-form.png and portal-submitted.png from the demo in headless Chromium
	bash .ci/browser/run --out docs

build: ## build the static binary ./weaklink
	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o weaklink .

docker: ## build the container image with docker compose
	WEAKLINK_VERSION=$(VERSION) docker compose build
