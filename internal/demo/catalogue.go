package demo

// What the generated organisation is: a membership organisation (a political party,
// say) with members, supporters, donors, volunteers, staff and the customers of its
// shop, and the categories of their data its suppliers hold.

// population is how many people each kind of data subject numbers; a holding's
// record count is a share of the people it is about.
var population = map[string]int64{
	"members": 580_000, "supporters": 2_400_000, "donors": 310_000, "volunteers": 45_000, "staff": 3_200,
	"customers": 120_000, "event attendees": 95_000, "job applicants": 12_000,
}

// categoryProfile is how often suppliers hold a category, and about whom.
type categoryProfile struct {
	key      string
	weight   float64
	subjects [][]string
}

// profiles are the shipped catalogue's categories (the last nine special category or
// criminal offence data), common ones first.
var profiles = []categoryProfile{
	{"contact_details", 10, [][]string{{"members"}, {"supporters"}, {"members", "supporters"}, {"donors"}, {"volunteers"},
		{"staff"}, {"customers"}, {"event attendees"}, {"members", "volunteers"}}},
	{"online_identifiers", 4.5, [][]string{{"supporters"}, {"members", "supporters"}, {"customers"}, {"members"}}},
	{"financial", 4, [][]string{{"members"}, {"donors"}, {"customers"}, {"staff"}, {"members", "donors"}}},
	{"political_opinions", 3.5, [][]string{{"members"}, {"members", "supporters"}, {"supporters"}, {"donors"}, {"volunteers"}}},
	{"location", 3, [][]string{{"members"}, {"supporters"}, {"volunteers"}, {"members", "supporters"}}},
	{"communications_content", 3, [][]string{{"members"}, {"supporters"}, {"members", "supporters"}, {"staff"}}},
	{"authentication_credentials", 2.5, [][]string{{"members"}, {"staff"}, {"customers"}}},
	{"employment", 2, [][]string{{"staff"}, {"job applicants"}, {"staff", "job applicants"}, {"volunteers"}}},
	{"identity_documents", 1.2, [][]string{{"staff"}, {"job applicants"}, {"volunteers"}}},
	{"health", 1.2, [][]string{{"staff"}, {"event attendees"}, {"members"}, {"volunteers"}}},
	{"children", 0.4, [][]string{{"members"}, {"event attendees"}}},
	{"racial_ethnic_origin", 0.6, [][]string{{"staff", "job applicants"}, {"members"}}},
	{"trade_union_membership", 0.5, [][]string{{"staff"}, {"members"}}},
	{"religious_beliefs", 0.4, [][]string{{"staff"}, {"members"}}},
	{"sex_life_orientation", 0.3, [][]string{{"staff"}, {"members"}}},
	{"biometric", 0.3, [][]string{{"staff"}}},
	{"genetic", 0.1, [][]string{{"staff"}}},
	{"criminal_offences", 0.5, [][]string{{"volunteers"}, {"staff", "volunteers"}, {"job applicants"}}},
}

var retentionPeriods = []string{"P1Y", "P2Y", "P3Y", "P6Y", "P7Y", "P18M"}

var incidentSummaries = []struct{ summary, description string }{
	{"ransomware encrypted file servers", "Systems holding our data were rendered inaccessible by ransomware; the supplier is restoring from backups."},
	{"bulk email sent to the wrong list", "A campaign email went to a list of another client, exposing recipients' addresses."},
	{"support agent's credentials phished", "An attacker used a phished support login to browse customer records."},
	{"misconfigured storage bucket", "An export of our records was readable from the internet for several days."},
	{"unencrypted laptop stolen", "A laptop holding a working copy of our data was stolen from a car."},
	{"sub-processor reported a breach", "A sub-processor told the supplier that an attacker reached its hosting environment."},
	{"database exposed by a faulty release", "A release disabled access controls on a reporting database for a few hours."},
}

var rejectionComments = []string{
	"Restore testing evidence is missing; resubmit with the latest test report.",
	"Multi-factor authentication is claimed for all remote access but the evidence covers only the VPN.",
	"The incident response plan attached is a draft; send the approved version.",
}
