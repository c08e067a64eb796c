package store

// ListCategories returns the whole catalogue ordered by key (it is small: tens of rows).
func (t *Tx) ListCategories() ([]CategoryRow, error) {
	var rows []CategoryRow
	err := t.db.Order(t.collate("key")).Find(&rows).Error
	return rows, translate("list categories", err)
}

// GetCategory loads one category by key. ErrNotFound when absent.
func (t *Tx) GetCategory(key string) (CategoryRow, error) {
	var r CategoryRow
	return r, translate("get category", t.db.Where("key = ?", key).Take(&r).Error)
}

// InsertCategory adds a category to the catalogue.
func (t *Tx) InsertCategory(r *CategoryRow) error {
	return translate("insert category", t.db.Create(r).Error)
}

// UpdateCategory writes a category's editable columns if its version is still expectedVersion.
func (t *Tx) UpdateCategory(r *CategoryRow, expectedVersion int) error {
	return t.updateVersioned("update category", "key", r.Key, expectedVersion,
		[]string{"name", "description", "sensitivity", "special_category", "criminal_offence", "version", "updated_at"}, r)
}

// DeleteCategory removes a category by key.
func (t *Tx) DeleteCategory(key string) error {
	return translate("delete category", t.db.Where("key = ?", key).Delete(&CategoryRow{}).Error)
}

// CategoryInUse reports whether any holding or sub-processor link names the category,
// archived suppliers included: their history still refers to it.
func (t *Tx) CategoryInUse(key string) (bool, error) {
	var n int64
	err := t.db.Raw(`SELECT (SELECT COUNT(*) FROM data_holdings WHERE category_key = ?)
		+ (SELECT COUNT(*) FROM subprocessor_link_categories WHERE category_key = ?)`, key, key).Scan(&n).Error
	return n > 0, translate("category in use", err)
}
