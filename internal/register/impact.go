package register

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/store"
)

// Impact is an incident's blast radius, computed from the register as it is now, one
// page at a time: every total covers the whole chain on every page, while the lists
// that grow with the chain come page by page.
type Impact struct {
	Incident Incident
	// Flows carries every total of the supplier's chain and every category with its
	// own holding; of the received origins, the sub-processors and what passes on to
	// them, only this page's.
	Flows Flows
	// SubprocessorCount is how many sub-processors the data reaches, over every page.
	SubprocessorCount int
	// NextCursor is the next page's cursor, "" on the last page.
	NextCursor string
	// RegulatorDeadline is aware_at + 72 hours (GDPR Art. 33); TimeLeft is negative once it has passed.
	RegulatorDeadline time.Time
	TimeLeft          time.Duration
	// SupplierWindowHours is the contractual window for the supplier to tell us;
	// SupplierToldUsInTime is nil when either end of that window is unknown.
	SupplierWindowHours  *int
	SupplierDelay        *time.Duration
	SupplierToldUsInTime *bool
	// Summary is computed from the whole chain, the same on every page.
	Summary string
}

// IncidentImpact answers: what is exposed at the supplier and down its chain, how
// many records, whether special-category or criminal-offence data is involved, when
// the regulator must be told, and a sentence a spokesperson can read. Every total and
// the sentence cover the whole chain on every page; the received origins and the
// sub-processors come a page at a time (chain.page). Errors: CodeNotFound (no such
// incident), CodeInvalid (limit, or a cursor another list issued). It runs a fixed
// number of statements whatever the size of the register.
func (s *Service) IncidentImpact(ctx context.Context, id, cur string, limit int) (Impact, error) {
	if !ValidID(id) {
		return Impact{}, incidentNotFound()
	}
	if _, err := checkLimit(limit); err != nil {
		return Impact{}, err
	}
	kind := "impact:" + id
	if cur != "" {
		if _, err := decodeCursor(cur, kind); err != nil {
			return Impact{}, err
		}
	}
	// The incident and its supplier's chain, as the register holds them now (kept
	// between pages and readers until the register changes).
	type incidentChain struct {
		in     Incident
		window *int
		c      chain
	}
	ic, err := answerAt(ctx, s, kind, func(tx *store.Tx) (incidentChain, error) {
		in, err := s.loadIncident(tx, id)
		if err != nil {
			return incidentChain{}, err
		}
		sup, err := tx.GetSupplier(in.SupplierID)
		if err != nil {
			return incidentChain{}, err
		}
		c, err := s.chainOf(tx, sup)
		return incidentChain{in: in, window: sup.BreachNotificationHours, c: c}, err
	})
	if err != nil {
		return Impact{}, err
	}
	c := ic.c
	out := Impact{Incident: ic.in, RegulatorDeadline: ic.in.RegulatorDeadline(), SupplierWindowHours: ic.window}
	fl, next, err := c.page(kind, cur, limit)
	if err != nil {
		return Impact{}, err
	}
	out.Flows, out.SubprocessorCount, out.NextCursor = fl, len(c.subs), next
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
	out.Summary = impactSummary(out, c.subNames(maxNamedSubprocessors))
	return out, nil
}

// impactSummary is the plain-language sentence for a spokesperson, from the totals
// of the whole chain (never from one page): firstSubs names the first sub-processors
// by name, at most maxNamedSubprocessors of im.SubprocessorCount.
func impactSummary(im Impact, firstSubs []string) string {
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
		var names, special []string
		for _, c := range fl.Categories {
			names = append(names, strings.ToLower(c.Category.Name))
			if c.Category.Sensitive() {
				special = append(special, strings.ToLower(c.Category.Name))
			}
		}
		fmt.Fprintf(&b, "It has in its care the personal data of %s", peopleText(fl.People))
		if len(fl.DataSubjects) > 0 {
			fmt.Fprintf(&b, " — %s —", joinAnd(fl.DataSubjects))
		}
		fmt.Fprintf(&b, " whose %s it holds or receives (%s records in %s)", joinAnd(names),
			scoring.FormatCount(fl.Records), plural(len(fl.Categories), "category", "categories"))
		if len(special) > 0 {
			fmt.Fprintf(&b, ", including special-category or criminal-offence data (%s)", joinAnd(special))
		}
		if n := im.SubprocessorCount; n > 0 {
			fmt.Fprintf(&b, ", and it passes data on to %s (%s)", plural(n, "sub-processor", "sub-processors"),
				namesAtMost(firstSubs, n, maxNamedSubprocessors))
		}
		b.WriteString(". ")
	}
	if in.RegulatorNotifiedAt != nil {
		fmt.Fprintf(&b, "The regulator was notified at %s.", in.RegulatorNotifiedAt.Format("15:04 UTC on 2 January 2006"))
	} else {
		b.WriteString(regulatorDeadlineSentence(im.RegulatorDeadline, im.TimeLeft))
	}
	return b.String()
}

// peopleText says how many people, leading the spokesperson's sentence: "about
// 580,000 people" when the range's bounds are equal, else "between 580,000 and
// 600,000 people" (PRODUCT.md §2: people are a range; records follow).
func peopleText(p People) string {
	if p.AtLeast == p.AtMost {
		if p.AtLeast == 1 {
			return "about 1 person"
		}
		return "about " + scoring.FormatCount(p.AtLeast) + " people"
	}
	return "between " + scoring.FormatCount(p.AtLeast) + " and " + scoring.FormatCount(p.AtMost) + " people"
}

// regulatorDeadlineSentence says when the GDPR Art. 33 notification falls due and how
// long is left (left > 0), or when the deadline passed and how long ago (left ≤ 0).
func regulatorDeadlineSentence(deadline time.Time, left time.Duration) string {
	at := deadline.Format("15:04 UTC on 2 January 2006")
	if left > 0 {
		return fmt.Sprintf("If personal data is affected, the regulator must be notified by %s (%s).", at, timeLeftText(left))
	}
	return fmt.Sprintf("The 72-hour deadline for notifying the regulator passed at %s (%s).", at, timeSinceText(-left))
}

// timeLeftText says how long is left before a deadline without ever overstating it:
// whole hours rounded down ("1 hour from now" for 1 h 50 min, "71 hours from now"),
// or "less than an hour from now" under an hour. left must be positive.
func timeLeftText(left time.Duration) string {
	if left < time.Hour {
		return "less than an hour from now"
	}
	return plural(int(left/time.Hour), "hour", "hours") + " from now"
}

// timeSinceText says how long ago a deadline passed, rounded down: "less than an hour
// ago", "N hours ago" under a day, else "D days and H hours ago", with H left out when
// it is 0 ("2 days ago"). since is zero or positive.
func timeSinceText(since time.Duration) string {
	hours := int(since / time.Hour)
	switch {
	case hours < 1:
		return "less than an hour ago"
	case hours < 24:
		return plural(hours, "hour", "hours") + " ago"
	}
	out := plural(hours/24, "day", "days")
	if h := hours % 24; h > 0 {
		out += " and " + plural(h, "hour", "hours")
	}
	return out + " ago"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}

// maxNamedSubprocessors is how many sub-processors the spokesperson sentence names: a
// hub's hundreds would drown the sentence (the answer's pages list them all).
const maxNamedSubprocessors = 5

// namesAtMost joins the first names of a list of total, up to limit of them, then
// says how many others there are: "A, B, C, D, E and 3 others". names holds the
// list's first min(total, limit) names at least.
func namesAtMost(names []string, total, limit int) string {
	if total <= limit {
		return joinAnd(names[:total])
	}
	return strings.Join(names[:limit], ", ") + " and " + plural(total-limit, "other", "others")
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
