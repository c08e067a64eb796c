package register

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/weaklink/weaklink/internal/store"
)

// ResourceCategory is the audit resource type of catalogue entries.
const ResourceCategory = "data_category"

// CategoryFields are the editable fields of a data category.
type CategoryFields struct {
	Name            string `json:"name"`
	Description     string `json:"description"`
	Sensitivity     int    `json:"sensitivity"`
	SpecialCategory bool   `json:"special_category"`
	CriminalOffence bool   `json:"criminal_offence"`
}

// Category is one entry of the personal-data catalogue.
type Category struct {
	CategoryFields
	ID        string
	Key       string
	BuiltIn   bool
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Sensitive reports whether the category is GDPR Art. 9 or Art. 10 data.
func (c Category) Sensitive() bool { return c.SpecialCategory || c.CriminalOffence }

func (f *CategoryFields) validate() fieldErrors {
	var fe fieldErrors
	f.Name, f.Description = strings.TrimSpace(f.Name), strings.TrimSpace(f.Description)
	if f.Name == "" {
		fe.add("name", "is required")
	} else if utf8.RuneCountInString(f.Name) > 100 {
		fe.add("name", "must be at most 100 characters")
	}
	if utf8.RuneCountInString(f.Description) > 2000 {
		fe.add("description", "must be at most 2000 characters")
	}
	if f.Sensitivity < 1 || f.Sensitivity > 5 {
		fe.add("sensitivity", "must be between 1 (lowest) and 5 (highest)")
	}
	return fe
}

// ListCategories pages the catalogue in key order.
func (s *Service) ListCategories(ctx context.Context, since *time.Time, cur string, limit int) (Page[Category], error) {
	rows, err := s.st.NoTx(ctx).ListCategories()
	if err != nil {
		return Page[Category]{}, err
	}
	out := make([]Category, len(rows))
	for i, r := range rows {
		out[i] = categoryFromRow(r)
	}
	out = changedSince(out, since, func(c Category) time.Time { return c.UpdatedAt })
	return PageSlice(out, "categories"+updatedSinceKind(since), cur, limit, func(c Category) string { return c.Key })
}

// GetCategory returns one category by key.
func (s *Service) GetCategory(ctx context.Context, key string) (Category, error) {
	if !keyPattern.MatchString(key) {
		return Category{}, categoryNotFound()
	}
	r, err := s.st.NoTx(ctx).GetCategory(key)
	if errors.Is(err, store.ErrNotFound) {
		return Category{}, categoryNotFound()
	}
	return categoryFromRow(r), err
}

// CreateCategory adds a category to the catalogue (admins extend the shipped one).
func (s *Service) CreateCategory(ctx context.Context, a Actor, key string, f CategoryFields) (Category, error) {
	fe := f.validate()
	if !keyPattern.MatchString(key) {
		fe = append(fieldErrors{{Field: "key", Message: "must match ^[a-z0-9_]{1,64}$"}}, fe...)
	}
	if err := fe.err(); err != nil {
		return Category{}, err
	}
	now := s.now()
	c := Category{CategoryFields: f, ID: s.newID(), Key: key, Version: 1, CreatedAt: now, UpdatedAt: now}
	row := categoryToRow(c)
	err := s.write(ctx, func(tx *store.Tx) error {
		if err := tx.InsertCategory(&row); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return &Error{Code: CodeConflict, Message: "A category with this key already exists.",
					Fields: []FieldError{{Field: "key", Message: "is already in the catalogue"}}}
			}
			return err
		}
		changes := Diff(nil, Snapshot(f))
		changes["key"] = Change{After: key}
		return s.record(tx, a, ActionCreate, ResourceCategory, c.ID, changes, now)
	})
	return c, err
}

// PatchCategory edits a category. The legal markers of the shipped categories are
// fixed: whether data is special-category is the law's call, not a setting.
func (s *Service) PatchCategory(ctx context.Context, a Actor, key string, ifMatch func(int) bool,
	apply func(Category) (CategoryFields, error)) (Category, error) {
	if !keyPattern.MatchString(key) {
		return Category{}, categoryNotFound()
	}
	load := func(tx *store.Tx) (Category, error) {
		r, err := loadForChange(tx, func() (store.CategoryRow, error) { return tx.GetCategory(key) }, ifMatch,
			changeable[store.CategoryRow]{what: "data category", notFound: categoryNotFound,
				version: func(r store.CategoryRow) int { return r.Version }})
		return categoryFromRow(r), err
	}
	return patch(ctx, s, load, apply, func(tx *store.Tx, cur Category, f CategoryFields, now time.Time) (Category, error) {
		fe := f.validate()
		if cur.BuiltIn && (f.SpecialCategory != cur.SpecialCategory || f.CriminalOffence != cur.CriminalOffence) {
			fe.add("special_category", "and criminal_offence are fixed for the shipped categories")
		}
		if err := fe.err(); err != nil {
			return cur, err
		}
		changes := Diff(Snapshot(cur.CategoryFields), Snapshot(f))
		if len(changes) == 0 {
			return cur, nil
		}
		out := cur
		out.CategoryFields, out.Version, out.UpdatedAt = f, cur.Version+1, now
		row := categoryToRow(out)
		if err := tx.UpdateCategory(&row, cur.Version); err != nil {
			return cur, staleOr(err, "data category")
		}
		if err := s.maintainRisk(tx, riskChange{all: true}); err != nil {
			return cur, err
		}
		return out, s.record(tx, a, ActionUpdate, ResourceCategory, cur.ID, changes, now)
	})
}

// DeleteCategory removes an unused, admin-added category.
func (s *Service) DeleteCategory(ctx context.Context, a Actor, key string, ifMatch func(int) bool) error {
	if !keyPattern.MatchString(key) {
		return categoryNotFound()
	}
	return s.write(ctx, func(tx *store.Tx) error {
		r, err := loadForChange(tx, func() (store.CategoryRow, error) { return tx.GetCategory(key) }, ifMatch,
			changeable[store.CategoryRow]{what: "data category", notFound: categoryNotFound,
				version: func(r store.CategoryRow) int { return r.Version }})
		if err != nil {
			return err
		}
		if r.BuiltIn {
			return Errorf(CodeConflict, "Shipped categories cannot be deleted.")
		}
		used, err := tx.CategoryInUse(key)
		if err != nil {
			return err
		}
		if used {
			return Errorf(CodeConflict, "The category is in use by data holdings or sub-processor links (including archived suppliers' history) and cannot be deleted.")
		}
		if err := tx.DeleteCategory(key); err != nil {
			return err
		}
		return s.record(tx, a, ActionDelete, ResourceCategory, r.ID, map[string]Change{"key": {Before: key}}, s.now())
	})
}

// staleOr turns a lost version race into a 412 rather than an internal error.
func staleOr(err error, what string) error {
	if errors.Is(err, store.ErrStale) {
		return Errorf(CodePreconditionFailed, "The %s changed while this request ran; fetch it again and retry.", what)
	}
	return err
}

func stale(what string, version int) error {
	return Errorf(CodePreconditionFailed, "The %s has changed since you read it (it is now at version %d); fetch it again and reapply your change.", what, version)
}

func categoryFromRow(r store.CategoryRow) Category {
	return Category{CategoryFields: CategoryFields{Name: r.Name, Description: r.Description, Sensitivity: r.Sensitivity,
		SpecialCategory: r.SpecialCategory, CriminalOffence: r.CriminalOffence},
		ID: r.ID, Key: r.Key, BuiltIn: r.BuiltIn, Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

func categoryToRow(c Category) store.CategoryRow {
	return store.CategoryRow{ID: c.ID, Key: c.Key, Name: c.Name, Description: c.Description, Sensitivity: c.Sensitivity,
		SpecialCategory: c.SpecialCategory, CriminalOffence: c.CriminalOffence, BuiltIn: c.BuiltIn,
		Version: c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}
