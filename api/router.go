// Package api is the HTTP layer: one route table, handlers, request and response
// types, and middleware (request id, metrics and logs, authentication and roles,
// rate limits, body limits, problem+json errors). It knows nothing of gorm.
package api

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/weaklink/weaklink/internal/quarterly"
	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/sheetio"
)

// Config tunes the HTTP layer.
type Config struct {
	TrustedProxies []string // proxies whose X-Forwarded-For is believed; none by default
	RateLimit      float64  // requests per second per key; 0 disables
	RateBurst      int      // bucket size per key
	Spec           []byte   // openapi.yaml, served as is
	Logger         *slog.Logger
	PublicURL      string           // WEAKLINK_PUBLIC_URL: the origin of questionnaire links; "" gives relative ones
	Clock          func() time.Time // nil means time.Now
}

// Services are the use cases behind the handlers.
type Services struct {
	Auth        Authenticator
	Suppliers   SupplierService
	Categories  CategoryService
	Inventory   InventoryService
	Incidents   IncidentService
	Assessments AssessmentService
	WeakLinks   WeakLinkService
	Reports     ReportService
	APIKeys     APIKeyService
	Audit       AuditService
	Imports     ImportService
	Health      HealthChecker
	Idempotency IdempotencyService
	Invitations InvitationService
	Portal      PortalService
	Evidence    EvidenceService
}

// NewServices wires the use cases behind the handlers: the register, the quarterly
// report and the spreadsheet import and export layered on it, and the database's
// health. The command line and the tests build the HTTP layer's dependencies
// through it alone, so they cannot drift apart.
func NewServices(reg *register.Service, reports *quarterly.Service, sheets *sheetio.Service, health HealthChecker) Services {
	return Services{Auth: reg, Suppliers: reg, Categories: reg, Inventory: reg, Incidents: reg, Assessments: reg,
		WeakLinks: reg, Reports: reports, APIKeys: reg, Audit: reg, Imports: sheets, Health: health, Idempotency: reg, Invitations: reg, Portal: reg, Evidence: reg}
}

// Route is one entry of the route table: who may call it and what answers.
type Route struct {
	Method, Path string
	Role         register.Role // "" for public routes
	handler      gin.HandlerFunc
}

// secretCreates are the routes whose success carries a secret shown once: an
// idempotent replay never shows it again (idempotency.go).
var secretCreates = map[string]bool{"POST /api/v1/api-keys": true, "POST /api/v1/assessments/:id/invitations": true}

// routes is the one route table. Paths under /api/v1 need a key and at least Role.
// failures limits failed link, session and key attempts per client address (nil: no limit).
func routes(s Services, cfg Config, reg *prometheus.Registry, failures *rateLimiter) []Route {
	sup := &supplierHandlers{svc: s.Suppliers, log: cfg.Logger}
	cats := &categoryHandlers{svc: s.Categories, log: cfg.Logger}
	inv := &inventoryHandlers{svc: s.Inventory, log: cfg.Logger}
	inc := &incidentHandlers{svc: s.Incidents, log: cfg.Logger}
	asm := &assessmentHandlers{svc: s.Assessments, log: cfg.Logger, now: cfg.Clock}
	weak := &weakLinkHandlers{svc: s.WeakLinks, log: cfg.Logger, now: cfg.Clock}
	reps := &reportHandlers{svc: s.Reports, log: cfg.Logger}
	keys := &apiKeyHandlers{svc: s.APIKeys, log: cfg.Logger, now: cfg.Clock}
	audit := &auditHandlers{svc: s.Audit, log: cfg.Logger}
	imp := &importHandlers{svc: s.Imports, log: cfg.Logger, now: cfg.Clock}
	health := &healthHandlers{db: s.Health, log: cfg.Logger}
	invs := &invitationHandlers{svc: s.Invitations, log: cfg.Logger, publicURL: cfg.PublicURL}
	evid := &evidenceHandlers{svc: s.Evidence, log: cfg.Logger}
	portal := &portalHandlers{svc: s.Portal, evidence: s.Evidence, log: cfg.Logger, proxies: parseProxyNets(cfg.TrustedProxies), failures: failures}
	docs := newDocsHandler(cfg.Spec)
	const (
		viewer = register.RoleViewer
		editor = register.RoleEditor
		admin  = register.RoleAdmin
	)
	return []Route{
		{"GET", "/", "", home},
		{"GET", "/healthz", "", health.live},
		{"GET", "/readyz", "", health.ready},
		{"GET", "/metrics", "", gin.WrapH(promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError}))},
		{"GET", "/openapi.yaml", "", serveSpec(cfg.Spec)},
		{"GET", "/docs", "", docs},
		{"GET", "/docs/reference", "", reference},
		{"GET", "/docs/assets/:file", "", newAssetsHandler()},

		{"GET", "/api/v1/suppliers", viewer, sup.list},
		{"POST", "/api/v1/suppliers", editor, sup.create},
		{"GET", "/api/v1/suppliers/:id", viewer, sup.get},
		{"PATCH", "/api/v1/suppliers/:id", editor, sup.patch},
		{"DELETE", "/api/v1/suppliers/:id", editor, sup.archive},
		{"GET", "/api/v1/suppliers/:id/data-flows", viewer, inv.dataFlows},

		{"GET", "/api/v1/data-categories", viewer, cats.list},
		{"POST", "/api/v1/data-categories", admin, cats.create},
		{"GET", "/api/v1/data-categories/:key", viewer, cats.get},
		{"PATCH", "/api/v1/data-categories/:key", admin, cats.patch},
		{"DELETE", "/api/v1/data-categories/:key", admin, cats.delete},

		{"GET", "/api/v1/suppliers/:id/data-holdings", viewer, inv.listHoldings},
		{"POST", "/api/v1/suppliers/:id/data-holdings", editor, inv.createHolding},
		{"GET", "/api/v1/data-holdings/:id", viewer, inv.getHolding},
		{"PATCH", "/api/v1/data-holdings/:id", editor, inv.patchHolding},
		{"DELETE", "/api/v1/data-holdings/:id", editor, inv.deleteHolding},

		{"GET", "/api/v1/suppliers/:id/subprocessors", viewer, inv.listLinks},
		{"POST", "/api/v1/suppliers/:id/subprocessors", editor, inv.createLink},
		{"PATCH", "/api/v1/suppliers/:id/subprocessors/:subprocessor_id", editor, inv.patchLink},
		{"DELETE", "/api/v1/suppliers/:id/subprocessors/:subprocessor_id", editor, inv.deleteLink},

		{"GET", "/api/v1/exposure", viewer, inv.exposure},

		{"GET", "/api/v1/questionnaires", viewer, asm.listQuestionnaires},
		{"POST", "/api/v1/questionnaires", admin, asm.createQuestionnaire},
		{"GET", "/api/v1/questionnaires/:id", viewer, asm.getQuestionnaire},
		{"PATCH", "/api/v1/questionnaires/:id", admin, asm.patchQuestionnaire},
		{"POST", "/api/v1/questionnaires/:id/publish", admin, asm.publishQuestionnaire},
		{"POST", "/api/v1/questionnaires/:id/versions", admin, asm.newQuestionnaireVersion},

		{"GET", "/api/v1/suppliers/:id/assessments", viewer, asm.listAssessments},
		{"POST", "/api/v1/suppliers/:id/assessments", editor, asm.createAssessment},
		{"GET", "/api/v1/assessments/:id", viewer, asm.getAssessment},
		{"PATCH", "/api/v1/assessments/:id", editor, asm.patchAssessment},
		{"POST", "/api/v1/assessments/:id/submit", editor, asm.submitAssessment},
		{"POST", "/api/v1/assessments/:id/review", editor, asm.reviewAssessment},
		{"GET", "/api/v1/assessments/:id/sheet", viewer, asm.getSheet},
		{"PUT", "/api/v1/assessments/:id/sheet", editor, asm.putSheet},
		{"GET", "/api/v1/suppliers/:id/risk", viewer, asm.supplierRisk},
		{"GET", "/api/v1/suppliers/:id/risk/history", viewer, asm.riskHistory},

		{"GET", "/api/v1/weak-links", viewer, weak.list},
		{"GET", "/api/v1/suppliers/:id/risk-acceptances", viewer, weak.listAcceptances},
		{"POST", "/api/v1/suppliers/:id/risk-acceptances", admin, weak.createAcceptance},
		{"DELETE", "/api/v1/risk-acceptances/:id", admin, weak.withdrawAcceptance},

		{"GET", "/api/v1/reports", viewer, reps.list},
		{"POST", "/api/v1/reports", editor, reps.generate},
		{"GET", "/api/v1/reports/:id", viewer, reps.get},

		{"GET", "/api/v1/incidents", viewer, inc.list},
		{"POST", "/api/v1/incidents", editor, inc.create},
		{"GET", "/api/v1/incidents/:id", viewer, inc.get},
		{"PATCH", "/api/v1/incidents/:id", editor, inc.patch},
		{"GET", "/api/v1/incidents/:id/impact", viewer, inc.impact},

		{"GET", "/api/v1/api-keys", admin, keys.list},
		{"POST", "/api/v1/api-keys", admin, keys.create},
		{"GET", "/api/v1/api-keys/:id", admin, keys.get},
		{"DELETE", "/api/v1/api-keys/:id", admin, keys.revoke},

		{"GET", "/api/v1/audit-events", admin, audit.list},

		{"POST", "/api/v1/assessments/:id/invitations", editor, invs.create},
		{"GET", "/api/v1/assessments/:id/invitations", viewer, invs.listOfAssessment},
		{"GET", "/api/v1/invitations", viewer, invs.list},
		{"DELETE", "/api/v1/invitations/:id", editor, invs.revoke},

		{"GET", "/api/v1/assessments/:id/evidence", viewer, evid.list},
		{"GET", "/api/v1/evidence/:id", viewer, evid.download},

		// The supplier portal: public paths, reached only through an invitation link
		// (its secret, then the session cookie it gives; portalAccess).
		{"GET", "/portal/i/:secret", "", portal.openLink},
		{"GET", "/portal/assessment", "", portal.form},
		{"POST", "/portal/assessment", "", portal.post},
		{"GET", "/portal/assessment/sheet", "", portal.sheetPage},
		{"POST", "/portal/assessment/sheet", "", portal.postSheetPage},
		{"GET", "/portal/api/assessment", "", portal.withBearer(portal.getJSON)},
		{"PATCH", "/portal/api/assessment", "", portal.withBearer(portal.patchJSON)},
		{"POST", "/portal/api/assessment/submit", "", portal.withBearer(portal.submitJSON)},
		{"GET", "/portal/api/assessment/sheet", "", portal.withBearer(portal.getSheetJSON)},
		{"PUT", "/portal/api/assessment/sheet", "", portal.withBearer(portal.putSheetJSON)},
		{"POST", "/portal/api/assessment/evidence", "", portal.withBearer(portal.uploadJSON)},
		{"GET", "/portal/api/assessment/evidence/:id", "", portal.withBearer(portal.downloadJSON)},
		{"DELETE", "/portal/api/assessment/evidence/:id", "", portal.withBearer(portal.deleteJSON)},

		{"POST", "/api/v1/imports", editor, imp.importSheet},
		{"GET", "/api/v1/imports/template", viewer, imp.template},
		{"GET", "/api/v1/exports", viewer, imp.export},
	}
}

// New builds the HTTP handler.
func New(cfg Config, s Services) (*gin.Engine, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	// Only configured proxies may set the client address recorded in audit events.
	if err := e.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		return nil, fmt.Errorf("trusted proxies: %w", err)
	}
	e.HandleMethodNotAllowed = true
	e.RedirectTrailingSlash = false
	e.RedirectFixedPath = false

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	out := &outage{log: cfg.Logger, now: cfg.Clock}
	e.Use(requestID(), observe(newMetrics(reg), cfg.Logger, out), recovery(cfg.Logger), securityHeaders, conditional)
	e.NoRoute(func(c *gin.Context) { writeProblem(c, http.StatusNotFound, "No such route.") })
	e.NoMethod(func(c *gin.Context) {
		writeProblem(c, http.StatusMethodNotAllowed, "This route does not support "+c.Request.Method+".")
	})

	var failures *rateLimiter
	if cfg.RateLimit > 0 {
		// Bad keys: a few a second per address is plenty for a typo, too few for guessing.
		failures = newRateLimiter(1, 10, cfg.Clock)
	}
	v1 := []gin.HandlerFunc{noStore, authenticate(s.Auth, failures, cfg.Logger)}
	if cfg.RateLimit > 0 {
		v1 = append(v1, newRateLimiter(cfg.RateLimit, cfg.RateBurst, cfg.Clock).middleware)
	}
	idem := &idempotency{svc: s.Idempotency, log: cfg.Logger}
	for _, r := range routes(s, cfg, reg, failures) {
		chain := []gin.HandlerFunc{r.handler}
		if r.Role != "" {
			chain = append(append([]gin.HandlerFunc{}, v1...), requireRole(r.Role))
			if r.Method == http.MethodPost {
				limit := int64(MaxJSONBody)
				if r.Path == "/api/v1/imports" {
					limit = MaxImportBody
				}
				chain = append(chain, idem.middleware(limit, secretCreates[r.Method+" "+r.Path]))
			}
			chain = append(chain, r.handler)
		}
		e.Handle(r.Method, r.Path, chain...)
		if r.Method == http.MethodGet { // every GET answers HEAD (conditional.go drops the body)
			e.Handle(http.MethodHead, r.Path, chain...)
		}
	}
	return e, nil
}

// RouteTable lists every route with its minimum role, for tests and docs.
func RouteTable() []Route {
	var out []Route
	for _, r := range routes(Services{}, Config{}, prometheus.NewRegistry(), nil) {
		out = append(out, Route{Method: r.Method, Path: r.Path, Role: r.Role})
	}
	return out
}

func serveSpec(spec []byte) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Data(http.StatusOK, "application/yaml", spec)
	}
}
