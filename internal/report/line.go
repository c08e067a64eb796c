package report

import "encoding/json"

// nextDue is the next reassessment date as the tables print it: "" when none.
func (l SupplierLine) nextDue() string {
	if l.NextReassessment == nil {
		return ""
	}
	return *l.NextReassessment
}

// NextDue is nextDue for the HTML template.
func (l SupplierLine) NextDue() string { return l.nextDue() }

// UnmarshalJSON reads a supplier line, including one stored by renderer 2026.2 or
// earlier, which named the next reassessment date `next_reassessment` ("" when none)
// where the line now has `next_reassessment_due` (null when none).
func (l *SupplierLine) UnmarshalJSON(b []byte) error {
	type plain SupplierLine
	var v struct {
		plain
		Legacy *string `json:"next_reassessment"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*l = SupplierLine(v.plain)
	if l.NextReassessment == nil && v.Legacy != nil && *v.Legacy != "" {
		l.NextReassessment = v.Legacy
	}
	return nil
}
