package register

import (
	"encoding/json"
	"time"

	"github.com/weaklink/weaklink/internal/store"
)

// auditBatch chains many audit events in memory, starting from the head read in
// the caller's write transaction, and appends them in multi-row inserts with one
// move of the head: a bulk use case records exactly the events that one-at-a-time
// use cases would, in the same order, without a query per event.
type auditBatch struct {
	s    *Service
	a    Actor
	head store.AuditHeadRow
	rows []store.AuditEventRow
}

// add chains one event after the previous one (or the head).
func (b *auditBatch) add(action, resType, resID string, changes map[string]Change, at time.Time) {
	raw, _ := json.Marshal(changes) // maps of plain values always marshal
	seq, prev := b.head.Seq+1, b.head.Hash
	if n := len(b.rows); n > 0 {
		seq, prev = b.rows[n-1].Seq+1, b.rows[n-1].Hash
	}
	row := store.AuditEventRow{
		Seq: seq, ID: b.s.newID(), OccurredAt: at, ActorName: b.a.Name, Action: action,
		ResourceType: resType, ResourceID: resID, Changes: string(raw),
		RequestID: b.a.RequestID, ClientIP: b.a.ClientIP, PrevHash: prev,
	}
	if b.a.KeyID != "" {
		row.ActorKeyID = &b.a.KeyID
	}
	b.s.seal(&row)
	b.rows = append(b.rows, row)
}

// flush appends the events and moves the head to the last of them.
func (b *auditBatch) flush(tx *store.Tx) error {
	return tx.AppendAuditBatch(b.rows)
}
