package quarterly_test

import (
	"bytes"
	"context"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/weaklink/weaklink/internal/quarterly"
	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
	"github.com/weaklink/weaklink/internal/testdb"
	"github.com/xuri/excelize/v2"
)

// TestFlagMessagesNameQuestionsByText: a failed critical control is named by its
// question's text, cut at 120 characters with an ellipsis, and its key — in the
// risk read, and word for word in the report's JSON, HTML and XLSX (the PDF prints
// messages whole: internal/report's tests).
func TestFlagMessagesNameQuestionsByText(t *testing.T) {
	const want = "the latest assessment failed a critical control, so its score is capped at 40: " +
		"Do you keep at least one recent copy of your backups offline or immutable, so that ransomware, " +
		"or an attacker holding… (offline_backups)"
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		clock := testdb.NewClock(time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC))
		svc := register.New(st, clock.Now)
		f := &reportFixture{t: t, svc: svc, rep: quarterly.New(svc, st), clock: clock, ids: map[string]string{}}
		ctx := context.Background()
		f.supplier("Quayside Mail", "critical", dpa)
		f.holds("Quayside Mail", "political_opinions", 600000, "members")
		f.assess("Quayside Mail", true)

		_, risk, err := svc.SupplierRisk(ctx, f.ids["Quayside Mail"])
		if err != nil {
			t.Fatal(err)
		}
		if got := flagMessage(risk.Flags, "critical_control_failed"); got != want {
			t.Fatalf("risk flag message\n got %q\nwant %q", got, want)
		}

		r, _, err := f.rep.GenerateReport(ctx, editor, "2026-Q4", false)
		if err != nil {
			t.Fatal(err)
		}
		var msg string
		for _, fl := range r.Snapshot.WeakLinks[0].Flags {
			if fl.Code == "critical_control_failed" {
				msg = fl.Message
			}
		}
		if msg != want {
			t.Fatalf("report flag message\n got %q\nwant %q", msg, want)
		}
		for format, text := range map[string]string{"json": want, "html": html.EscapeString(want)} {
			out, err := f.rep.RenderReport(ctx, r.Snapshot.ID, format)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(out.Body, []byte(text)) {
				t.Errorf("the %s report lacks the message %q", format, text)
			}
		}
		out, err := f.rep.RenderReport(ctx, r.Snapshot.ID, "xlsx")
		if err != nil {
			t.Fatal(err)
		}
		book, err := excelize.OpenReader(bytes.NewReader(out.Body))
		if err != nil {
			t.Fatal(err)
		}
		defer book.Close()
		rows, err := book.GetRows("Weakest links")
		if err != nil || len(rows) < 2 {
			t.Fatalf("weakest links sheet: %v %v", rows, err)
		}
		if details := rows[1][len(rows[1])-1]; !strings.Contains(details, "critical_control_failed (critical): "+want) {
			t.Errorf("the xlsx flag details lack the message: %q", details)
		}
	})
}

func flagMessage(flags []register.FlagView, code string) string {
	for _, f := range flags {
		if f.Code == code {
			return f.Message
		}
	}
	return ""
}
