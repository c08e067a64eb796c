package register

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/weaklink/weaklink/internal/scoring"
	"github.com/weaklink/weaklink/internal/store"
)

// addQuestionTexts gives the flag facts of each supplier in answered (supplier id →
// the questionnaire version its latest assessment answered) the texts of that
// version's questions, so that a flag message names a failed control by its words
// as well as its key. One statement reads every version involved.
func addQuestionTexts(tx *store.Tx, facts map[string]*scoring.SupplierFacts, answered map[string]string) error {
	if len(answered) == 0 {
		return nil
	}
	seen := map[string]bool{}
	var ids []string
	for _, q := range answered {
		if !seen[q] {
			seen[q] = true
			ids = append(ids, q)
		}
	}
	sort.Strings(ids)
	rows, err := tx.QuestionnaireQuestions(ids)
	if err != nil {
		return err
	}
	texts := make(map[string]map[string]string, len(rows))
	for _, r := range rows {
		var qs []struct{ Key, Text string }
		if err := json.Unmarshal([]byte(r.Questions), &qs); err != nil {
			return fmt.Errorf("read the questions of questionnaire %s: %w", r.ID, err)
		}
		m := make(map[string]string, len(qs))
		for _, q := range qs {
			m[q.Key] = q.Text
		}
		texts[r.ID] = m
	}
	for id, q := range answered {
		if f := facts[id]; f != nil {
			f.QuestionTexts = texts[q]
		}
	}
	return nil
}
