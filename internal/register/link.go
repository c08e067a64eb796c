package register

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/weaklink/weaklink/internal/store"
)

// ResourceLink is the audit resource type of sub-processor links.
const ResourceLink = "subprocessor_link"

// LinkFields are what a client writes to link a supplier to its sub-processor.
type LinkFields struct {
	SubprocessorID string   `json:"subprocessor_id"`
	Categories     []string `json:"categories"`
	AuthorisedAt   *string  `json:"authorised_at"`
	// RecordCount caps the records passed on, for each category named separately
	// (≥ 0); nil passes on all of the supplier's records of those categories.
	RecordCount *int64 `json:"record_count"`
}

// Link says a supplier passes some categories of data to a sub-processor (a fourth party).
type Link struct {
	LinkFields
	ID                   string
	SupplierID           string
	SupplierName         string
	SubprocessorName     string
	SubprocessorArchived bool
	Version              int
	CreatedAt            time.Time
	UpdatedAt            time.Time
}

// ListLinks pages the sub-processors a supplier passes data to, by name.
func (s *Service) ListLinks(ctx context.Context, supplierID string, since *time.Time, cur string, limit int) (Page[Link], error) {
	var out []Link
	err := s.listOfSupplier(ctx, supplierID, func(tx *store.Tx) error {
		rows, cats, err := tx.LinksOfSupplier(supplierID)
		if err != nil {
			return err
		}
		for _, r := range rows {
			l := linkFromRow(r.LinkRow, cats[r.ID])
			l.SupplierName, l.SubprocessorName, l.SubprocessorArchived = r.SupplierName, r.SubprocessorName, r.SubprocessorArchived
			out = append(out, l)
		}
		return nil
	})
	if err != nil {
		return Page[Link]{}, err
	}
	out = changedSince(out, since, func(l Link) time.Time { return l.UpdatedAt })
	return PageSlice(out, "links:"+supplierID+updatedSinceKind(since), cur, limit, func(l Link) string {
		return strings.ToLower(l.SubprocessorName) + "\x00" + l.SubprocessorID
	})
}

// CreateLink records that a live supplier passes the named categories to another
// live supplier. Chains may be deep and may loop; traversals handle both.
func (s *Service) CreateLink(ctx context.Context, a Actor, supplierID string, f LinkFields) (Link, error) {
	if !ValidID(supplierID) {
		return Link{}, supplierNotFound()
	}
	now := s.now()
	var fe fieldErrors
	switch {
	case f.SubprocessorID == "":
		fe.add("subprocessor_id", "is required")
	case !ValidID(f.SubprocessorID):
		fe.add("subprocessor_id", "must be a supplier id (a UUID)")
	case f.SubprocessorID == supplierID:
		fe.add("subprocessor_id", "must be another supplier than the one passing the data")
	}
	validateLinkFields(&fe, &f, now)
	var out Link
	err := s.write(ctx, func(tx *store.Tx) error {
		from, err := supplierRow(tx, supplierID)
		if err != nil {
			return err
		}
		if err := s.checkCategories(tx, &fe, "categories", f.Categories); err != nil {
			return err
		}
		var to store.SupplierRow
		if ValidID(f.SubprocessorID) && f.SubprocessorID != supplierID {
			to, err = tx.GetSupplier(f.SubprocessorID)
			if errors.Is(err, store.ErrNotFound) {
				fe.add("subprocessor_id", "is not a supplier in the register; create the sub-processor as a supplier first")
			} else if err != nil {
				return err
			}
		}
		if err := fe.err(); err != nil {
			return err
		}
		if from.ArchivedAt != nil || to.ArchivedAt != nil {
			return Errorf(CodeConflict, "Archived suppliers neither hold nor pass on data; both ends of a link must be live.")
		}
		out = Link{LinkFields: f, ID: s.newID(), SupplierID: supplierID, SupplierName: from.Name,
			SubprocessorName: to.Name, Version: 1, CreatedAt: now, UpdatedAt: now}
		row := store.LinkRow{ID: out.ID, SupplierID: supplierID, SubprocessorID: f.SubprocessorID,
			AuthorisedAt: f.AuthorisedAt, RecordCount: f.RecordCount, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := tx.InsertLink(&row, f.Categories); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return &Error{Code: CodeConflict, Message: "This supplier already passes data to that sub-processor; change the link with PATCH instead.",
					Fields: []FieldError{{Field: "subprocessor_id", Message: "is already linked"}}}
			}
			return err
		}
		if err := s.maintainRisk(tx, riskChange{links: [][2]string{{supplierID, f.SubprocessorID}}}); err != nil {
			return err
		}
		changes := Diff(nil, Snapshot(f))
		changes["supplier_id"] = Change{After: supplierID}
		return s.record(tx, a, ActionCreate, ResourceLink, out.ID, changes, now)
	})
	return out, err
}

// DeleteLink removes the link from a supplier to a sub-processor.
func (s *Service) DeleteLink(ctx context.Context, a Actor, supplierID, subprocessorID string, ifMatch func(int) bool) error {
	notFound := linkNotFound()
	if !ValidID(supplierID) || !ValidID(subprocessorID) {
		return notFound
	}
	return s.write(ctx, func(tx *store.Tx) error {
		r, cats, err := tx.GetLink(supplierID, subprocessorID)
		if errors.Is(err, store.ErrNotFound) {
			return notFound
		}
		if err != nil {
			return err
		}
		if ifMatch != nil && !ifMatch(r.Version) {
			return stale("sub-processor link", r.Version)
		}
		if err := tx.DeleteLink(r.ID); err != nil {
			return err
		}
		if err := s.maintainRisk(tx, riskChange{links: [][2]string{{supplierID, subprocessorID}}}); err != nil {
			return err
		}
		l := linkFromRow(r, cats)
		changes := Diff(Snapshot(l.LinkFields), nil)
		changes["supplier_id"] = Change{Before: supplierID}
		return s.record(tx, a, ActionDelete, ResourceLink, r.ID, changes, s.now())
	})
}

func linkFromRow(r store.LinkRow, cats []string) Link {
	if cats == nil {
		cats = []string{}
	}
	return Link{LinkFields: LinkFields{SubprocessorID: r.SubprocessorID, Categories: cats, AuthorisedAt: r.AuthorisedAt,
		RecordCount: r.RecordCount},
		ID: r.ID, SupplierID: r.SupplierID, Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// validateLinkFields normalises the categories and checks the fields a create and a
// patch share: categories (at least one key), authorised_at (a date, not after
// today) and record_count (≥ 0). It does not check that the categories exist.
func validateLinkFields(fe *fieldErrors, f *LinkFields, now time.Time) {
	f.Categories = normalizeSet(f.Categories, func(s string) string { return s })
	if len(f.Categories) == 0 {
		fe.add("categories", "is required: name the categories of data passed on")
	}
	for i, c := range f.Categories {
		if !keyPattern.MatchString(c) {
			fe.add("categories["+itoa(i)+"]", "must be a data category key such as contact_details")
		}
	}
	if checkDate(fe, "authorised_at", f.AuthorisedAt) && *f.AuthorisedAt > now.Format(time.DateOnly) {
		fe.add("authorised_at", "must not be in the future")
	}
	if f.RecordCount != nil && *f.RecordCount < 0 {
		fe.add("record_count", "must be 0 or more")
	}
}

// PatchLink changes the link from a supplier to a sub-processor: apply turns the
// current link into the new fields (the HTTP layer's merge patch), under the write
// lock. Only authorised_at, categories and record_count can change (subprocessor_id
// names the link: 400 when changed). Errors: CodeNotFound (no such link),
// CodePreconditionFailed (ifMatch refuses the version), CodeConflict (an end is
// archived), CodeInvalid (field errors). No change: the link as it is, no new version.
func (s *Service) PatchLink(ctx context.Context, a Actor, supplierID, subprocessorID string, ifMatch func(int) bool,
	apply func(Link) (LinkFields, error)) (Link, error) {
	if !ValidID(supplierID) || !ValidID(subprocessorID) {
		return Link{}, linkNotFound()
	}
	load := func(tx *store.Tx) (Link, error) {
		var cats []string
		r, err := loadForChange(tx, func() (store.LinkRow, error) {
			r, c, err := tx.GetLink(supplierID, subprocessorID)
			cats = c
			return r, err
		}, ifMatch, changeable[store.LinkRow]{what: "sub-processor link", notFound: linkNotFound,
			version: func(r store.LinkRow) int { return r.Version },
			archived: func(tx *store.Tx, r store.LinkRow) (bool, error) {
				from, err := tx.GetSupplier(r.SupplierID)
				if err != nil {
					return false, err
				}
				to, err := tx.GetSupplier(r.SubprocessorID)
				return from.ArchivedAt != nil || to.ArchivedAt != nil, err
			},
			archivedMessage: "Archived suppliers neither hold nor pass on data; a link with an archived end can no longer be changed."})
		if err != nil {
			return Link{}, err
		}
		l := linkFromRow(r, cats)
		from, err := tx.GetSupplier(r.SupplierID)
		if err != nil {
			return Link{}, err
		}
		to, err := tx.GetSupplier(r.SubprocessorID)
		if err != nil {
			return Link{}, err
		}
		l.SupplierName, l.SubprocessorName = from.Name, to.Name
		return l, nil
	}
	return patch(ctx, s, load, apply, func(tx *store.Tx, cur Link, f LinkFields, now time.Time) (Link, error) {
		var fe fieldErrors
		validateLinkFields(&fe, &f, now)
		if f.SubprocessorID != cur.SubprocessorID {
			fe.add("subprocessor_id", "cannot be changed; it names the link")
		}
		if err := s.checkCategories(tx, &fe, "categories", f.Categories); err != nil {
			return cur, err
		}
		if err := fe.err(); err != nil {
			return cur, err
		}
		changes := Diff(Snapshot(cur.LinkFields), Snapshot(f))
		if len(changes) == 0 {
			return cur, nil
		}
		out := cur
		out.LinkFields, out.Version, out.UpdatedAt = f, cur.Version+1, now
		row := store.LinkRow{ID: cur.ID, SupplierID: cur.SupplierID, SubprocessorID: cur.SubprocessorID,
			AuthorisedAt: f.AuthorisedAt, RecordCount: f.RecordCount, Version: out.Version, CreatedAt: cur.CreatedAt, UpdatedAt: now}
		if err := tx.UpdateLink(&row, f.Categories, cur.Version); err != nil {
			return cur, staleOr(err, "sub-processor link")
		}
		if err := s.maintainRisk(tx, riskChange{links: [][2]string{{cur.SupplierID, cur.SubprocessorID}}}); err != nil {
			return cur, err
		}
		return out, s.record(tx, a, ActionUpdate, ResourceLink, cur.ID, changes, now)
	})
}

func linkNotFound() error {
	return Errorf(CodeNotFound, "This supplier has no link to that sub-processor.")
}
