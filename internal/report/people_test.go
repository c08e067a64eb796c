package report

import (
	"strings"
	"testing"
)

func TestPeopleText(t *testing.T) {
	cases := []struct {
		records int64
		people  People
		want    string
	}{
		{1160000, People{580000, 580000}, "580,000"},
		{600000, People{580000, 600000}, "580,000–600,000"},
		{0, People{}, "0"},
		// A report stored before people were counted: records, no people.
		{1160000, People{}, "not recorded"},
	}
	for _, tc := range cases {
		if got := peopleOf(tc.records, tc.people); got != tc.want {
			t.Errorf("peopleOf(%d, %+v) = %q, want %q", tc.records, tc.people, got, tc.want)
		}
	}
}

// Every format shows the people range; a report stored before people were counted
// says so rather than printing 0 people behind millions of records.
func TestPeopleInEveryFormat(t *testing.T) {
	s := testSnapshot()
	for _, format := range []string{"html", "csv"} {
		raw, err := Render(s, format)
		if err != nil {
			t.Fatal(err)
		}
		text := string(raw)
		if !strings.Contains(text, "300,000–471,300") && !strings.Contains(text, "300000,300000") {
			t.Errorf("%s shows no people range", format)
		}
	}
	html, _ := Render(s, "html")
	for _, want := range []string{"300,000–471,300", "300,000–426,300", `<th class="n">People</th>`, "Effective (chain)"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("html lacks %q", want)
		}
	}
	old := testSnapshot()
	old.Summary.People = People{}
	for i := range old.Suppliers {
		old.Suppliers[i].People = People{}
	}
	html, _ = Render(old, "html")
	if !strings.Contains(string(html), "not recorded") {
		t.Error("an old report's html does not say the people were not recorded")
	}
	csv, _ := Render(old, "csv")
	if !strings.Contains(string(csv), ",600000,,,") {
		t.Errorf("an old report's csv does not leave the people empty:\n%s", csv)
	}
}
