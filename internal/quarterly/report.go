// Package quarterly assembles, stores and renders the quarterly risk report: an
// immutable snapshot of the register read in one transaction, with the changes since
// the previous stored quarter. It sits on top of the register: suppliers, their
// risk and flags come only from the portfolio read model (register.Portfolio); the
// quarter's own events (assessments submitted, incidents, the audit head) and the
// stored reports it reads from the store in the same transaction; what it does is
// audited through register.RecordAudit. The register never imports it. The snapshot
// type and its renderers are internal/report's.
package quarterly

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/report"
	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/store"
)

// topWeakLinks is how many weakest links a report lists.
const topWeakLinks = 10

var quarterPattern = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)

// Service runs the quarterly report's use cases. Generation reads the snapshot in
// one read transaction and stores it in one write transaction; rendering only reads
// (RenderReport), and the download is recorded afterwards (RecordReportDownload).
type Service struct {
	reg *register.Service
	st  *store.Store
}

// New returns the report service over the register and the store it runs on.
func New(reg *register.Service, st *store.Store) *Service { return &Service{reg: reg, st: st} }

// Report is a stored quarterly report.
type Report struct {
	Snapshot        report.Snapshot
	GeneratedBy     string // API key id; "" from the command line
	RendererVersion string
	Hashes          map[string]string // format → SHA-256 of the rendering
	Version         int
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// ReportSummary is a stored report without its snapshot.
type ReportSummary struct {
	ID, Quarter      string
	Revision         int
	AsOf             time.Time
	RendererVersion  string
	Hashes           map[string]string
	FlaggedSuppliers int
	Mislabelled      bool // as_of more than 31 days after the quarter's end: its figures are not the quarter's
	GeneratedBy      string
	Version          int
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Bounds returns the first moment of a quarter named like 2026-Q4 and of the next,
// in UTC, and whether the name is a quarter of the years 2000 to 2999.
func Bounds(q string) (time.Time, time.Time, bool) {
	m := quarterPattern.FindStringSubmatch(q)
	if m == nil {
		return time.Time{}, time.Time{}, false
	}
	year, _ := strconv.Atoi(m[1])
	n, _ := strconv.Atoi(m[2])
	start := time.Date(year, time.Month(3*(n-1)+1), 1, 0, 0, 0, 0, time.UTC)
	return start, start.AddDate(0, 3, 0), year >= 2000 && year <= 2999
}

// QuarterOf names the calendar quarter (UTC) a time falls in, e.g. 2026-Q4.
func QuarterOf(t time.Time) string {
	t = t.UTC()
	return fmt.Sprintf("%d-Q%d", t.Year(), (int(t.Month())-1)/3+1)
}

// GenerateReport stores the report of a quarter, or returns the stored one (created
// false) unless regenerate asks for a new revision beside it. The snapshot is read in
// one consistent transaction, so concurrent edits never give a half-old, half-new report.
func (s *Service) GenerateReport(ctx context.Context, a register.Actor, quarter string, regenerate bool) (Report, bool, error) {
	if quarter == "" {
		quarter = QuarterOf(s.reg.Now())
	}
	start, end, ok := Bounds(quarter)
	if !ok {
		return Report{}, false, register.Invalid(register.FieldError{Field: "quarter", Message: "must be a calendar quarter such as 2026-Q4"})
	}
	// Figures never built, or built under other settings, are computed first.
	if _, err := s.reg.BuildRiskIfNeeded(ctx); err != nil {
		return Report{}, false, err
	}
	now := s.reg.Now()
	// The current quarter describes the register as it stands; a past one, as it
	// stood at the quarter's end, from the risk history.
	var asOf *time.Time
	if quarter != QuarterOf(now) {
		t := end.Add(-time.Microsecond)
		asOf = &t
	} else if _, err := s.reg.RefreshRisk(ctx); err != nil {
		return Report{}, false, err
	}
	var (
		snap     report.Snapshot
		existing string
	)
	err := s.st.Read(ctx, func(tx *store.Tx) error {
		sums, err := tx.ReportSummaries()
		if err != nil {
			return err
		}
		revision := 1
		for _, r := range sums {
			if r.Quarter == quarter {
				existing, revision = r.ID, max(revision, r.Revision+1)
			}
		}
		if existing != "" && !regenerate {
			return nil
		}
		existing = ""
		if err := checkQuarterBegun(quarter, now); err != nil {
			return err
		}
		snap, err = s.assemble(tx, quarter, revision, start, end, now, asOf, a, sums)
		return err
	})
	if err != nil {
		return Report{}, false, err
	}
	if existing != "" {
		r, err := s.GetReport(ctx, existing)
		return r, false, err
	}
	hashes := map[string]string{}
	for _, f := range report.Formats {
		raw, err := report.Render(snap, f)
		if err != nil {
			return Report{}, false, fmt.Errorf("render report %s: %w", f, err)
		}
		sum := sha256.Sum256(raw)
		hashes[f] = hex.EncodeToString(sum[:])
	}
	body, _ := json.Marshal(snap)
	hs, _ := json.Marshal(hashes)
	row := store.ReportRow{ID: snap.ID, Quarter: quarter, Revision: snap.Revision, AsOf: snap.AsOf, Snapshot: string(body),
		RendererVersion: report.RendererVersion, Hashes: string(hs), FlaggedSuppliers: snap.Summary.FlaggedSuppliers,
		Version: 1, CreatedAt: now, UpdatedAt: now}
	if a.KeyID != "" {
		row.GeneratedBy = &a.KeyID
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.InsertReport(&row); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return register.Errorf(register.CodeConflict, "Another report of %s was generated at the same moment; list the reports and use that one.", quarter)
			}
			return err
		}
		return s.reg.RecordAudit(tx, a, register.ActionCreate, register.ResourceReport, row.ID, map[string]register.Change{
			"quarter": {After: quarter}, "revision": {After: snap.Revision}, "audit_head_seq": {After: snap.AuditHeadSeq}}, now)
	})
	if err != nil {
		return Report{}, false, err
	}
	return Report{Snapshot: snap, GeneratedBy: a.KeyID, RendererVersion: report.RendererVersion, Hashes: hashes, Version: 1,
		CreatedAt: now, UpdatedAt: now}, true, nil
}

// GetReport loads a stored report.
func (s *Service) GetReport(ctx context.Context, id string) (Report, error) {
	if !register.ValidID(id) {
		return Report{}, reportNotFound()
	}
	r, err := s.st.NoTx(ctx).GetReport(id)
	if errors.Is(err, store.ErrNotFound) {
		return Report{}, reportNotFound()
	}
	if err != nil {
		return Report{}, err
	}
	out := Report{RendererVersion: r.RendererVersion, Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.GeneratedBy != nil {
		out.GeneratedBy = *r.GeneratedBy
	}
	if err := json.Unmarshal([]byte(r.Snapshot), &out.Snapshot); err != nil {
		return Report{}, fmt.Errorf("report %s: %w", id, err)
	}
	deriveTiming(&out.Snapshot)
	_ = json.Unmarshal([]byte(r.Hashes), &out.Hashes)
	return out, nil
}

// Rendering is a stored report rendered in one format, ready to send or write.
type Rendering struct {
	Report      Report
	Format      string // json, html, pdf, xlsx or csv
	Body        []byte
	FileName    string // such as weaklink-risk-report-2026-Q4-r1.pdf
	ContentType string // the media type to send it with
}

// RenderReport renders a stored report in one format (report.Formats; anything else
// is CodeInvalid; an unknown id is CodeNotFound). It only reads: the caller delivers
// the rendering (answers the request, writes the file) and then calls
// RecordReportDownload, so no write transaction is held while a PDF is drawn and a
// rendering that failed is never recorded as downloaded.
func (s *Service) RenderReport(ctx context.Context, id, format string) (Rendering, error) {
	if !slices.Contains(report.Formats, format) {
		return Rendering{}, register.Invalid(register.FieldError{Field: "format", Message: "must be one of " + strings.Join(report.Formats, ", ")})
	}
	r, err := s.GetReport(ctx, id)
	if err != nil {
		return Rendering{}, err
	}
	raw, err := report.Render(r.Snapshot, format)
	if err != nil {
		return Rendering{}, fmt.Errorf("render report %s: %w", format, err)
	}
	return Rendering{Report: r, Format: format, Body: raw, FileName: report.FileName(r.Snapshot, format),
		ContentType: report.ContentType(format)}, nil
}

// RecordReportDownload records in the audit trail, in one short write transaction,
// that the stored report id was delivered in format to the actor.
func (s *Service) RecordReportDownload(ctx context.Context, a register.Actor, id, format string) error {
	return s.st.Write(ctx, func(tx *store.Tx) error {
		return s.reg.RecordAudit(tx, a, register.ActionDownload, register.ResourceReport, id,
			map[string]register.Change{"format": {After: format}}, s.reg.Now())
	})
}

// ListReports pages stored reports, newest first, optionally of one year.
func (s *Service) ListReports(ctx context.Context, year int, since *time.Time, cur string, limit int) (register.Page[ReportSummary], error) {
	if year != 0 && (year < 2000 || year > 2999) {
		return register.Page[ReportSummary]{}, register.Invalid(register.FieldError{Field: "year", Message: "must be a year such as 2026"})
	}
	rows, err := s.st.NoTx(ctx).ReportSummaries()
	if err != nil {
		return register.Page[ReportSummary]{}, err
	}
	var out []ReportSummary
	for _, r := range rows {
		if year != 0 && !strings.HasPrefix(r.Quarter, strconv.Itoa(year)+"-") {
			continue
		}
		sum := ReportSummary{ID: r.ID, Quarter: r.Quarter, Revision: r.Revision, AsOf: r.AsOf.UTC(), RendererVersion: r.RendererVersion,
			FlaggedSuppliers: r.FlaggedSuppliers, Mislabelled: mislabelled(r.Quarter, r.AsOf), Version: r.Version,
			CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
		_ = json.Unmarshal([]byte(r.Hashes), &sum.Hashes)
		if r.GeneratedBy != nil {
			sum.GeneratedBy = *r.GeneratedBy
		}
		out = append(out, sum)
	}
	// Newest first; at the same instant, the later quarter and the higher revision
	// first (quarters are YYYY-Qn, so inverting year and n inverts their order).
	pos := func(r ReportSummary) string {
		start, _, _ := Bounds(r.Quarter)
		return fmt.Sprintf("%020d%04d%02d%06d%s", math.MaxInt64-r.AsOf.UnixNano(), 9999-start.Year(), 12-int(start.Month()),
			999999-r.Revision, r.ID)
	}
	sort.Slice(out, func(i, j int) bool { return pos(out[i]) < pos(out[j]) })
	out = register.ChangedSince(out, since, func(r ReportSummary) time.Time { return r.UpdatedAt })
	return register.PageSlice(out, "reports:"+strconv.Itoa(year)+register.UpdatedSinceKind(since), cur, limit, pos)
}

func reportNotFound() error { return register.Errorf(register.CodeNotFound, "No report has this id.") }

// assemble builds the snapshot from one read transaction: the portfolio (risk and
// flags, as stored now, or as of asOf from the risk history), the quarter's
// assessments and incidents (as they stood at asOf), and the previous stored report.
func (s *Service) assemble(tx *store.Tx, quarter string, revision int, start, end, now time.Time, asOf *time.Time,
	a register.Actor, sums []store.ReportSummary) (report.Snapshot, error) {
	p, err := s.reg.StoredPortfolio(tx, asOf)
	if err != nil {
		return report.Snapshot{}, err
	}
	// The audit trail's head as of the moment described: an auditor replays the
	// trail up to it.
	head, err := tx.AuditHead()
	if asOf != nil {
		head, err = tx.AuditHeadAt(*asOf)
	}
	if err != nil {
		return report.Snapshot{}, err
	}
	done, err := tx.AssessmentsSubmittedBetween(start, end)
	if err != nil {
		return report.Snapshot{}, err
	}
	incidents, err := tx.IncidentsBetween(start, end)
	if err != nil {
		return report.Snapshot{}, err
	}
	taken := now
	if asOf != nil {
		taken = *asOf
		done, incidents = assessmentsAsOf(done, taken), incidentsAsOf(incidents, taken)
	}
	// Changes compare with the quarter just before, never with an older one: a
	// regeneration compares with the same quarter its first generation did.
	prev, noComparison, err := previousReport(tx, quarter, sums)
	if err != nil {
		return report.Snapshot{}, err
	}
	snap := report.Snapshot{ID: s.reg.NewID(), Quarter: quarter, Revision: revision, QuarterStart: start.Format(time.DateOnly),
		QuarterEnd: end.AddDate(0, 0, -1).Format(time.DateOnly), AsOf: taken, GeneratedBy: a.Name,
		Methodology: scoring.MethodologyVersion, AuditHeadSeq: head.Seq, AuditHeadHash: head.Hash}
	buildSummaryAndLines(&snap, p)
	snap.Exposure = exposureMatrix(p)
	snap.Assessments = assessmentsSection(p, done)
	snap.Incidents = incidentLines(p, incidents)
	snap.Expiring = expiringSection(p, end)
	snap.Accepted = acceptedRisks(p)
	if prev != nil {
		snap.Changes = changesSince(*prev, snap)
	}
	snap.NoComparison = noComparison
	snap.Trend = trend(sums, snap)
	deriveTiming(&snap)
	// Empty lists are [] in every rendering, never null.
	for _, l := range []*[]report.SupplierLine{&snap.Suppliers, &snap.WeakLinks} {
		if *l == nil {
			*l = []report.SupplierLine{}
		}
	}
	if snap.Summary.ByCategory == nil {
		snap.Summary.ByCategory = []report.CategoryTotal{}
	}
	if snap.Exposure.Categories == nil {
		snap.Exposure.Categories = []report.CategoryTotal{}
	}
	return snap, nil
}
