package sheet

// Kind says how a column's cells are written and read.
type Kind int

// Column kinds.
const (
	Text   Kind = iota // free text or a code
	Number             // a whole number: a number cell in XLSX
	Date               // YYYY-MM-DD; an XLSX date cell is read as one
	List               // values separated by semicolons or commas
)

// Group says whether a column describes the supplier or one of its data holdings.
type Group int

// Column groups.
const (
	SupplierColumn Group = iota
	HoldingColumn
)

// Column is one column of the layout.
type Column struct {
	Name        string
	Group       Group
	Kind        Kind
	Required    string // when a value is required, in words; empty when optional
	Description string
	Example     string
	width       float64
}

// Columns is the layout, in the order export and the template write it. Each name
// is also the field the register validates (supplier_name is the supplier's name).
var Columns = []Column{
	{Name: "supplier_name", Kind: Text, Required: "always", width: 28,
		Description: "The supplier's name, at most 200 characters. Rows are matched to live suppliers by name, ignoring case.",
		Example:     "Quayside Mail"},
	{Name: "criticality", Kind: Text, Required: "for a new supplier", width: 12,
		Description: "How much the business depends on the supplier: low, medium, high or critical.",
		Example:     "high"},
	{Name: "status", Kind: Text, width: 12,
		Description: "onboarding, active, offboarding or exited; empty means active.",
		Example:     "active"},
	{Name: "country", Kind: Text, width: 9,
		Description: "Where the supplier is based: an ISO 3166-1 alpha-2 code such as GB.",
		Example:     "GB"},
	{Name: "services", Kind: Text, width: 24,
		Description: "What the supplier does for the organisation, at most 2000 characters.",
		Example:     "bulk email"},
	{Name: "website", Kind: Text, width: 24,
		Description: "An http or https URL.",
		Example:     "https://quayside.example"},
	{Name: "security_contact", Kind: Text, width: 26,
		Description: "A plain email address for security matters.",
		Example:     "security@quayside.example"},
	{Name: "breach_notification_hours", Kind: Number, width: 12,
		Description: "Hours within which the supplier has agreed to notify a breach: a whole number from 0 to 8760.",
		Example:     "24"},
	{Name: "contract_start", Kind: Date, width: 12,
		Description: "When the contract started, YYYY-MM-DD.",
		Example:     "2024-01-01"},
	{Name: "contract_end", Kind: Date, width: 12,
		Description: "When the contract ends, YYYY-MM-DD; not before contract_start.",
		Example:     "2026-12-31"},
	{Name: "dpa_signed_at", Kind: Date, width: 12,
		Description: "When the data processing agreement (GDPR Art. 28) was signed, YYYY-MM-DD; not in the future. Empty when none is signed.",
		Example:     "2024-02-01"},
	{Name: "certifications", Kind: List, width: 30,
		Description: "Certifications separated by semicolons or commas, each scheme:expiry or scheme:reference:expiry with the expiry as YYYY-MM-DD. " +
			"Schemes: iso27001, soc2, cyber_essentials, cyber_essentials_plus, or another lower-case key. " +
			`Write \; for a semicolon, \, for a comma and \\ for a backslash inside a reference.`,
		Example: "iso27001:2027-06-30; soc2:SOC-2291:2027-01-31"},
	{Name: "notes", Kind: Text, width: 24,
		Description: "Free text, at most 4000 characters.",
		Example:     "Contract under review"},
	{Name: "category", Group: HoldingColumn, Kind: Text, Required: "when any other data holding column is filled in", width: 22,
		Description: "A data category key from the catalogue (GET /api/v1/data-categories), such as contact_details or political_opinions. " +
			"Leave this and the columns after it empty for a supplier that holds no personal data.",
		Example: "political_opinions"},
	{Name: "data_subjects", Group: HoldingColumn, Kind: List, Required: "with a category", width: 20,
		Description: `Whom the data is about, separated by semicolons or commas, such as members; supporters. Write \; or \, for a semicolon or comma inside one.`,
		Example:     "members; supporters"},
	{Name: "record_count", Group: HoldingColumn, Kind: Number, Required: "with a category", width: 12,
		Description: "Approximately how many records: a whole number, 0 or more, such as 600000 or 600,000 (600.000 is refused: it means 600 in some countries).",
		Example:     "600000"},
	{Name: "purpose", Group: HoldingColumn, Kind: Text, width: 24,
		Description: "Why the supplier holds the data, at most 1000 characters.",
		Example:     "membership administration"},
	{Name: "locations", Group: HoldingColumn, Kind: List, width: 12,
		Description: "Countries where the data is stored or processed: ISO 3166-1 alpha-2 codes separated by semicolons or commas, such as GB; US.",
		Example:     "GB; US"},
	{Name: "transfer_mechanism", Group: HoldingColumn, Kind: Text, width: 14,
		Description: "The safeguard for locations outside the UK/EEA: adequacy, idta, uk_addendum, scc, bcr or derogation.",
		Example:     "idta"},
	{Name: "retention_period", Group: HoldingColumn, Kind: Text, width: 12,
		Description: "How long the data is kept, as an ISO 8601 period such as P7Y or P18M.",
		Example:     "P7Y"},
	{Name: "retention_until", Group: HoldingColumn, Kind: Date, width: 12,
		Description: "When the data must be deleted by, YYYY-MM-DD.",
		Example:     "2027-12-31"},
	{Name: "held_since", Group: HoldingColumn, Kind: Date, width: 12,
		Description: "Since when the supplier holds the data, YYYY-MM-DD; not in the future.",
		Example:     "2024-03-01"},
}

// Notes explain the layout as a whole; the template's Instructions sheet starts with them.
var Notes = []string{
	"One row per supplier and data category it holds. A supplier that holds no personal data has one row with the data holding columns (category and after) empty.",
	"The first row names the columns, in any order and any case. Leave a column out to keep what the register has; an empty cell in a column that is there clears the value.",
	"Rows of the same supplier repeat its supplier columns exactly. Suppliers are matched by name (ignoring case) among live suppliers, data holdings by supplier and category; an import creates and updates, and never deletes or archives.",
	"Importing is all or nothing: every row is checked first, and if any row has a problem nothing changes and every problem is reported with its row and column.",
	"Lists are separated by semicolons or commas (a backslash before either keeps it inside an item); dates are YYYY-MM-DD. Cells are stored as text and never run as formulas: an export starts a cell beginning with = + - @ or an apostrophe with an extra apostrophe, which the import removes.",
	"CSV files are UTF-8 (with or without a byte-order mark), separated by commas or semicolons. In an XLSX workbook the sheet named Suppliers is read, or else the first sheet.",
}
