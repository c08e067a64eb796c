package store

import "fmt"

// InsertLink stores a sub-processor link and the categories that flow along it.
func (t *Tx) InsertLink(r *LinkRow, categories []string) error {
	if err := t.db.Create(r).Error; err != nil {
		return translate("insert link", err)
	}
	return t.insertLinkCategories(r.ID, categories)
}

func (t *Tx) insertLinkCategories(linkID string, categories []string) error {
	if len(categories) == 0 {
		return nil
	}
	rows := make([]LinkCategoryRow, len(categories))
	for i, c := range categories {
		rows[i] = LinkCategoryRow{LinkID: linkID, CategoryKey: c}
	}
	return translate("insert link categories", t.db.Create(&rows).Error)
}

// GetLink loads the link from supplierID to subprocessorID with its categories.
func (t *Tx) GetLink(supplierID, subprocessorID string) (LinkRow, []string, error) {
	var r LinkRow
	if err := t.db.Where("supplier_id = ? AND subprocessor_id = ?", supplierID, subprocessorID).Take(&r).Error; err != nil {
		return r, nil, translate("get link", err)
	}
	var cats []string
	err := t.db.Model(&LinkCategoryRow{}).Where("link_id = ?", r.ID).Order(t.collate("category_key")).
		Pluck("category_key", &cats).Error
	return r, cats, translate("get link categories", err)
}

// UpdateLink writes a link's authorisation date and record count, and replaces its
// categories, if its version is still expectedVersion (ErrStale otherwise).
func (t *Tx) UpdateLink(r *LinkRow, categories []string, expectedVersion int) error {
	err := t.updateVersioned("update link", "id", r.ID, expectedVersion,
		[]string{"authorised_at", "record_count", "version", "updated_at"}, r)
	if err != nil {
		return err
	}
	if err := t.db.Where("link_id = ?", r.ID).Delete(&LinkCategoryRow{}).Error; err != nil {
		return translate("replace link categories", err)
	}
	return t.insertLinkCategories(r.ID, categories)
}

// DeleteLink removes a link; its categories go with it.
func (t *Tx) DeleteLink(id string) error {
	if err := t.db.Where("link_id = ?", id).Delete(&LinkCategoryRow{}).Error; err != nil {
		return translate("delete link categories", err)
	}
	return translate("delete link", t.db.Where("id = ?", id).Delete(&LinkRow{}).Error)
}

// LinkWithNames is a link with both ends' names, for lists.
type LinkWithNames struct {
	LinkRow
	SupplierName         string
	SubprocessorName     string
	SubprocessorStatus   string
	SubprocessorArchived bool
}

// LinksOfSupplier lists the links from one supplier, with their categories, in two statements.
func (t *Tx) LinksOfSupplier(supplierID string) ([]LinkWithNames, map[string][]string, error) {
	var rows []LinkWithNames
	err := t.db.Table("subprocessor_links AS l").
		Select(`l.*, a.name AS supplier_name, b.name AS subprocessor_name, b.status AS subprocessor_status,
			b.archived_at IS NOT NULL AS subprocessor_archived`).
		Joins("JOIN suppliers a ON a.id = l.supplier_id").
		Joins("JOIN suppliers b ON b.id = l.subprocessor_id").
		Where("l.supplier_id = ?", supplierID).
		Order(t.collate("b.name_key")).Order(t.collate("l.subprocessor_id")).Scan(&rows).Error
	if err != nil {
		return nil, nil, translate("list links", err)
	}
	var cats []LinkCategoryRow
	err = t.db.Table("subprocessor_link_categories AS c").Select("c.link_id, c.category_key").
		Joins("JOIN subprocessor_links l ON l.id = c.link_id").
		Where("l.supplier_id = ?", supplierID).Order(t.collate("c.category_key")).Scan(&cats).Error
	if err != nil {
		return nil, nil, translate("list link categories", err)
	}
	byLink := map[string][]string{}
	for _, c := range cats {
		byLink[c.LinkID] = append(byLink[c.LinkID], c.CategoryKey)
	}
	return rows, byLink, nil
}

// Edge is one category flowing from a live supplier to a live sub-processor.
type Edge struct {
	From, To                       string
	FromName, ToName               string
	FromNameKey, ToNameKey         string
	FromCriticality, ToCriticality string
	FromStatus, ToStatus           string
	FromCountry, ToCountry         *string
	Category                       string
	AuthorisedAt                   *string // YYYY-MM-DD; nil when the link's authorisation is not recorded
	RecordCount                    *int64  // the link's cap on the records of the category; nil: no cap
}

// LiveEdges returns every category-labelled edge between live suppliers, restricted
// to the given categories when any are given, in one statement (scanned by hand,
// like LiveHoldings). Archived suppliers neither hold nor pass on data, so edges
// touching them are left out.
func (t *Tx) LiveEdges(categories []string) ([]Edge, error) {
	return t.liveEdges(categories, nil)
}

// liveEdges returns the live edges of the given categories (none: all) from the
// given suppliers (nil: every supplier).
func (t *Tx) liveEdges(categories, from []string) ([]Edge, error) {
	q := t.db.Table("subprocessor_link_categories AS c").
		Select(`l.supplier_id, l.subprocessor_id, a.name, b.name, a.name_key, b.name_key, a.criticality, b.criticality,
			a.status, b.status, a.country, b.country, c.category_key, l.authorised_at, l.record_count`).
		Joins("JOIN subprocessor_links l ON l.id = c.link_id").
		Joins("JOIN suppliers a ON a.id = l.supplier_id AND a.archived_at IS NULL").
		Joins("JOIN suppliers b ON b.id = l.subprocessor_id AND b.archived_at IS NULL")
	if len(categories) > 0 {
		q = q.Where("c.category_key IN ?", categories)
	}
	if from != nil {
		q = q.Where("l.supplier_id IN ?", from)
	}
	rows, err := q.Rows()
	if err != nil {
		return nil, fmt.Errorf("list live edges: %w", err)
	}
	defer rows.Close()
	var edges []Edge
	for rows.Next() {
		var e Edge
		if err := rows.Scan(&e.From, &e.To, &e.FromName, &e.ToName, &e.FromNameKey, &e.ToNameKey, &e.FromCriticality,
			&e.ToCriticality, &e.FromStatus, &e.ToStatus, &e.FromCountry, &e.ToCountry, &e.Category, &e.AuthorisedAt,
			&e.RecordCount); err != nil {
			return nil, fmt.Errorf("scan live edge: %w", err)
		}
		edges = append(edges, e)
	}
	return edges, rows.Err()
}
