package register

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/weaklink/weaklink/internal/store"
)

// ChainAnchor is a head of the audit chain recorded outside the database (from
// `weaklink audit head` or a quarterly report): event Seq had hash Hash. Seq 0 with
// GenesisHash is the empty chain.
type ChainAnchor struct {
	Seq  int64
	Hash string // 64 lower-case hex digits
}

// String writes the anchor as ParseChainAnchor reads it: "SEQ:HASH".
func (a ChainAnchor) String() string { return strconv.FormatInt(a.Seq, 10) + ":" + a.Hash }

var anchorPattern = regexp.MustCompile(`^([0-9]{1,18}):([0-9a-fA-F]{64})$`)

// ParseChainAnchor reads "SEQ:HASH": a sequence number (0 or more, decimal) and the
// 64 hex digits of that event's hash (either case; stored in lower case). Anything
// else is an error saying what the form is.
func ParseChainAnchor(s string) (ChainAnchor, error) {
	m := anchorPattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return ChainAnchor{}, fmt.Errorf("%q is not SEQ:HASH (an event number, a colon and 64 hex digits, "+
			"as `weaklink audit head` prints)", s)
	}
	seq, _ := strconv.ParseInt(m[1], 10, 64) // at most 18 digits: always fits
	return ChainAnchor{Seq: seq, Hash: strings.ToLower(m[2])}, nil
}

// ChainReport is the outcome of walking the audit chain.
type ChainReport struct {
	Events   int64
	HeadSeq  int64
	HeadHash string
	// HMACFrom is the first event hashed with HMAC-SHA-256 (every later one is too);
	// 0 when none is.
	HMACFrom int64
}

// ChainBroken says where and how the audit chain fails verification.
type ChainBroken struct {
	Seq    int64
	Reason string
}

func (e *ChainBroken) Error() string {
	return fmt.Sprintf("audit chain broken at event %d: %s", e.Seq, e.Reason)
}

// VerifyAudit walks the whole chain in one snapshot: sequence numbers must be
// contiguous from 1, each prev_hash must equal the previous event's hash, each hash
// must match its content under the event's own algorithm (HMAC-SHA-256 needs the
// audit key: an HMAC event with no key set fails), no SHA-256 event may follow an
// HMAC one (a downgrade), and the head must name the last event. Each anchor, a head
// recorded elsewhere, must still be in the chain with its hash, which detects events
// deleted from the end together with a head moved back, and (with the key set) a
// chain whose hashes were recomputed. Any failure is a *ChainBroken.
func (s *Service) VerifyAudit(ctx context.Context, anchors ...ChainAnchor) (ChainReport, error) {
	var rep ChainReport
	err := s.st.Read(ctx, func(tx *store.Tx) error {
		head, err := tx.AuditHead()
		if err != nil {
			return err
		}
		prevSeq, prevHash := int64(0), GenesisHash
		for {
			batch, err := tx.ScanAudit(prevSeq, 1000)
			if err != nil {
				return err
			}
			for _, r := range batch {
				if err := s.checkEvent(r, prevSeq, prevHash, rep.HMACFrom); err != nil {
					return err
				}
				if r.HashAlgorithm == HashHMACSHA256 && rep.HMACFrom == 0 {
					rep.HMACFrom = r.Seq
				}
				prevSeq, prevHash = r.Seq, r.Hash
				rep.Events++
			}
			if len(batch) < 1000 {
				break
			}
		}
		if head.Seq != prevSeq || head.Hash != prevHash {
			return &ChainBroken{Seq: prevSeq + 1, Reason: fmt.Sprintf("head names event %d but the chain ends at %d (events deleted from the end)", head.Seq, prevSeq)}
		}
		rep.HeadSeq, rep.HeadHash = head.Seq, head.Hash
		return checkAnchors(tx, anchors, prevSeq)
	})
	return rep, err
}

// checkEvent checks one event against its predecessor (prevSeq, prevHash); hmacFrom
// is the first HMAC event seen so far (0: none).
func (s *Service) checkEvent(r store.AuditEventRow, prevSeq int64, prevHash string, hmacFrom int64) error {
	switch {
	case r.Seq != prevSeq+1:
		return &ChainBroken{Seq: prevSeq + 1, Reason: "event missing (deleted)"}
	case r.PrevHash != prevHash:
		return &ChainBroken{Seq: r.Seq, Reason: "does not link to the previous event"}
	case r.HashAlgorithm != HashSHA256 && r.HashAlgorithm != HashHMACSHA256:
		return &ChainBroken{Seq: r.Seq, Reason: fmt.Sprintf("unknown hash algorithm %q", r.HashAlgorithm)}
	case r.HashAlgorithm == HashSHA256 && hmacFrom > 0:
		return &ChainBroken{Seq: r.Seq, Reason: fmt.Sprintf("hashed with %s after event %d was hashed with %s "+
			"(downgraded: once the audit key is set, every event is keyed)", HashSHA256, hmacFrom, HashHMACSHA256)}
	case r.HashAlgorithm == HashHMACSHA256 && len(s.auditKey) == 0:
		return &ChainBroken{Seq: r.Seq, Reason: fmt.Sprintf("hashed with %s, and no audit key is set to check it "+
			"(set WEAKLINK_AUDIT_KEY)", HashHMACSHA256)}
	case !hashMatches(r, s.auditKey) && r.HashAlgorithm == HashHMACSHA256:
		return &ChainBroken{Seq: r.Seq, Reason: "content does not match its hash (edited, or the audit key is not the one it was written with)"}
	case !hashMatches(r, s.auditKey):
		return &ChainBroken{Seq: r.Seq, Reason: "content does not match its hash (edited)"}
	}
	return nil
}

// checkAnchors checks each recorded head against the verified chain, which ends at
// lastSeq: the event must still exist and carry the recorded hash.
func checkAnchors(tx *store.Tx, anchors []ChainAnchor, lastSeq int64) error {
	for _, a := range anchors {
		switch {
		case a.Seq > lastSeq:
			return &ChainBroken{Seq: a.Seq, Reason: fmt.Sprintf("the recorded head %d is missing: the chain ends at event %d "+
				"(events deleted from the end and the head moved back)", a.Seq, lastSeq)}
		case a.Seq == 0:
			if a.Hash != GenesisHash {
				return &ChainBroken{Seq: 0, Reason: "a recorded head at event 0 must be the genesis hash (64 zeros)"}
			}
			continue
		}
		r, err := tx.AuditEventAt(a.Seq)
		if err != nil {
			return fmt.Errorf("read audit event %d: %w", a.Seq, err)
		}
		if r.Hash != a.Hash {
			return &ChainBroken{Seq: a.Seq, Reason: fmt.Sprintf("its hash %s is not the recorded %s "+
				"(the chain was rewritten from here or earlier)", r.Hash, a.Hash)}
		}
	}
	return nil
}

// AuditHead returns the chain's head: the newest event's sequence number and hash
// (0 and GenesisHash before the first event), to be recorded outside the database
// and given back to VerifyAudit as an anchor.
func (s *Service) AuditHead(ctx context.Context) (ChainAnchor, error) {
	var h store.AuditHeadRow
	err := s.st.Read(ctx, func(tx *store.Tx) error {
		var err error
		h, err = tx.AuditHead()
		return err
	})
	if err != nil {
		return ChainAnchor{}, fmt.Errorf("read audit head: %w", err)
	}
	return ChainAnchor{Seq: h.Seq, Hash: h.Hash}, nil
}
