package api

import "github.com/weaklink/weaklink/internal/register"

// peopleJSON is how many people some data is about, as a range (PRODUCT.md §2):
// {"at_least": N, "at_most": M}, {0, 0} when there is nothing.
type peopleJSON struct {
	AtLeast int64 `json:"at_least"`
	AtMost  int64 `json:"at_most"`
}

func toPeopleJSON(p register.People) peopleJSON { return peopleJSON(p) }

// dataInCareJSON is a supplier's data in care: records (own and received, capped by
// the links) and the people they are about.
type dataInCareJSON struct {
	Records int64      `json:"records"`
	People  peopleJSON `json:"people"`
}

func toDataInCareJSON(d register.DataInCare) dataInCareJSON {
	return dataInCareJSON{Records: d.Records, People: toPeopleJSON(d.People)}
}
