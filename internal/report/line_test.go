package report

import (
	"encoding/json"
	"testing"
)

// A supplier line stored before next_reassessment was renamed keeps its date; the
// renamed field reads as itself; an empty legacy date is no date.
func TestSupplierLineReadsLegacyNextReassessment(t *testing.T) {
	for _, c := range []struct {
		doc  string
		want string
	}{
		{`{"name":"A","next_reassessment":"2027-04-14"}`, "2027-04-14"},
		{`{"name":"A","next_reassessment":""}`, ""},
		{`{"name":"A","next_reassessment_due":"2027-05-01"}`, "2027-05-01"},
		{`{"name":"A","next_reassessment_due":null}`, ""},
	} {
		var l SupplierLine
		if err := json.Unmarshal([]byte(c.doc), &l); err != nil {
			t.Fatal(err)
		}
		if l.Name != "A" || l.nextDue() != c.want || (c.want == "") != (l.NextReassessment == nil) {
			t.Errorf("%s: name %q, next due %v", c.doc, l.Name, l.NextReassessment)
		}
	}
	out, _ := json.Marshal(SupplierLine{Name: "A"})
	var m map[string]any
	_ = json.Unmarshal(out, &m)
	if v, ok := m["next_reassessment_due"]; !ok || v != nil {
		t.Errorf("no date is not written as null: %s", out)
	}
	if _, ok := m["next_reassessment"]; ok {
		t.Errorf("the old name is still written: %s", out)
	}
}
