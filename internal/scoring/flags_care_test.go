package scoring

// received marks a holding as received through links (arriving records).
func received(h HoldingFacts) HoldingFacts { h.Received = true; return h }

// careFlagCases are the flag cases about data in care: what a supplier receives
// through links counts for unassessed, special_category_exposure and concentration,
// and a link with no authorisation date raises unauthorised_subprocessor.
func careFlagCases() []flagCase {
	never := func(s *SupplierFacts) { s.Posture, s.LastAssessed = nil, "" }
	inCare := func(hs ...HoldingFacts) func(*SupplierFacts) {
		return func(s *SupplierFacts) { s.InCare = append(append([]HoldingFacts{}, s.Holdings...), hs...) }
	}
	nothing := func(s *SupplierFacts) { s.Holdings = nil }
	hh := cleanSupplier("hh", "Harbour Hosting")
	mh := with(cleanSupplier("mh", "MemberHub"), func(s *SupplierFacts) { s.Holdings = []HoldingFacts{political(580_000)} })
	vault := cleanSupplier("vb", "Vault Backup")
	unauthorised := func(from string, hs ...HoldingFacts) func(*SupplierFacts) {
		return func(s *SupplierFacts) {
			s.Unauthorised = append(s.Unauthorised, UnauthorisedLink{From: from, Categories: hs})
		}
	}
	return []flagCase{
		{name: "unassessed: receives data only", code: FlagUnassessed, supplier: "hh", fire: true, severity: SeverityCritical,
			p:       portfolioOf(mh, with(hh, never, nothing, inCare(received(political(580_000)), received(contacts(580_000))))),
			message: []string{"receives personal data (political opinions, contact details; 1,160,000 records) but has never been assessed", "special-category data (political opinions)"}},
		{name: "unassessed: holds and receives", code: FlagUnassessed, supplier: "hh", fire: true, severity: SeverityHigh,
			p:       portfolioOf(with(hh, never, inCare(received(contacts(20))))),
			message: []string{"holds and receives personal data (contact details; 1,020 records)"}},
		{name: "unassessed: an empty InCare means nothing in care", code: FlagUnassessed, supplier: "hh",
			p: portfolioOf(with(hh, never, nothing, func(s *SupplierFacts) { s.InCare = []HoldingFacts{} }))},

		{name: "special_category_exposure: received special data", code: FlagSpecialCategoryExposure, supplier: "hh", fire: true, severity: SeverityCritical,
			p:       portfolioOf(mh, with(hh, never, nothing, inCare(received(political(580_000))))),
			message: []string{"receives special-category data (political opinions) and has never been assessed"}},
		{name: "special_category_exposure: receives ordinary data only", code: FlagSpecialCategoryExposure, supplier: "hh",
			p: portfolioOf(with(hh, never, nothing, inCare(received(contacts(580_000)))))},

		{name: "concentration: received records count, direct holdings are the total", code: FlagConcentration, supplier: "hh", fire: true, severity: SeverityHigh,
			p: portfolioOf(mh, with(cleanSupplier("qm", "Quayside Mail"), func(s *SupplierFacts) { s.Holdings = []HoldingFacts{political(20_000)} }),
				with(hh, nothing, inCare(received(political(580_000))))),
			message: []string{"has in its care 96.7 % of the 600,000 political opinions records placed with suppliers (580,000 records; 2 suppliers hold it)"}},
		{name: "concentration: one direct holder however much is passed on", code: FlagConcentration, supplier: "hh",
			p: portfolioOf(mh, with(hh, nothing, inCare(received(political(580_000)))))},

		{name: "unauthorised_subprocessor: special data through an unauthorised link", code: FlagUnauthorisedSubprocessor, supplier: "vb",
			fire: true, severity: SeverityCritical, example: true,
			p: portfolioOf(with(vault, nothing, inCare(received(political(580_000))),
				unauthorised("Harbour Hosting", political(580_000)))),
			message: []string{"receives data through a link with no recorded authorisation (GDPR Art. 28(2)): political opinions from Harbour Hosting"}},
		{name: "unauthorised_subprocessor: ordinary data is high", code: FlagUnauthorisedSubprocessor, supplier: "vb", fire: true, severity: SeverityHigh,
			p:       portfolioOf(with(vault, unauthorised("Harbour Hosting", contacts(5)), unauthorised("Quayside Mail", contacts(5)))),
			message: []string{"through links with no recorded authorisation", "contact details from Harbour Hosting; contact details from Quayside Mail"}},
		{name: "unauthorised_subprocessor: nothing arrives along the link", code: FlagUnauthorisedSubprocessor, supplier: "vb",
			p: portfolioOf(with(vault, unauthorised("Harbour Hosting")))},
		{name: "unauthorised_subprocessor: authorised links", code: FlagUnauthorisedSubprocessor, supplier: "vb", p: portfolioOf(vault)},
	}
}
