package demo

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// Supplier names are an invented place and a line of business ("Wrenmere Payroll
// Ltd"), with websites and contacts under .example: clearly fictional, and unique
// because no place and line of business are given twice.

var placeStarts = []string{"Ash", "Bramble", "Cinder", "Copper", "Dove", "Elder", "Fallow", "Fern", "Gorse", "Heron",
	"Holly", "Kestrel", "Larch", "Linnet", "Marram", "Moss", "Nettle", "Oak", "Otter", "Pebble", "Quill", "Rowan",
	"Rush", "Sedge", "Sorrel", "Swallow", "Tansy", "Teasel", "Thistle", "Vetch", "Willow", "Wren", "Yarrow", "Alder",
	"Birch", "Clover", "Dunlin", "Egret", "Finch", "Gannet"}

var placeEnds = []string{"combe", "mere", "ford", "wick", "stead", "holme", "thwaite", "by", "hurst", "field", "moor",
	"ridge", "well", "brook", "haven", "ley", "dale", "gate", "bridge", "cote"}

var companyForms = []string{"Ltd", "Ltd", "Ltd", "Limited", "LLP", "plc", "Group", "& Co"}

// business is a line of business: the name's second part, the supplier's services
// and the categories of data such a supplier usually holds (core).
type business struct {
	name, services string
	core           []string
}

// directBusinesses serve the organisation itself; they hold its data directly.
var directBusinesses = []business{
	{"Mail", "bulk email and newsletters", []string{"contact_details", "online_identifiers", "political_opinions", "communications_content"}},
	{"Print", "printing and posting of leaflets and letters", []string{"contact_details", "political_opinions", "location"}},
	{"Payroll", "payroll and pensions administration", []string{"employment", "financial", "contact_details", "identity_documents", "trade_union_membership", "health"}},
	{"Membership Systems", "membership database and renewals", []string{"contact_details", "political_opinions", "financial", "online_identifiers", "authentication_credentials", "location"}},
	{"Fundraising", "donation processing and fundraising campaigns", []string{"contact_details", "financial", "political_opinions", "communications_content"}},
	{"Events", "conference and event registration", []string{"contact_details", "health", "financial", "children"}},
	{"Telephony", "call centre and telephone canvassing", []string{"contact_details", "political_opinions", "communications_content", "location"}},
	{"Canvassing Apps", "doorstep canvassing app", []string{"location", "political_opinions", "contact_details", "online_identifiers"}},
	{"Analytics", "web and campaign analytics", []string{"online_identifiers", "location", "political_opinions"}},
	{"Recruitment", "recruitment and applicant tracking", []string{"employment", "contact_details", "identity_documents", "racial_ethnic_origin", "criminal_offences", "health"}},
	{"Travel", "staff travel booking", []string{"contact_details", "identity_documents", "financial", "health"}},
	{"Merchandise", "online shop and merchandise fulfilment", []string{"contact_details", "financial", "online_identifiers"}},
	{"Legal", "legal advice and casework", []string{"contact_details", "communications_content", "criminal_offences", "employment", "health"}},
	{"HR Services", "HR case management and occupational health", []string{"employment", "health", "contact_details", "sex_life_orientation", "religious_beliefs", "racial_ethnic_origin", "trade_union_membership"}},
	{"Surveys", "member surveys and polling", []string{"political_opinions", "contact_details", "online_identifiers", "religious_beliefs", "racial_ethnic_origin"}},
	{"Payments", "card and direct debit payments", []string{"financial", "contact_details", "authentication_credentials"}},
	{"Web Studio", "website development and hosting", []string{"online_identifiers", "authentication_credentials", "contact_details"}},
	{"IT Support", "managed IT support", []string{"authentication_credentials", "communications_content", "contact_details", "employment"}},
	{"Training", "staff and volunteer training", []string{"employment", "contact_details", "health"}},
	{"Wellbeing", "employee assistance programme", []string{"health", "employment", "contact_details", "sex_life_orientation"}},
	{"Archives", "records storage and archiving", []string{"contact_details", "political_opinions", "financial", "employment", "communications_content"}},
	{"Translation", "translation and accessibility services", []string{"communications_content", "contact_details", "health"}},
}

// hubBusinesses are the platforms many suppliers pass data to.
var hubBusinesses = []business{
	{"Cloud", "cloud hosting platform", nil}, {"Hosting", "managed hosting", nil},
	{"Data Centres", "colocation data centres", nil}, {"Email Platform", "email delivery platform", nil},
	{"CRM Cloud", "customer relationship management platform", nil}, {"Payments Network", "payment processing network", nil},
	{"Identity", "identity and single sign-on platform", nil}, {"Messaging", "SMS and messaging gateway", nil},
}

// subBusinesses are sub-processors: fourth parties further down the chains.
var subBusinesses = []business{
	{"Backup", "offsite backup", nil},
	{"Support Desk", "outsourced support desk", []string{"contact_details", "communications_content"}},
	{"Storage", "object storage", nil}, {"Monitoring", "log monitoring", []string{"online_identifiers"}},
	{"Print Finishing", "print finishing and mailing", []string{"contact_details", "political_opinions"}},
	{"Couriers", "secure courier", []string{"contact_details"}}, {"Shredding", "secure destruction", nil},
	{"Scanning", "document scanning", []string{"identity_documents"}},
	{"Data Cleansing", "address cleansing and deduplication", []string{"contact_details", "location"}},
	{"Software Labs", "software development", nil},
	{"Call Handling", "overflow call handling", []string{"contact_details", "communications_content"}},
	{"Data Labs", "data analysis", []string{"online_identifiers", "location"}},
	{"Networks", "network services", nil}, {"Security Operations", "managed security operations", []string{"online_identifiers"}},
	{"Verification", "identity verification", []string{"identity_documents", "contact_details"}},
}

// namer hands out unique names.
type namer struct {
	rnd   *rand.Rand
	taken map[string]bool
}

// name returns a new supplier name in one of the lines of business, the line and
// the slug of its .example domain.
func (n *namer) name(lines []business) (name string, line business, slug string) {
	for attempt := 0; ; attempt++ {
		place := placeStarts[n.rnd.IntN(len(placeStarts))] + placeEnds[n.rnd.IntN(len(placeEnds))]
		line := lines[n.rnd.IntN(len(lines))]
		base := place + " " + line.name
		if attempt >= 20 { // the combinations run short in a very large register
			base += " " + strconv.Itoa(attempt-18)
		}
		if n.taken[base] {
			continue
		}
		n.taken[base] = true
		return base + " " + companyForms[n.rnd.IntN(len(companyForms))], line, slugOf(base)
	}
}

func slugOf(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '&':
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
				b.WriteByte('-')
			}
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
