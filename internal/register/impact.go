package register

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/store"
)

// Impact is an incident's blast radius, computed from the register as it is now.
type Impact struct {
	Incident Incident
	Flows    Flows
	// RegulatorDeadline is aware_at + 72 hours (GDPR Art. 33); TimeLeft is negative once it has passed.
	RegulatorDeadline time.Time
	TimeLeft          time.Duration
	// SupplierWindowHours is the contractual window for the supplier to tell us;
	// SupplierToldUsInTime is nil when either end of that window is unknown.
	SupplierWindowHours  *int
	SupplierDelay        *time.Duration
	SupplierToldUsInTime *bool
	Summary              string
}

// IncidentImpact answers, in one request: what is exposed at the supplier and down
// its chain, how many records, whether special-category or criminal-offence data is
// involved, when the regulator must be told, and a sentence a spokesperson can read.
func (s *Service) IncidentImpact(ctx context.Context, id string) (Impact, error) {
	if !ValidID(id) {
		return Impact{}, incidentNotFound()
	}
	var out Impact
	err := s.st.Read(ctx, func(tx *store.Tx) error {
		in, err := s.loadIncident(tx, id)
		if err != nil {
			return err
		}
		sup, err := tx.GetSupplier(in.SupplierID)
		if err != nil {
			return err
		}
		fl, err := s.flows(tx, in.SupplierID)
		if err != nil {
			return err
		}
		out = Impact{Incident: in, Flows: fl, RegulatorDeadline: in.RegulatorDeadline(),
			SupplierWindowHours: sup.BreachNotificationHours}
		return nil
	})
	if err != nil {
		return Impact{}, err
	}
	now := s.now()
	out.TimeLeft = out.RegulatorDeadline.Sub(now)
	if in := out.Incident; in.SupplierAwareAt != nil {
		d := in.AwareAt.Sub(*in.SupplierAwareAt)
		out.SupplierDelay = &d
		if out.SupplierWindowHours != nil {
			ok := d <= time.Duration(*out.SupplierWindowHours)*time.Hour
			out.SupplierToldUsInTime = &ok
		}
	}
	out.Summary = impactSummary(out, now)
	return out, nil
}

// impactSummary is the plain-language sentence for a spokesperson.
func impactSummary(im Impact, now time.Time) string {
	in, fl := im.Incident, im.Flows
	var b strings.Builder
	fmt.Fprintf(&b, "%s, a supplier, reported a security incident of which we became aware on %s (%s). ",
		in.SupplierName, in.AwareAt.Format("2 January 2006 at 15:04 UTC"), strings.TrimSuffix(in.Summary, "."))
	switch {
	case fl.Archived:
		b.WriteString("The supplier is archived in the register, which records no personal data there now. ")
	case len(fl.Categories) == 0:
		b.WriteString("The register records no personal data held by or passed to this supplier. ")
	default:
		var special []string
		for _, c := range fl.Categories {
			if c.Category.Sensitive() {
				special = append(special, strings.ToLower(c.Category.Name))
			}
		}
		fmt.Fprintf(&b, "It holds or receives up to %s records in %s of personal data", scoring.FormatCount(fl.Records), plural(len(fl.Categories), "category", "categories"))
		if len(fl.DataSubjects) > 0 {
			fmt.Fprintf(&b, " about %s", joinAnd(fl.DataSubjects))
		}
		if len(special) > 0 {
			fmt.Fprintf(&b, ", including special-category or criminal-offence data (%s)", joinAnd(special))
		}
		if n := len(fl.Subprocessors); n > 0 {
			names := make([]string, n)
			for i, r := range fl.Subprocessors {
				names[i] = r.Name
			}
			fmt.Fprintf(&b, ", and passes data on to %s (%s)", plural(n, "sub-processor", "sub-processors"), joinAnd(names))
		}
		b.WriteString(". ")
	}
	deadline := im.RegulatorDeadline.Format("15:04 UTC on 2 January 2006")
	switch {
	case in.RegulatorNotifiedAt != nil:
		fmt.Fprintf(&b, "The regulator was notified at %s.", in.RegulatorNotifiedAt.Format("15:04 UTC on 2 January 2006"))
	case im.TimeLeft > 0:
		fmt.Fprintf(&b, "If personal data is affected, the regulator must be notified by %s (%s from now).", deadline, hoursText(im.TimeLeft))
	default:
		fmt.Fprintf(&b, "The 72-hour deadline for notifying the regulator passed at %s (%s ago).", deadline, hoursText(-im.TimeLeft))
	}
	return b.String()
}

func hoursText(d time.Duration) string {
	h := int(math.Ceil(d.Hours()))
	if d < time.Hour {
		return plural(int(math.Ceil(d.Minutes())), "minute", "minutes")
	}
	return plural(h, "hour", "hours")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}

func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
