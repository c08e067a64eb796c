package scoring

import (
	"sort"
	"strings"
)

// People is how many people a set of holdings is about, as a range (PRODUCT.md §2,
// "People and records"): records add up across categories, people do not, and the
// register does not know whether two holdings about different data subjects are
// about the same persons.
type People struct {
	AtLeast int64 // the largest single record count among the holdings
	AtMost  int64 // over each distinct set of data subjects, the largest record count naming that set, summed
}

// PeopleHolding is what the people range needs of one holding (own or received):
// its data subjects and its record count (one record per person).
type PeopleHolding struct {
	DataSubjects []string
	Records      int64
}

// PeopleOf computes the people range of holdings. Holdings naming the same set of
// data subjects (compared as sets: order, case and repeated spaces ignored) are
// taken to be about the same people, so only the largest counts; different sets are
// taken to be about different people, so they add up. Negative counts read as 0;
// sums saturate instead of overflowing. No holdings → {0, 0}.
//
// Example: 580,000 members' contact details and 580,000 members' political
// opinions are 580,000 people (at least and at most); add 20,000 supporters'
// contact details and it is at least 580,000, at most 600,000.
func PeopleOf(holdings []PeopleHolding) People {
	largest := map[string]int64{}
	var out People
	for _, h := range holdings {
		n := max(0, h.Records)
		out.AtLeast = max(out.AtLeast, n)
		key := subjectSetKey(h.DataSubjects)
		largest[key] = max(largest[key], n)
	}
	for _, n := range largest {
		out.AtMost = satAdd(out.AtMost, n)
	}
	return out
}

// subjectSetKey names a set of data subjects independently of order, case and
// spacing: "Members", " members" and "members" are one subject.
func subjectSetKey(subjects []string) string {
	set := make([]string, 0, len(subjects))
	seen := map[string]bool{}
	for _, s := range subjects {
		s = strings.ToLower(strings.Join(strings.Fields(s), " "))
		if s != "" && !seen[s] {
			seen[s] = true
			set = append(set, s)
		}
	}
	sort.Strings(set)
	return strings.Join(set, "\x00")
}
