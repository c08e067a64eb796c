package demo

import "github.com/weaklink/weaklink/internal/register"

// The demo register: a clearly fictional membership organisation (a campaigning
// association with members, supporters, donors, volunteers, staff, event attendees
// and the customers of its shop) and the about forty suppliers that hold its
// people's data. Every name is invented and every website ends in .example
// (RFC 2606). Times are days before the load date (see load.go), so the register
// reads the same whenever it is loaded, and is the same for the same load date.

// People the organisation has, by kind of data subject.
const (
	members        = 48_000
	supporters     = 210_000
	donors         = 26_000
	volunteers     = 3_800
	staff          = 140
	eventAttendees = 9_500
	shopCustomers  = 12_000
	jobApplicants  = 900
	adoptedDaysAgo = 430 // the first suppliers were recorded 430 days before the load date
)

// The organisation's people who use weaklink, by the names of their API keys.
const (
	procurementKey = "procurement-team"
	reviewerKey    = "security-reviewer"
	dpoKey         = "data-protection-officer"
)

var demoTeam = []struct {
	name string
	role register.Role
}{{procurementKey, register.RoleEditor}, {reviewerKey, register.RoleEditor}, {dpoKey, register.RoleAdmin}}

// grade says how well a supplier answers the baseline questionnaire (see answers in
// load.go); "" is a supplier never assessed.
type grade string

const (
	strong grade = "strong"
	good   grade = "good"
	fair   grade = "fair"
	poor   grade = "poor"
	// failing: most controls missing, the supplier the story is about.
	failing grade = "failing"
)

// demoSupplier is one supplier of the demo register.
type demoSupplier struct {
	key, name, services, country, criticality string
	recorded                                  int // days before the load date
	contact                                   bool
	notifyHours                               int       // contractual breach notification window; 0: none agreed
	dpa                                       bool      // a data processing agreement was signed when recorded
	certs                                     []dcert   // certifications on record
	holdings                                  []dhold   // what it holds directly
	assessments                               []dassess // in time order
	notes                                     string
	renewal                                   bool // the contract ends next quarter
}

// dcert is a certification expiring days after the load date (negative: expired).
type dcert struct {
	scheme  string
	expires int
}

// dhold is a holding: category, who it is about, how many records, where.
type dhold struct {
	category  string
	subjects  []string
	records   int64
	locations []string
	mechanism string // transfer mechanism outside the UK/EEA; "" none
	retention string // ISO 8601 period
}

// dassess is an assessment: created days before the load date, submitted and
// reviewed days after creation (submitted < 0: still a draft; reviewed < 0: awaiting
// review), the decision, and answers changed from the grade's (question → option).
type dassess struct {
	created, submitted, reviewed int
	grade                        grade
	decision, comment            string
	answers                      map[string]string
}

// approved is an assessment approved a week after it was created (submitted after
// five days, reviewed two days later).
func approved(daysAgo int, g grade, answers map[string]string) dassess {
	return dassess{created: daysAgo, submitted: 5, reviewed: 7, grade: g, decision: "approve", answers: answers}
}

// dlink is a sub-processor link: from passes categories to to, authorised days
// before the load date (-1: no authorisation on record).
type dlink struct {
	from, to   string
	categories []string
	recorded   int
	authorised int
}

var (
	uk   = []string{"GB"}
	ukIE = []string{"GB", "IE"}
	ukUS = []string{"GB", "US"}
)

// demoSuppliers is the register, in the order the team recorded it.
var demoSuppliers = []demoSupplier{
	{key: "crm", name: "Larkspur CRM Ltd", services: "Membership CRM: joining, renewals, direct debits, the membership database",
		country: "GB", criticality: "critical", recorded: adoptedDaysAgo, contact: true, notifyHours: 24, dpa: true,
		certs: []dcert{{"iso27001", 410}, {"cyber_essentials_plus", 150}},
		holdings: []dhold{
			{"contact_details", []string{"members", "supporters"}, members + 120_000, ukIE, "", "P6Y"},
			{"financial", []string{"members"}, 41_000, ukIE, "", "P7Y"},
			{"political_opinions", []string{"members"}, members, ukIE, "", "P6Y"},
			{"online_identifiers", []string{"members"}, 39_000, ukIE, "", "P2Y"},
		},
		assessments: []dassess{approved(395, good, nil), approved(200, strong, nil), approved(28, strong, nil)}},
	{key: "mail", name: "Quillfeather Mail", services: "Email service: campaign and membership emails, postal mailings through its print partner",
		country: "IE", criticality: "high", recorded: adoptedDaysAgo, contact: true, notifyHours: 48, dpa: true,
		certs: []dcert{{"iso27001", 220}},
		holdings: []dhold{
			{"contact_details", []string{"members", "supporters"}, members + supporters, ukIE, "", "P2Y"},
			{"political_opinions", []string{"supporters"}, 150_000, ukIE, "", "P2Y"},
			{"online_identifiers", []string{"members", "supporters"}, 230_000, ukIE, "", "P1Y"},
		},
		assessments: []dassess{approved(390, good, nil)}},
	{key: "print", name: "Ashgrove Print & Post", services: "Printing house: prints and posts membership packs and appeal letters for the email service",
		country: "GB", criticality: "medium", recorded: adoptedDaysAgo - 3,
		certs: []dcert{{"cyber_essentials", -75}},
		notes: "Engaged by Quillfeather Mail; we have never assessed it directly."},
	{key: "mailhouse", name: "Kestrel Mailing House", services: "Envelope filling, sorting and hand-over to the postal service for Ashgrove Print & Post",
		country: "GB", criticality: "low", recorded: adoptedDaysAgo - 3},
	{key: "pay", name: "Tollgate Payments", services: "Payment processor: card and direct-debit payments for membership, donations and the shop",
		country: "NL", criticality: "critical", recorded: adoptedDaysAgo, contact: true, notifyHours: 24, dpa: true,
		certs: []dcert{{"soc2", 190}, {"iso27001", 500}},
		holdings: []dhold{
			{"financial", []string{"members", "donors"}, 52_000, []string{"NL", "GB"}, "", "P7Y"},
			{"contact_details", []string{"members", "donors"}, 52_000, []string{"NL", "GB"}, "", "P7Y"},
		},
		assessments: []dassess{approved(385, strong, nil), approved(170, strong, nil)}},
	{key: "payroll", name: "Brightwage Payroll", services: "Payroll and pensions auto-enrolment for staff",
		country: "GB", criticality: "high", recorded: adoptedDaysAgo, contact: true, notifyHours: 48, dpa: true,
		certs: []dcert{{"iso27001", 300}},
		holdings: []dhold{
			{"employment", []string{"staff"}, staff, uk, "", "P6Y"},
			{"financial", []string{"staff"}, staff, uk, "", "P6Y"},
			{"trade_union_membership", []string{"staff"}, 60, uk, "", "P6Y"},
			{"health", []string{"staff"}, 35, uk, "", "P6Y"},
		},
		assessments: []dassess{approved(380, strong, nil), approved(60, strong, nil)}},
	{key: "pension", name: "Ledgerline Pensions", services: "Pension scheme administration for the payroll provider",
		country: "GB", criticality: "medium", recorded: adoptedDaysAgo - 2, contact: true, notifyHours: 72,
		certs:       []dcert{{"cyber_essentials_plus", 120}},
		assessments: []dassess{approved(350, good, nil)}},
	{key: "cloud", name: "Nimbus Cloud Hosting", services: "Cloud hosting (compute, databases, object storage) under several of our suppliers",
		country: "IE", criticality: "critical", recorded: adoptedDaysAgo - 2, contact: true, notifyHours: 24,
		certs:       []dcert{{"iso27001", 640}, {"soc2", 200}},
		assessments: []dassess{approved(370, strong, nil), approved(150, strong, nil)}},
	{key: "backup", name: "Vaultline Backup", services: "Online backup of the IT support firm's managed servers",
		country: "GB", criticality: "high", recorded: adoptedDaysAgo - 2, contact: true, notifyHours: 48,
		certs:       []dcert{{"iso27001", 95}},
		assessments: []dassess{approved(340, good, nil)}},
	{key: "it", name: "Cobalt IT Services", services: "IT support: office network, file servers holding membership exports, staff laptops",
		country: "GB", criticality: "high", recorded: adoptedDaysAgo, contact: true, notifyHours: 72, dpa: true,
		certs: []dcert{{"cyber_essentials", 40}},
		holdings: []dhold{
			{"contact_details", []string{"members"}, members, uk, "", ""},
			{"political_opinions", []string{"members"}, members, uk, "", ""},
			{"financial", []string{"members"}, 30_000, uk, "", ""},
			{"employment", []string{"staff"}, staff, uk, "", ""},
		},
		assessments: []dassess{{created: 95, submitted: 7, reviewed: 10, grade: failing, decision: "approve",
			comment: "Approved with a remediation plan: offline backups and tested restores by the end of next quarter.",
			answers: map[string]string{"offline_backups": "no", "restore_testing": "older_or_never",
				"critical_patching": "within_30_days", "mfa_remote_and_admin": "all", "encryption_at_rest": "all"}}},
		notes: "Holds copies of the membership database on its file servers for mail merges."},
	{key: "callcentre", name: "Harbourside Contact Centre", services: "Call centre: membership helpline, telephone fundraising, call recordings",
		country: "GB", criticality: "high", recorded: adoptedDaysAgo, contact: true, notifyHours: 48, dpa: true,
		certs: []dcert{{"iso27001", -60}, {"cyber_essentials", 200}},
		holdings: []dhold{
			{"contact_details", []string{"members", "supporters", "donors"}, 95_000, uk, "", "P2Y"},
			{"financial", []string{"donors"}, 8_500, uk, "", "P18M"},
			{"communications_content", []string{"members", "supporters"}, 64_000, uk, "", "P1Y"},
		},
		assessments: []dassess{
			{created: 175, submitted: 6, reviewed: 9, grade: fair, decision: "reject",
				comment: "Restore testing evidence is missing; resubmit with the latest test report."},
			approved(150, fair, map[string]string{"restore_testing": "full_within_12m"}),
		}},
	{key: "telephony", name: "Orbit Telephony", services: "Cloud telephony and call recording platform used by the call centre",
		country: "US", criticality: "medium", recorded: adoptedDaysAgo - 1, contact: true, notifyHours: 72,
		certs:       []dcert{{"soc2", 260}},
		assessments: []dassess{approved(330, good, nil)}},
	{key: "transcribe", name: "Scribe Transcription Services", services: "Transcribes recorded calls for the telephony platform's quality reviews",
		country: "IN", criticality: "low", recorded: adoptedDaysAgo - 1,
		assessments: []dassess{approved(300, poor, map[string]string{"data_location": "outside_without_safeguards"})}},
	{key: "tickets", name: "Gatehouse Tickets", services: "Event ticketing for conferences, rallies and the youth summer camp",
		country: "GB", criticality: "medium", recorded: adoptedDaysAgo, contact: true, notifyHours: 72,
		certs: []dcert{{"cyber_essentials", 260}},
		holdings: []dhold{
			{"contact_details", []string{"event attendees"}, eventAttendees, uk, "", "P2Y"},
			{"financial", []string{"event attendees"}, 6_000, uk, "", "P2Y"},
			{"health", []string{"event attendees"}, 700, uk, "", "P1Y"},
			{"children", []string{"event attendees"}, 420, uk, "", "P1Y"},
		},
		assessments: []dassess{approved(360, good, nil)}},
	{key: "analytics", name: "Metric Lane Analytics", services: "Website and email analytics",
		country: "US", criticality: "low", recorded: adoptedDaysAgo, contact: true, dpa: true,
		holdings: []dhold{
			{"online_identifiers", []string{"supporters"}, 180_000, ukUS, "", "P18M"},
			{"location", []string{"supporters"}, 180_000, ukUS, "", "P18M"},
		},
		assessments: []dassess{approved(355, fair, nil)}},
	{key: "web", name: "Pixel & Pine Digital", services: "Website and members' area: hosting, logins, donation forms",
		country: "GB", criticality: "high", recorded: adoptedDaysAgo, contact: true, notifyHours: 48, dpa: true,
		certs: []dcert{{"cyber_essentials_plus", 180}},
		holdings: []dhold{
			{"authentication_credentials", []string{"members"}, 39_000, ukIE, "", "P2Y"},
			{"online_identifiers", []string{"members", "supporters"}, 220_000, ukIE, "", "P1Y"},
			{"contact_details", []string{"supporters"}, 60_000, ukIE, "", "P2Y"},
		},
		assessments: []dassess{approved(345, good, nil), approved(120, good, nil)}},
	{key: "canvass", name: "Greenleaf Canvassing App", services: "Doorstep canvassing app: volunteers record supporters' voting intentions",
		country: "GB", criticality: "critical", recorded: adoptedDaysAgo, contact: true, notifyHours: 48, dpa: true,
		certs: []dcert{{"cyber_essentials_plus", 90}},
		holdings: []dhold{
			{"political_opinions", []string{"supporters"}, 185_000, uk, "", "P3Y"},
			{"contact_details", []string{"supporters", "volunteers"}, 185_000 + volunteers, uk, "", "P3Y"},
			{"location", []string{"supporters"}, 185_000, uk, "", "P3Y"},
		},
		assessments: []dassess{approved(335, good, nil),
			approved(115, fair, map[string]string{"mfa_remote_and_admin": "partial", "access_reviews": "less_often_or_never"})}},
	{key: "fundraising", name: "Giftwell Fundraising", services: "Online giving platform: regular gifts and Gift Aid declarations",
		country: "GB", criticality: "high", recorded: adoptedDaysAgo, contact: true, notifyHours: 24, dpa: true,
		certs: []dcert{{"iso27001", 330}},
		holdings: []dhold{
			{"financial", []string{"donors"}, donors, uk, "", "P7Y"},
			{"contact_details", []string{"donors"}, donors, uk, "", "P7Y"},
			{"political_opinions", []string{"donors"}, donors, uk, "", "P7Y"},
		},
		assessments: []dassess{approved(320, strong, nil), approved(140, strong, nil)}},
	{key: "hr", name: "Pinewood HR", services: "HR system: staff records, absence, equality monitoring",
		country: "GB", criticality: "high", recorded: adoptedDaysAgo, contact: true, notifyHours: 48, dpa: true,
		certs: []dcert{{"iso27001", 250}},
		holdings: []dhold{
			{"employment", []string{"staff"}, staff, ukIE, "", "P6Y"},
			{"health", []string{"staff"}, 90, ukIE, "", "P6Y"},
			{"racial_ethnic_origin", []string{"staff"}, 120, ukIE, "", "P6Y"},
			{"religious_beliefs", []string{"staff"}, 110, ukIE, "", "P6Y"},
			{"sex_life_orientation", []string{"staff"}, 105, ukIE, "", "P6Y"},
		},
		assessments: []dassess{approved(310, good, nil), approved(45, good, nil)}},
	{key: "vetting", name: "Checkpoint Vetting", services: "Criminal record checks for volunteers working with young members",
		country: "GB", criticality: "high", recorded: adoptedDaysAgo, contact: true, notifyHours: 24, dpa: true,
		certs: []dcert{{"iso27001", 420}},
		holdings: []dhold{
			{"criminal_offences", []string{"volunteers"}, 1_200, uk, "", "P6M"},
			{"identity_documents", []string{"volunteers"}, 1_200, uk, "", "P6M"},
		},
		assessments: []dassess{approved(300, strong, nil), approved(110, strong, nil)}},
	{key: "ohs", name: "Meridian Occupational Health", services: "Occupational health referrals and workplace assessments",
		country: "GB", criticality: "medium", recorded: adoptedDaysAgo, contact: true, notifyHours: 72, dpa: true,
		holdings:    []dhold{{"health", []string{"staff"}, 40, uk, "", "P6Y"}},
		assessments: []dassess{approved(290, good, nil)}},
	{key: "recruit", name: "Swift Recruitment Portal", services: "Job adverts and applications",
		country: "GB", criticality: "medium", recorded: adoptedDaysAgo, contact: true, notifyHours: 72, dpa: true,
		certs: []dcert{{"cyber_essentials", 30}},
		holdings: []dhold{
			{"contact_details", []string{"job applicants"}, jobApplicants, uk, "", "P1Y"},
			{"employment", []string{"job applicants"}, jobApplicants, uk, "", "P1Y"},
			{"racial_ethnic_origin", []string{"job applicants"}, 700, uk, "", "P1Y"},
		},
		assessments: []dassess{approved(280, fair, nil)}},
	{key: "shop", name: "Parcelpoint Shop", services: "Online shop for merchandise",
		country: "GB", renewal: true, criticality: "low", recorded: adoptedDaysAgo, contact: true, notifyHours: 72, dpa: true,
		holdings: []dhold{
			{"contact_details", []string{"customers"}, shopCustomers, uk, "", "P3Y"},
			{"financial", []string{"customers"}, shopCustomers, uk, "", "P6Y"},
		},
		assessments: []dassess{approved(270, fair, nil)}},
	{key: "fulfil", name: "Boxwell Fulfilment", services: "Warehouse and parcel dispatch for the online shop",
		country: "GB", criticality: "low", recorded: adoptedDaysAgo - 5},
	{key: "sms", name: "Signal Street SMS", services: "Text messages to members and supporters",
		country: "GB", criticality: "medium", recorded: adoptedDaysAgo, contact: true, notifyHours: 48, dpa: true,
		certs: []dcert{{"cyber_essentials", 150}},
		holdings: []dhold{
			{"contact_details", []string{"members", "supporters"}, 110_000, uk, "", "P2Y"},
		},
		assessments: []dassess{{created: 12, submitted: 8, reviewed: -1, grade: good}}},
	{key: "surveys", name: "Lantern Surveys", services: "Member surveys and consultations on policy",
		country: "US", criticality: "medium", recorded: 100, contact: true, notifyHours: 72, dpa: true,
		certs: []dcert{{"soc2", 280}},
		holdings: []dhold{
			{"political_opinions", []string{"members"}, 12_000, ukUS, "idta", "P1Y"},
			{"contact_details", []string{"members"}, 12_000, ukUS, "idta", "P1Y"},
		},
		assessments: []dassess{approved(90, good, nil)}},
	{key: "video", name: "Brightmoor Video", services: "Video meetings for staff, branches and members' forums",
		country: "US", criticality: "low", recorded: 250, contact: true, notifyHours: 72, dpa: true,
		certs: []dcert{{"soc2", 310}, {"iso27001", 400}},
		holdings: []dhold{
			{"communications_content", []string{"staff", "members"}, 8_000, ukUS, "idta", "P1Y"},
			{"contact_details", []string{"staff", "members"}, 8_000, ukUS, "idta", "P1Y"},
		},
		assessments: []dassess{approved(240, strong, nil)}},
	{key: "sso", name: "Keyward Identity", services: "Single sign-on and multi-factor authentication for staff",
		country: "IE", criticality: "high", recorded: adoptedDaysAgo, contact: true, notifyHours: 24, dpa: true,
		certs:       []dcert{{"iso27001", 560}, {"soc2", 240}},
		holdings:    []dhold{{"authentication_credentials", []string{"staff"}, staff, ukIE, "", "P1Y"}},
		assessments: []dassess{approved(330, strong, nil), approved(130, strong, nil)}},
	{key: "archive", name: "Archway Records Storage", services: "Off-site storage of paper membership forms and Gift Aid declarations",
		country: "GB", criticality: "medium", recorded: adoptedDaysAgo, contact: true, notifyHours: 72, dpa: true,
		holdings: []dhold{
			{"contact_details", []string{"members", "donors"}, 31_000, uk, "", "P7Y"},
			{"political_opinions", []string{"members"}, 24_000, uk, "", "P7Y"},
			{"financial", []string{"donors"}, 9_000, uk, "", "P7Y"},
		},
		assessments: []dassess{approved(420, fair, nil)}},
	{key: "shred", name: "Ironbridge Shredding", services: "Collection and destruction of confidential paper for the records store",
		country: "GB", criticality: "low", recorded: adoptedDaysAgo - 1,
		assessments: []dassess{approved(260, fair, map[string]string{"encryption_at_rest": "partial"})}},
	{key: "travel", name: "Blue Heron Travel", services: "Staff travel booking",
		country: "GB", renewal: true, criticality: "low", recorded: adoptedDaysAgo, contact: true, notifyHours: 72, dpa: true,
		holdings: []dhold{
			{"identity_documents", []string{"staff"}, 60, uk, "", "P2Y"},
			{"contact_details", []string{"staff"}, staff, uk, "", "P2Y"},
		},
		assessments: []dassess{approved(250, fair, nil)}},
	{key: "legal", name: "Fernhill Legal LLP", services: "Employment and data-protection legal advice",
		country: "GB", criticality: "medium", recorded: adoptedDaysAgo, contact: true, notifyHours: 48, dpa: true,
		certs:       []dcert{{"cyber_essentials_plus", 210}},
		holdings:    []dhold{{"employment", []string{"staff"}, 25, uk, "", "P6Y"}},
		assessments: []dassess{approved(240, good, nil)}},
	{key: "audit", name: "Hollis & Crane Auditors", services: "Annual accounts audit and donation reporting checks",
		country: "GB", criticality: "medium", recorded: adoptedDaysAgo, contact: true, notifyHours: 72, dpa: true,
		certs:       []dcert{{"iso27001", 150}},
		holdings:    []dhold{{"financial", []string{"donors"}, 2_500, uk, "", "P7Y"}},
		assessments: []dassess{approved(230, good, nil)}},
	{key: "translate", name: "Hawthorn Translation", services: "Translation of member communications into Welsh and other languages",
		country: "GB", criticality: "low", recorded: adoptedDaysAgo, contact: true,
		holdings: []dhold{{"contact_details", []string{"members"}, 400, uk, "", "P1Y"}}},
	{key: "learning", name: "Summitfold Learning", services: "Online safeguarding and data-protection training for staff and volunteers",
		country: "GB", criticality: "low", recorded: adoptedDaysAgo, contact: true, notifyHours: 72, dpa: true,
		holdings:    []dhold{{"contact_details", []string{"staff", "volunteers"}, staff + 2_000, uk, "", "P1Y"}},
		assessments: []dassess{approved(300, good, nil)}},
	{key: "insurance", name: "Tidewater Insurance Brokers", services: "Insurance for events and volunteers",
		country: "GB", criticality: "low", recorded: adoptedDaysAgo, contact: true, notifyHours: 72, dpa: true,
		holdings:    []dhold{{"contact_details", []string{"volunteers"}, 900, uk, "", "P6Y"}},
		assessments: []dassess{approved(280, good, nil)}},
	{key: "vehicles", name: "Fairway Vehicle Hire", services: "Vans and cars for campaign days, with driving licence checks",
		country: "GB", criticality: "low", recorded: adoptedDaysAgo, contact: true, notifyHours: 72, dpa: true,
		holdings: []dhold{
			{"identity_documents", []string{"staff", "volunteers"}, 310, uk, "", "P1Y"},
			{"contact_details", []string{"staff", "volunteers"}, 310, uk, "", "P1Y"},
		},
		assessments: []dassess{approved(265, good, nil)}},
	{key: "interpreting", name: "Larch Interpreting", services: "British Sign Language and spoken-language interpreters at events",
		country: "GB", criticality: "low", recorded: 230, contact: true, notifyHours: 72, dpa: true,
		holdings: []dhold{
			{"contact_details", []string{"event attendees"}, 180, uk, "", "P1Y"},
			{"health", []string{"event attendees"}, 180, uk, "", "P1Y"},
		},
		assessments: []dassess{approved(200, good, nil)}},
	{key: "venue", name: "Cinderford Conference Centre", services: "Venue of the annual conference: delegate lists, dietary and access needs",
		country: "GB", criticality: "medium", recorded: 230, contact: true, notifyHours: 72, dpa: true,
		certs:       []dcert{{"cyber_essentials", 70}},
		assessments: []dassess{approved(180, fair, nil)}},
	{key: "cleanse", name: "Lattice Data Cleansing", services: "Address cleansing and deceased-suppression for the membership CRM",
		country: "GB", criticality: "medium", recorded: 20, contact: true},
}

// demoLinks are the sub-processor links: chains two and three deep (email service →
// printing house → mailing house; call centre → telephony → transcription), and
// the cloud host under several suppliers.
var demoLinks = []dlink{
	{"crm", "cloud", []string{"contact_details", "financial", "political_opinions", "online_identifiers"}, adoptedDaysAgo - 4, adoptedDaysAgo - 4},
	{"crm", "mail", []string{"contact_details", "political_opinions"}, adoptedDaysAgo - 4, adoptedDaysAgo - 4},
	{"mail", "print", []string{"contact_details", "political_opinions"}, adoptedDaysAgo - 4, adoptedDaysAgo - 4},
	{"print", "mailhouse", []string{"contact_details"}, adoptedDaysAgo - 4, adoptedDaysAgo - 4},
	{"pay", "cloud", []string{"financial", "contact_details"}, adoptedDaysAgo - 4, adoptedDaysAgo - 4},
	{"payroll", "pension", []string{"employment", "financial"}, adoptedDaysAgo - 4, adoptedDaysAgo - 4},
	{"it", "backup", []string{"contact_details", "political_opinions", "financial", "employment"}, adoptedDaysAgo - 4, adoptedDaysAgo - 4},
	{"callcentre", "telephony", []string{"communications_content", "contact_details"}, adoptedDaysAgo - 4, adoptedDaysAgo - 4},
	{"telephony", "transcribe", []string{"communications_content"}, adoptedDaysAgo - 4, -1},
	{"canvass", "cloud", []string{"political_opinions", "contact_details", "location"}, adoptedDaysAgo - 4, adoptedDaysAgo - 4},
	{"web", "cloud", []string{"authentication_credentials", "online_identifiers", "contact_details"}, adoptedDaysAgo - 4, adoptedDaysAgo - 4},
	{"web", "analytics", []string{"online_identifiers"}, adoptedDaysAgo - 4, adoptedDaysAgo - 4},
	{"fundraising", "pay", []string{"financial", "contact_details"}, adoptedDaysAgo - 4, adoptedDaysAgo - 4},
	{"hr", "cloud", []string{"employment", "health"}, adoptedDaysAgo - 4, adoptedDaysAgo - 4},
	{"shop", "pay", []string{"financial"}, adoptedDaysAgo - 5, adoptedDaysAgo - 5},
	{"shop", "fulfil", []string{"contact_details"}, adoptedDaysAgo - 5, adoptedDaysAgo - 5},
	{"archive", "shred", []string{"contact_details", "political_opinions", "financial"}, adoptedDaysAgo - 4, adoptedDaysAgo - 4},
	{"tickets", "venue", []string{"contact_details", "health"}, 225, 225},
	{"crm", "cleanse", []string{"contact_details"}, 18, -1},
}
