package register

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/weaklink/weaklink/internal/store"
)

// Audit actions.
const (
	ActionCreate  = "create"
	ActionUpdate  = "update"
	ActionArchive = "archive"
	ActionRevoke  = "revoke"
	ActionDelete  = "delete"
	ActionPublish = "publish"
	ActionSubmit  = "submit"
	ActionReview  = "review"
	// ActionDownload records that a stored report was rendered for someone.
	ActionDownload = "download"
)

// Audited resource types.
const (
	ResourceSupplier = "supplier"
	ResourceAPIKey   = "api_key"
	// ResourceReport is a stored quarterly report (internal/quarterly).
	ResourceReport = "report"
	// ResourceDemo is the demo register's mark (internal/demo): its one event, with
	// an id of its own, says a database was filled with the fictional demo register.
	ResourceDemo = "demo_register"
)

// ResourceTypes and Actions are the values the audit trail's filters accept.
var (
	ResourceTypes = []string{ResourceSupplier, ResourceAPIKey, ResourceCategory, ResourceHolding, ResourceLink, ResourceIncident,
		ResourceQuestionnaire, ResourceAssessment, ResourceAcceptance, ResourceReport, ResourceDemo, ResourceInvitation, ResourceEvidence}
	Actions = []string{ActionCreate, ActionUpdate, ActionArchive, ActionRevoke, ActionDelete, ActionPublish,
		ActionSubmit, ActionReview, ActionDownload, ActionOpen}
)

// Change is one field's value before and after a mutation (nil when absent).
type Change struct {
	Before any `json:"before"`
	After  any `json:"after"`
}

// AuditEvent is one entry of the hash-chained audit trail.
type AuditEvent struct {
	Seq          int64
	ID           string
	OccurredAt   time.Time
	ActorKeyID   string
	ActorName    string
	Action       string
	ResourceType string
	ResourceID   string
	Changes      map[string]Change
	RequestID    string
	ClientIP     string
	PrevHash     string
	Hash         string
	// HashAlgorithm is how Hash was computed: HashSHA256 or HashHMACSHA256.
	HashAlgorithm string
}

// GenesisHash is the prev_hash of the first event.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// RecordAudit appends one audit event inside the caller's write transaction: the
// way packages layered on the register (quarterly reports, spreadsheet import)
// audit what they change. If it fails, the caller's transaction must fail too.
// action and resType come from the Action… and Resource… constants.
func (s *Service) RecordAudit(tx *store.Tx, a Actor, action, resType, resID string, changes map[string]Change, at time.Time) error {
	return s.record(tx, a, action, resType, resID, changes, at)
}

// record appends one audit event inside the caller's write transaction. If it fails,
// the caller's transaction fails and the change it describes is rolled back.
func (s *Service) record(tx *store.Tx, a Actor, action, resType, resID string, changes map[string]Change, at time.Time) error {
	head, err := tx.AuditHead()
	if err != nil {
		return err
	}
	raw, err := json.Marshal(changes)
	if err != nil {
		return fmt.Errorf("audit changes: %w", err)
	}
	row := store.AuditEventRow{
		Seq: head.Seq + 1, ID: s.newID(), OccurredAt: at, ActorName: a.Name, Action: action,
		ResourceType: resType, ResourceID: resID, Changes: string(raw),
		RequestID: a.RequestID, ClientIP: a.ClientIP, PrevHash: head.Hash,
	}
	if a.KeyID != "" {
		row.ActorKeyID = &a.KeyID
	}
	s.seal(&row)
	return tx.AppendAudit(&row)
}

// Diff lists the fields whose values differ between two snapshots.
func Diff(before, after map[string]any) map[string]Change {
	out := map[string]Change{}
	for k, b := range before {
		if a, ok := after[k]; !ok || !reflect.DeepEqual(a, b) {
			out[k] = Change{Before: b, After: after[k]}
		}
	}
	for k, a := range after {
		if _, ok := before[k]; !ok && a != nil {
			out[k] = Change{After: a}
		}
	}
	return out
}

// Snapshot turns a JSON-tagged value (a resource's fields) into a generic map, the
// form in which Diff compares values and the audit trail records them.
func Snapshot(v any) map[string]any {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("audit snapshot: %v", err)) // only for our own plain structs
	}
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return m
}

// AuditFilter selects audit events; every field is optional.
type AuditFilter struct {
	ResourceType string
	ResourceID   string
	ActorKeyID   string
	Action       string
	Since, Until *time.Time
	Cursor       string
	Limit        int
}

// ListAudit pages the audit trail, newest first.
func (s *Service) ListAudit(ctx context.Context, f AuditFilter) (Page[AuditEvent], error) {
	limit, err := checkLimit(f.Limit)
	if err != nil {
		return Page[AuditEvent]{}, err
	}
	var fe fieldErrors
	if f.ResourceType != "" && !oneOf(f.ResourceType, ResourceTypes) {
		fe.add("resource_type", "must be one of %s", strings.Join(ResourceTypes, ", "))
	}
	if f.Action != "" && !oneOf(f.Action, Actions) {
		fe.add("action", "must be one of %s", strings.Join(Actions, ", "))
	}
	if f.ResourceID != "" && !ValidID(f.ResourceID) {
		fe.add("resource_id", "must be a UUID")
	}
	if f.ActorKeyID != "" && !ValidID(f.ActorKeyID) {
		fe.add("actor_key_id", "must be a UUID")
	}
	if f.Since != nil && f.Until != nil && !f.Until.After(*f.Since) {
		fe.add("until", "must be after since")
	}
	if err := fe.err(); err != nil {
		return Page[AuditEvent]{}, err
	}
	q := store.AuditQuery{ResourceType: f.ResourceType, ResourceID: f.ResourceID, ActorKeyID: f.ActorKeyID,
		Action: f.Action, Since: f.Since, Until: f.Until, Limit: limit}
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor, "audit")
		if err != nil {
			return Page[AuditEvent]{}, err
		}
		var seq int64
		if _, err := fmt.Sscan(c.Value, &seq); err != nil || seq <= 0 {
			return Page[AuditEvent]{}, invalidCursor()
		}
		q.BeforeSeq = seq
	}
	var rows []store.AuditEventRow
	err = s.st.Read(ctx, func(tx *store.Tx) error {
		rows, err = tx.ListAudit(q)
		return err
	})
	if err != nil {
		return Page[AuditEvent]{}, err
	}
	return pageOf(rows, limit, auditFromRow, func(last store.AuditEventRow) cursor {
		return cursor{Kind: "audit", Value: fmt.Sprint(last.Seq)}
	}), nil
}

func auditFromRow(r store.AuditEventRow) AuditEvent {
	e := AuditEvent{Seq: r.Seq, ID: r.ID, OccurredAt: r.OccurredAt.UTC(), ActorName: r.ActorName, Action: r.Action,
		ResourceType: r.ResourceType, ResourceID: r.ResourceID, RequestID: r.RequestID, ClientIP: r.ClientIP,
		PrevHash: r.PrevHash, Hash: r.Hash, HashAlgorithm: r.HashAlgorithm, Changes: map[string]Change{}}
	if r.ActorKeyID != nil {
		e.ActorKeyID = *r.ActorKeyID
	}
	_ = json.Unmarshal([]byte(r.Changes), &e.Changes)
	return e
}
