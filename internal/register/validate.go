package register

import (
	"regexp"
	"time"

	"github.com/google/uuid"
)

// Validation helpers shared by the use cases. Each use case's own rules live beside
// its fields (SupplierFields.validate, HoldingFields.validate, …); these are the
// checks several of them make.

// keyPattern is the shape of catalogue keys and certification schemes.
var keyPattern = regexp.MustCompile(`^[a-z0-9_]{1,64}$`)

// ValidID reports whether id is a UUID in its canonical 36-character form, so junk
// never reaches a query.
func ValidID(id string) bool {
	_, err := uuid.Parse(id)
	return err == nil && len(id) == 36
}

// checkDate validates an optional date; it reports whether the date is present and valid.
func checkDate(fe *fieldErrors, field string, d *string) bool {
	if d == nil {
		return false
	}
	if !isDate(*d) {
		fe.add(field, "must be a date as YYYY-MM-DD")
		return false
	}
	return true
}

func isDate(s string) bool {
	t, err := time.Parse(time.DateOnly, s)
	return err == nil && t.Format(time.DateOnly) == s
}

// oneOf reports whether v is one of set.
func oneOf(v string, set []string) bool {
	for _, s := range set {
		if v == s {
			return true
		}
	}
	return false
}
