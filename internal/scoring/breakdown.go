package scoring

// Part is one line of a breakdown; the Points of a breakdown's parts sum exactly to its Value.
type Part struct {
	Factor string // one of the Factor constants
	Detail string // plain-English evidence for the line: the controls, certificates, categories, numbers
	Points float64
}

// The factors of the breakdowns this package produces.
const (
	// FactorAnswers is the assessment's weighted average of its answers (its Raw score).
	FactorAnswers = "answers"
	// FactorCriticalCap takes a score with a failed critical control down to CriticalCap.
	FactorCriticalCap = "critical control cap"
	// FactorAssessment stands for a stored assessment score whose own breakdown is unusable.
	FactorAssessment = "assessment"
	// FactorExpiredCerts is the posture deduction for expired certifications.
	FactorExpiredCerts = "expired certifications"
	// FactorNoDPA is the posture deduction for personal data held without a signed DPA.
	FactorNoDPA = "no DPA"
	// FactorClamp brings a posture back within 0–100.
	FactorClamp = "clamp"
	// FactorSensitivity is the inherent-risk part for the highest sensitivity held.
	FactorSensitivity = "sensitivity"
	// FactorVolume is the inherent-risk part for the number of records held.
	FactorVolume = "volume"
	// FactorSpecial is the inherent-risk part for special-category and criminal-offence data.
	FactorSpecial = "special categories"
	// FactorCriticality is the inherent-risk part for the supplier's business criticality.
	FactorCriticality = "criticality"
	// FactorInherent is the residual-risk line carrying the inherent risk.
	FactorInherent = "inherent"
	// FactorPosture is the (negative) residual-risk line for what the posture removes.
	FactorPosture = "posture"
	// FactorSource is a 0-point inherent-risk line naming where data in care comes
	// from: an own holding, or a category received through links.
	FactorSource = "source"
)
